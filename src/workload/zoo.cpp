#include "dnnspace/workload/zoo.hpp"

#include <array>
#include <initializer_list>
#include <string>
#include <utility>

// Shapes and the published totals behind them are documented in docs/zoo.md; the
// totals are checked in tests/workload/zoo_test.cpp.

namespace dnnspace {
namespace {

/// A square convolution described by output size, filter size, stride, pad and groups.
/// K and C are per group (see layer.hpp).
struct ConvShape {
  std::int64_t k = 1;
  std::int64_t c = 1;
  std::int64_t out = 1;     // P = Q
  std::int64_t filter = 1;  // R = S
  std::int64_t stride = 1;
  std::int64_t pad = 0;
  std::int64_t groups = 1;
};

Layer conv(std::string name, const ConvShape& s) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::Conv;
  l.bounds[Dim::K] = s.k;
  l.bounds[Dim::C] = s.c;
  l.bounds[Dim::P] = s.out;
  l.bounds[Dim::Q] = s.out;
  l.bounds[Dim::R] = s.filter;
  l.bounds[Dim::S] = s.filter;
  l.bounds[Dim::G] = s.groups;
  l.stride_h = l.stride_w = s.stride;
  l.pad_h = l.pad_w = s.pad;
  return l;
}

/// A depthwise 3x3 convolution over `channels` channels: G = channels, K = C = 1.
Layer depthwise3x3(std::string name, std::int64_t channels, std::int64_t out,
                   std::int64_t stride) {
  return conv(std::move(name),
              {.k = 1, .c = 1, .out = out, .filter = 3, .stride = stride, .pad = 1,
               .groups = channels});
}

/// A fully connected layer: C inputs, K outputs, P = Q = R = S = 1.
Layer fc(std::string name, std::int64_t inputs, std::int64_t outputs) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::FullyConnected;
  l.bounds[Dim::C] = inputs;
  l.bounds[Dim::K] = outputs;
  return l;
}

/// One LSTM time step with the four gate GEMMs fused (see zoo.hpp).
Layer lstm(std::string name, std::int64_t inputs, std::int64_t hidden) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::Lstm;
  l.bounds[Dim::K] = 4 * hidden;
  l.bounds[Dim::C] = inputs + hidden;
  return l;
}

/// A GEMM: C reduction, K columns (N rows is the batch).
Layer matmul(std::string name, std::int64_t reduction, std::int64_t columns) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::Matmul;
  l.bounds[Dim::C] = reduction;
  l.bounds[Dim::K] = columns;
  return l;
}

/// A token-wise linear layer: every one of `tokens` positions of a sample (P) through one
/// C -> K weight matrix shared by all positions (a 1x1 convolution over the sequence).
Layer token_linear(std::string name, std::int64_t tokens, std::int64_t inputs, std::int64_t outputs) {
  Layer l = matmul(std::move(name), inputs, outputs);
  l.bounds[Dim::P] = tokens;
  return l;
}

/// One of attention's batched matmuls, per sample and head: `queries` rows, a reduction
/// over `reduction`, `columns` outputs. Both operands differ per sample: (sample, head)
/// pairs are the groups. Scores Q K^T reduce over the head dimension into the keys;
/// context A V reduces over the keys into the head dimension.
Layer attention_matmul(std::string name, std::int64_t heads, std::int64_t queries, std::int64_t reduction,
                       std::int64_t columns) {
  Layer l = matmul(std::move(name), reduction, columns);
  l.bounds[Dim::N] = queries;
  l.bounds[Dim::G] = heads;
  l.groups_per_sample = heads;
  return l;
}

/// The MAC layers of one transformer block (Vaswani et al. 2017): fused Q/K/V projection,
/// attention scores and context, output projection, and the two feed-forward layers, for
/// `queries` new positions attending to `keys` positions (equal, except a decode step
/// with a key/value cache). Softmax, layer norms, GELU and the residual adds are
/// element-wise, not MAC work, and not layers here (docs/zoo.md).
void transformer_block(Network& n, const std::string& prefix, std::int64_t queries, std::int64_t keys,
                       std::int64_t d_model, std::int64_t heads, std::int64_t d_ff) {
  n.layers.push_back(token_linear(prefix + ".qkv", queries, d_model, 3 * d_model));
  n.layers.push_back(attention_matmul(prefix + ".scores", heads, queries, d_model / heads, keys));
  n.layers.push_back(attention_matmul(prefix + ".context", heads, queries, keys, d_model / heads));
  n.layers.push_back(token_linear(prefix + ".proj", queries, d_model, d_model));
  n.layers.push_back(token_linear(prefix + ".ffn1", queries, d_model, d_ff));
  n.layers.push_back(token_linear(prefix + ".ffn2", queries, d_ff, d_model));
}

Network mlp(std::string name, std::initializer_list<std::int64_t> widths) {
  return mlp_network(std::move(name), std::span<const std::int64_t>(widths.begin(), widths.size()));
}

// LeNet-5 after LeCun et al. 1998 (003 Sec. III-B, Table II): 32x32 input, no padding,
// 2x2 subsampling after each CONV. C3 is modelled fully connected (C = 6), where LeCun's
// connection table uses 60 of the 96 input-output map pairs; see docs/zoo.md.
Network lenet5() {
  Network n{"lenet5", {}};
  n.layers.push_back(conv("conv1", {.k = 6, .c = 1, .out = 28, .filter = 5}));   // 32x32 in
  n.layers.push_back(conv("conv2", {.k = 16, .c = 6, .out = 10, .filter = 5}));  // 14x14 in
  n.layers.push_back(fc("fc3", 16 * 5 * 5, 120));
  n.layers.push_back(fc("fc4", 120, 84));
  n.layers.push_back(fc("fc5", 84, 10));
  return n;
}

// AlexNet, the original two-GPU model (003 Sec. III-B, Table II): conv2, conv4 and conv5
// are split into two groups; 227x227 input.
Network alexnet() {
  Network n{"alexnet", {}};
  n.layers.push_back(conv("conv1", {.k = 96, .c = 3, .out = 55, .filter = 11, .stride = 4}));
  n.layers.push_back(conv("conv2", {.k = 128, .c = 48, .out = 27, .filter = 5, .pad = 2,
                                    .groups = 2}));
  n.layers.push_back(conv("conv3", {.k = 384, .c = 256, .out = 13, .filter = 3, .pad = 1}));
  n.layers.push_back(conv("conv4", {.k = 192, .c = 192, .out = 13, .filter = 3, .pad = 1,
                                    .groups = 2}));
  n.layers.push_back(conv("conv5", {.k = 128, .c = 192, .out = 13, .filter = 3, .pad = 1,
                                    .groups = 2}));
  n.layers.push_back(fc("fc6", 256 * 6 * 6, 4096));
  n.layers.push_back(fc("fc7", 4096, 4096));
  n.layers.push_back(fc("fc8", 4096, 1000));
  return n;
}

// VGG (Simonyan & Zisserman 2015, Table 1): 3x3 pad-1 CONVs, 2x2 max pooling between the
// five stages of 64, 128, 256, 512, 512 channels, then three FC layers. `convs` per stage:
// configuration D (VGG-16; 003 Table II) has 2, 2, 3, 3, 3, configuration E (VGG-19,
// Fathom's vgg in 001 Table 3.1) 2, 2, 4, 4, 4.
Network vgg(std::string name, const std::array<int, 5>& convs) {
  struct Stage {
    std::int64_t channels;
    std::int64_t size;
  };
  constexpr std::array<Stage, 5> kStages = {{{64, 224}, {128, 112}, {256, 56}, {512, 28}, {512, 14}}};
  Network n{std::move(name), {}};
  std::int64_t in = 3;
  for (std::size_t s = 0; s < kStages.size(); ++s) {
    for (int i = 1; i <= convs[s]; ++i) {
      const std::string layer_name = "conv" + std::to_string(s + 1) + "_" + std::to_string(i);
      n.layers.push_back(conv(layer_name, {.k = kStages[s].channels, .c = in,
                                     .out = kStages[s].size, .filter = 3, .pad = 1}));
      in = kStages[s].channels;
    }
  }
  n.layers.push_back(fc("fc6", 512 * 7 * 7, 4096));
  n.layers.push_back(fc("fc7", 4096, 4096));
  n.layers.push_back(fc("fc8", 4096, 1000));
  return n;
}
Network vgg16() { return vgg("vgg16", {2, 2, 3, 3, 3}); }
Network vgg19() { return vgg("vgg19", {2, 2, 4, 4, 4}); }

// GoogLeNet v1 (Szegedy et al. 2015, Table 1; 003 Table II): the stem, nine inception
// modules with all six CONVs each, and the classifier. Auxiliary classifiers are
// training-only and omitted.
Network googlenet() {
  struct Inception {
    std::string_view name;
    std::int64_t size;  // P = Q of every branch
    std::int64_t in;
    std::int64_t n1x1;
    std::int64_t n3x3_reduce;
    std::int64_t n3x3;
    std::int64_t n5x5_reduce;
    std::int64_t n5x5;
    std::int64_t pool_proj;
  };
  constexpr std::array<Inception, 9> kModules = {{
      {"inception3a", 28, 192, 64, 96, 128, 16, 32, 32},
      {"inception3b", 28, 256, 128, 128, 192, 32, 96, 64},
      {"inception4a", 14, 480, 192, 96, 208, 16, 48, 64},
      {"inception4b", 14, 512, 160, 112, 224, 24, 64, 64},
      {"inception4c", 14, 512, 128, 128, 256, 24, 64, 64},
      {"inception4d", 14, 512, 112, 144, 288, 32, 64, 64},
      {"inception4e", 14, 528, 256, 160, 320, 32, 128, 128},
      {"inception5a", 7, 832, 256, 160, 320, 32, 128, 128},
      {"inception5b", 7, 832, 384, 192, 384, 48, 128, 128},
  }};
  Network n{"googlenet", {}};
  n.layers.push_back(conv("conv1/7x7_s2",
                          {.k = 64, .c = 3, .out = 112, .filter = 7, .stride = 2, .pad = 3}));
  n.layers.push_back(conv("conv2/3x3_reduce", {.k = 64, .c = 64, .out = 56, .filter = 1}));
  n.layers.push_back(conv("conv2/3x3", {.k = 192, .c = 64, .out = 56, .filter = 3, .pad = 1}));
  for (const Inception& m : kModules) {
    const std::string p = std::string(m.name) + "/";
    n.layers.push_back(conv(p + "1x1", {.k = m.n1x1, .c = m.in, .out = m.size}));
    n.layers.push_back(conv(p + "3x3_reduce", {.k = m.n3x3_reduce, .c = m.in, .out = m.size}));
    n.layers.push_back(conv(p + "3x3", {.k = m.n3x3, .c = m.n3x3_reduce, .out = m.size,
                                        .filter = 3, .pad = 1}));
    n.layers.push_back(conv(p + "5x5_reduce", {.k = m.n5x5_reduce, .c = m.in, .out = m.size}));
    n.layers.push_back(conv(p + "5x5", {.k = m.n5x5, .c = m.n5x5_reduce, .out = m.size,
                                        .filter = 5, .pad = 2}));
    // The pool projection runs on the output of a 3x3 stride-1 max pool: same plane size.
    n.layers.push_back(conv(p + "pool_proj", {.k = m.pool_proj, .c = m.in, .out = m.size}));
  }
  n.layers.push_back(fc("fc", 1024, 1000));
  return n;
}

// MobileNet v1, width 1.0, 224x224 (Howard et al. 2017, Table 1): conv1 then 13
// depthwise-separable pairs. Stride-2 3x3 convs use pad 1 (the padded plane has one
// row more than the last window reads).
Network mobilenet() {
  struct Pair {
    std::int64_t in;
    std::int64_t out;
    std::int64_t size;  // output P = Q
    std::int64_t stride;
  };
  constexpr std::array<Pair, 13> kPairs = {{
      {32, 64, 112, 1},   {64, 128, 56, 2},   {128, 128, 56, 1}, {128, 256, 28, 2},
      {256, 256, 28, 1},  {256, 512, 14, 2},  {512, 512, 14, 1}, {512, 512, 14, 1},
      {512, 512, 14, 1},  {512, 512, 14, 1},  {512, 512, 14, 1}, {512, 1024, 7, 2},
      {1024, 1024, 7, 1},
  }};
  Network n{"mobilenet", {}};
  n.layers.push_back(conv("conv1", {.k = 32, .c = 3, .out = 112, .filter = 3, .stride = 2,
                                    .pad = 1}));
  for (std::size_t i = 0; i < kPairs.size(); ++i) {
    const Pair& p = kPairs[i];
    const std::string index = std::to_string(i + 1);
    n.layers.push_back(depthwise3x3("conv_dw_" + index, p.in, p.size, p.stride));
    n.layers.push_back(conv("conv_pw_" + index, {.k = p.out, .c = p.in, .out = p.size}));
  }
  n.layers.push_back(fc("fc", 1024, 1000));
  return n;
}

// ResNet-50 (He et al. 2016, Table 1; 003 Table II) as in the authors' released Caffe
// model: the stride-2 of stages 3-5 sits in the first 1x1 CONV (branch2a) and in the
// projection shortcut (branch1). Layer names follow that model (res3a_branch2b, ...).
Network resnet50() {
  struct Stage {
    int index;            // 2..5, as in res2a..res5c
    int blocks;
    std::int64_t width;   // bottleneck width; the block output is 4 * width
    std::int64_t size;    // output P = Q of the stage
    std::int64_t stride;  // of the first block
  };
  constexpr std::array<Stage, 4> kStages = {{{2, 3, 64, 56, 1},
                                             {3, 4, 128, 28, 2},
                                             {4, 6, 256, 14, 2},
                                             {5, 3, 512, 7, 2}}};
  Network n{"resnet50", {}};
  n.layers.push_back(conv("conv1", {.k = 64, .c = 3, .out = 112, .filter = 7, .stride = 2,
                                    .pad = 3}));
  std::int64_t in = 64;  // after the 3x3 stride-2 max pool: 56x56x64
  for (const Stage& s : kStages) {
    for (int b = 0; b < s.blocks; ++b) {
      const std::string block = "res" + std::to_string(s.index) + static_cast<char>('a' + b);
      const std::int64_t stride = b == 0 ? s.stride : 1;
      if (b == 0) {
        n.layers.push_back(conv(block + "_branch1",
                                {.k = 4 * s.width, .c = in, .out = s.size, .stride = stride}));
      }
      n.layers.push_back(conv(block + "_branch2a",
                              {.k = s.width, .c = in, .out = s.size, .stride = stride}));
      n.layers.push_back(conv(block + "_branch2b", {.k = s.width, .c = s.width, .out = s.size,
                                                    .filter = 3, .pad = 1}));
      n.layers.push_back(conv(block + "_branch2c", {.k = 4 * s.width, .c = s.width,
                                                    .out = s.size}));
      in = 4 * s.width;
    }
  }
  n.layers.push_back(fc("fc1000", 2048, 1000));
  return n;
}

// ResNet-34 (He et al. 2016, Table 1; Fathom's residual in 001 Table 3.1): conv1 7x7/2, a
// 3x3/2 max pool, then basic blocks of two 3x3 CONVs, 3, 4, 6, 3 of them at 64, 128, 256,
// 512 channels; the first block of stages 3-5 has stride 2 and a 1x1 stride-2 projection
// shortcut (option B). 33 CONVs on the main path + 3 projections + the FC.
Network resnet34() {
  struct Stage {
    int index;
    int blocks;
    std::int64_t width;
    std::int64_t size;
    std::int64_t stride;
  };
  constexpr std::array<Stage, 4> kStages = {{{2, 3, 64, 56, 1}, {3, 4, 128, 28, 2}, {4, 6, 256, 14, 2},
                                             {5, 3, 512, 7, 2}}};
  Network n{"resnet34", {}};
  n.layers.push_back(conv("conv1", {.k = 64, .c = 3, .out = 112, .filter = 7, .stride = 2, .pad = 3}));
  std::int64_t in = 64;
  for (const Stage& s : kStages) {
    for (int b = 0; b < s.blocks; ++b) {
      const std::string block = "res" + std::to_string(s.index) + static_cast<char>('a' + b);
      const std::int64_t stride = b == 0 ? s.stride : 1;
      if (b == 0 && s.stride > 1) {
        n.layers.push_back(conv(block + "_branch1", {.k = s.width, .c = in, .out = s.size, .stride = stride}));
      }
      n.layers.push_back(conv(block + "_branch2a",
                              {.k = s.width, .c = in, .out = s.size, .filter = 3, .stride = stride, .pad = 1}));
      n.layers.push_back(conv(block + "_branch2b",
                              {.k = s.width, .c = s.width, .out = s.size, .filter = 3, .pad = 1}));
      in = s.width;
    }
  }
  n.layers.push_back(fc("fc1000", 512, 1000));
  return n;
}

// DQN (Mnih et al. 2015, Methods; Fathom's deepq in 001 Table 3.1): 84x84x4 frames,
// 32 8x8/4 -> 20x20, 64 4x4/2 -> 9x9, 64 3x3/1 -> 7x7, FC 3136-512, FC 512-18 (the full
// Atari action set; a game with fewer actions has a smaller last layer).
Network deepq() {
  Network n{"deepq", {}};
  n.layers.push_back(conv("conv1", {.k = 32, .c = 4, .out = 20, .filter = 8, .stride = 4}));
  n.layers.push_back(conv("conv2", {.k = 64, .c = 32, .out = 9, .filter = 4, .stride = 2}));
  n.layers.push_back(conv("conv3", {.k = 64, .c = 64, .out = 7, .filter = 3}));
  n.layers.push_back(fc("fc4", 64 * 7 * 7, 512));
  n.layers.push_back(fc("fc5", 512, 18));
  return n;
}

// Fathom's seq2seq (Adolf et al. 2016; its reference implementation: TensorFlow's
// embedding_attention_seq2seq with 3 LSTM layers of 256, embeddings of 256, one attention
// head, 40,000-word vocabularies, buckets up to 40 source / 50 target tokens): one encoder
// step, the attention keys of a 40-token source (computed once per sentence), and one
// decoder step with its attention over the 40 source states and the full output
// projection. Embedding lookups, gates, tanh and softmax are element-wise (docs/zoo.md).
Network seq2seq() {
  constexpr std::int64_t kSize = 256, kSource = 40, kVocabulary = 40000;
  Network n{"seq2seq", {}};
  for (int i = 1; i <= 3; ++i) n.layers.push_back(lstm("enc.lstm" + std::to_string(i), kSize, kSize));
  n.layers.push_back(token_linear("attn.keys", kSource, kSize, kSize));
  n.layers.push_back(fc("dec.input", 2 * kSize, kSize));  // embedding + previous attention
  for (int i = 1; i <= 3; ++i) n.layers.push_back(lstm("dec.lstm" + std::to_string(i), kSize, kSize));
  n.layers.push_back(fc("attn.query", 3 * 2 * kSize, kSize));  // all layers' (c, h)
  n.layers.push_back(token_linear("attn.scores", kSource, kSize, 1));  // v . tanh(keys + query)
  n.layers.push_back(attention_matmul("attn.context", 1, 1, kSource, kSize));
  n.layers.push_back(fc("attn.output", 2 * kSize, kSize));
  n.layers.push_back(fc("dec.projection", kSize, kVocabulary));
  return n;
}

// Fathom's speech (its reference implementation, after Deep Speech): 26 features per
// frame (12 MFCCs, energy and their 13 deltas) over 1,566 frames, three FC layers of
// 1,024 and a 62-way output (61 TIMIT phonemes and the CTC blank), each applied to every
// frame. The bidirectional recurrent layer the code builds is not connected to the output
// and is left out (docs/zoo.md).
Network speech() {
  constexpr std::int64_t kFrames = 1566, kHidden = 1024;
  Network n{"speech", {}};
  n.layers.push_back(token_linear("fc1", kFrames, 26, kHidden));
  n.layers.push_back(token_linear("fc2", kFrames, kHidden, kHidden));
  n.layers.push_back(token_linear("fc3", kFrames, kHidden, kHidden));
  n.layers.push_back(token_linear("fc_out", kFrames, kHidden, 62));
  return n;
}

// Fathom's autoenc (its reference implementation of Kingma & Welling's variational
// autoencoder): a 784-pixel MNIST image to the mean and log-variance of a 200-wide
// latent code, and the decoder back to 784; no hidden layer.
Network autoenc() {
  Network n{"autoenc", {}};
  n.layers.push_back(fc("z_mean", 784, 200));
  n.layers.push_back(fc("z_log_sigma_sq", 784, 200));
  n.layers.push_back(fc("decoder", 200, 784));
  return n;
}

// MLP-M and MLP-L exactly as 004 Table VI lists them (three FC layers each).
Network mlp_m() { return mlp("mlp-m", {784, 1000, 500, 250}); }
Network mlp_l() { return mlp("mlp-l", {784, 1500, 1000, 500}); }

// LSTM-M / LSTM-L (004 Table VI: "embedding size" 500 / 1000): the 4-layer LSTM of
// Sutskever et al. 2014 (cited by 004 as [44]) with width = embedding size, one time step.
Network lstm_stack(std::string name, std::int64_t width) {
  Network n{std::move(name), {}};
  for (int i = 1; i <= 4; ++i) n.layers.push_back(lstm("lstm" + std::to_string(i), width, width));
  return n;
}
Network lstm_m() { return lstm_stack("lstm-m", 500); }
Network lstm_l() { return lstm_stack("lstm-l", 1000); }

// RHN (004 Table VI: size 1500; Zilly et al. 2016, cited as [45]): one time step of a
// recurrence-depth-10 highway cell. Only the first micro-layer sees the input x.
Network rhn() {
  constexpr std::int64_t kWidth = 1500;
  constexpr int kDepth = 10;
  Network n{"rhn", {}};
  n.layers.push_back(matmul("layer1", kWidth + kWidth, 2 * kWidth));
  for (int i = 2; i <= kDepth; ++i) {
    n.layers.push_back(matmul("layer" + std::to_string(i), kWidth, 2 * kWidth));
  }
  return n;
}

// MNIST MLPs: 002 Sec. V (784-100-100-10) and 001 Table 4.1 (784-256x256x256-10).
Network mlp_002() { return mlp("mlp-784-100-100-10", {784, 100, 100, 10}); }
Network mlp_001() { return mlp("mlp-784-256-256-256-10", {784, 256, 256, 256, 10}); }

// BERT-base (Devlin et al. 2019, Table 1 / Sec. 3): 12 layers, hidden 768, 12 heads,
// feed-forward 3072; one sequence of `seq` tokens, plus the pooler on the [CLS] token.
Network bert_base(std::string name, std::int64_t seq) {
  Network n{std::move(name), {}};
  for (int i = 1; i <= 12; ++i) transformer_block(n, "l" + std::to_string(i), seq, seq, 768, 12, 3072);
  n.layers.push_back(token_linear("pooler", 1, 768, 768));
  return n;
}
Network bert_base_128() { return bert_base("bert-base-128", 128); }
Network bert_base_512() { return bert_base("bert-base-512", 512); }

// GPT-2 small (Radford et al. 2019, Table 2: 117M, 12 layers, d_model 768; 12 heads and
// a 1024-token context as released): prefill of a full 1024-token prompt, or one decode
// step of a new token against a cache of 1023, each with the tied 50,257-word output
// projection on the last position only.
Network gpt2_small(std::string name, std::int64_t queries) {
  Network n{std::move(name), {}};
  for (int i = 1; i <= 12; ++i) transformer_block(n, "l" + std::to_string(i), queries, 1024, 768, 12, 3072);
  n.layers.push_back(token_linear("lm_head", 1, 768, 50257));
  return n;
}
Network gpt2_small_prefill() { return gpt2_small("gpt2-small-prefill", 1024); }
Network gpt2_small_decode() { return gpt2_small("gpt2-small-decode", 1); }

// ViT-B/16 (Dosovitskiy et al. 2021, Table 1): 224x224 image in 16x16 patches (14x14 =
// 196, plus the class token: 197 positions), 12 layers, hidden 768, 12 heads, MLP 3072,
// and a 1000-class head on the class token.
Network vit_b16() {
  Network n{"vit-b16", {}};
  n.layers.push_back(conv("patch_embed", {.k = 768, .c = 3, .out = 14, .filter = 16, .stride = 16}));
  for (int i = 1; i <= 12; ++i) transformer_block(n, "l" + std::to_string(i), 197, 197, 768, 12, 3072);
  n.layers.push_back(token_linear("head", 1, 768, 1000));
  return n;
}

struct ZooEntry {
  std::string_view name;
  std::string_view description;
  Network (*build)();
};

constexpr std::array<ZooEntry, 24> kZoo = {{
    {"lenet5",
     "LeNet-5 (LeCun 1998): 2 CONV + 3 FC on 32x32, C3 fully connected; 003 Table II: 60k "
     "weights, 341k MACs",
     lenet5},
    {"alexnet",
     "AlexNet (Krizhevsky 2012), original two-group model: 5 CONV + 3 FC on 227x227; 003 "
     "Table II: 61M weights, 724M MACs",
     alexnet},
    {"vgg16", "VGG-16 (Simonyan 2015): 13 CONV + 3 FC on 224x224; 003 Table II: 138M weights, "
              "15.5G MACs",
     vgg16},
    {"vgg19",
     "VGG-19 (Simonyan 2015, configuration E; Fathom's vgg, 001 Table 3.1): 16 CONV + 3 FC on 224x224; "
     "144M weights, 19.6G MACs",
     vgg19},
    {"googlenet",
     "GoogLeNet v1 (Szegedy 2015): 57 CONV (every inception branch) + 1 FC on 224x224; 003 "
     "Table II: 7M weights, 1.43G MACs",
     googlenet},
    {"mobilenet",
     "MobileNet v1 1.0-224 (Howard 2017): conv1, 13 depthwise+pointwise pairs, FC; 4.2M "
     "weights, 569M MACs",
     mobilenet},
    {"resnet50",
     "ResNet-50 (He 2016): 53 CONV incl. 4 projection shortcuts + FC on 224x224; 003 Table "
     "II: 25.5M weights, 3.9G MACs",
     resnet50},
    {"resnet34",
     "ResNet-34 (He 2016; Fathom's residual, 001 Table 3.1): 33 CONV + 3 projection shortcuts + FC on "
     "224x224; 21.8M weights, 3.66G MACs",
     resnet34},
    {"deepq",
     "DQN (Mnih 2015; Fathom's deepq, 001 Table 3.1): 3 CONV + 2 FC on 84x84x4 Atari frames, 18 "
     "actions; 1.7M weights",
     deepq},
    {"seq2seq",
     "Fathom's seq2seq (Adolf 2016, after Sutskever 2014 with attention): one encoder and one decoder step of "
     "3 LSTM layers of 256, attention over 40 source tokens, 40,000-word projection; 16.7M MACs",
     seq2seq},
    {"speech",
     "Fathom's speech (Adolf 2016, after Deep Speech): FC 26-1024-1024-1024-62 on each of 1,566 frames; "
     "3.4G MACs",
     speech},
    {"autoenc",
     "Fathom's autoenc (Adolf 2016; Kingma 2014's variational autoencoder): FC 784-200 (mean), 784-200 "
     "(log variance), 200-784 on MNIST",
     autoenc},
    {"mlp-m", "MLP-M (004 Table VI, from PRIME): FC 784-1000-500-250; 004 uses batch 128",
     mlp_m},
    {"mlp-l", "MLP-L (004 Table VI, from PRIME): FC 784-1500-1000-500; 004 uses batch 128",
     mlp_l},
    {"lstm-m",
     "LSTM-M (004 Table VI, seq2seq): one time step of a 4-layer LSTM, width 500, gates "
     "fused (K=2000, C=1000); 004 uses batch 128",
     lstm_m},
    {"lstm-l",
     "LSTM-L (004 Table VI, seq2seq): one time step of a 4-layer LSTM, width 1000, gates "
     "fused (K=4000, C=2000); 004 uses batch 128",
     lstm_l},
    {"rhn",
     "RHN (004 Table VI, Zilly 2016): one time step, recurrence depth 10, width 1500, H and "
     "T gates fused (K=3000); 004 uses batch 128",
     rhn},
    {"mlp-784-100-100-10", "MNIST MLP 784-100-100-10 trained by the 002 accelerator: 3 FC",
     mlp_002},
    {"mlp-784-256-256-256-10",
     "MNIST MLP 784-256-256-256-10 (001 Table 4.1, Minerva): 4 FC, 334K weights", mlp_001},
    {"bert-base-128",
     "BERT-base (Devlin 2019), one 128-token sequence: 12 x (QKV, scores, context, proj, 2 FFN) + pooler; "
     "85M weights, 11.2G MACs",
     bert_base_128},
    {"bert-base-512", "BERT-base (Devlin 2019), one 512-token sequence: as bert-base-128; 48.3G MACs",
     bert_base_512},
    {"gpt2-small-prefill",
     "GPT-2 small (Radford 2019): prefill of a 1024-token prompt, 12 blocks + LM head on the last "
     "token; 124M weights, 106G MACs",
     gpt2_small_prefill},
    {"gpt2-small-decode",
     "GPT-2 small (Radford 2019): one decode step against a 1023-token KV cache, 12 blocks + LM head; "
     "124M weights, 142M MACs",
     gpt2_small_decode},
    {"vit-b16",
     "ViT-B/16 (Dosovitskiy 2021): 16x16 patch embedding, 12 blocks over 197 tokens, 1000-class "
     "head; 86M weights, 17.6G MACs",
     vit_b16},
}};

const ZooEntry* find_entry(std::string_view name) noexcept {
  for (const ZooEntry& e : kZoo) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string joined_names() {
  std::string out;
  for (const ZooEntry& e : kZoo) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

}  // namespace

std::vector<std::string_view> zoo_names() {
  std::vector<std::string_view> names;
  names.reserve(kZoo.size());
  for (const ZooEntry& e : kZoo) names.push_back(e.name);
  return names;
}

std::string_view zoo_description(std::string_view name) noexcept {
  const ZooEntry* e = find_entry(name);
  return e == nullptr ? std::string_view{} : e->description;
}

Network mlp_network(std::string name, std::span<const std::int64_t> widths) {
  Network n{std::move(name), {}};
  for (std::size_t i = 1; i < widths.size(); ++i) {
    n.layers.push_back(fc("fc" + std::to_string(i), widths[i - 1], widths[i]));
  }
  return n;
}

Expected<Network> zoo_network(std::string_view name, std::int64_t batch) {
  const ZooEntry* e = find_entry(name);
  if (e == nullptr) {
    return Error{"zoo: unknown network '" + std::string(name) + "' (built-in networks: " +
                 joined_names() + ")"};
  }
  Network n = e->build();
  // Plain chains: each layer reads only what the one before it writes (through pooling and
  // activations). The others have branches, residual additions or recurrences.
  static constexpr std::string_view kChains[] = {"lenet5", "alexnet", "vgg16", "vgg19", "mlp-m", "mlp-l",
                                                 "mlp-784-100-100-10", "mlp-784-256-256-256-10", "deepq"};
  for (std::string_view chain : kChains) {
    if (name == chain && !n.layers.empty()) n.sole_reader.assign(n.layers.size() - 1, true);
  }
  if (auto ok = set_batch(n, batch); !ok) return Error{"zoo: " + ok.error().message};
  return n;
}

Expected<Layer> zoo_layer(std::string_view spec, std::int64_t batch) {
  const std::size_t slash = spec.find('/');
  if (slash == std::string_view::npos) {
    return Error{"zoo: layer '" + std::string(spec) +
                 "': expected NETWORK/LAYER such as alexnet/conv3 (networks: " +
                 joined_names() + ")"};
  }
  const std::string_view net_name = spec.substr(0, slash);
  const std::string_view layer_name = spec.substr(slash + 1);
  Expected<Network> net = zoo_network(net_name, batch);
  if (!net) return net.error();
  if (const Layer* l = find_layer(*net, layer_name)) return *l;
  std::string layers;
  for (const Layer& l : net->layers) layers += (layers.empty() ? "" : ", ") + l.name;
  return Error{"zoo: network '" + std::string(net_name) + "' has no layer '" +
               std::string(layer_name) + "' (layers: " + layers + ")"};
}

}  // namespace dnnspace
