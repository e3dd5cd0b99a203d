#include "dnnspace/engine/lstm.hpp"

#include <algorithm>
#include <string>

#include "dnnspace/engine/activation.hpp"
#include "dnnspace/engine/sgemm.hpp"

namespace dnnspace::engine {

namespace {
// out axis i is input axis perm[i]; used to convert between ONNX's two layouts.
Tensor permute(const Tensor& in, const Shape& perm) {
  Shape shape(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) shape[i] = in.dim(perm[i]);
  const Shape in_strides = row_major_strides(in.shape());
  Tensor out(shape);
  Shape index(shape.size(), 0);
  for (float& value : out.data()) {
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < index.size(); ++i) offset += index[i] * in_strides[perm[i]];
    value = in.data()[static_cast<std::size_t>(offset)];
    for (std::size_t i = index.size(); i-- > 0;) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

float activate(LstmActivation kind, float x) noexcept {
  switch (kind) {
    case LstmActivation::Sigmoid: return sigmoid(x);
    case LstmActivation::Tanh: return tanh(x);
    case LstmActivation::Relu: return relu(x);
  }
  return x;
}

Expected<void> expect_shape(const char* name, const Tensor* t, const Shape& want) {
  if (t == nullptr || t->shape() == want) return {};
  return Error{std::string("lstm: ") + name + " must be " + to_string(want) + ", got " +
               to_string(t->shape())};
}

// Gate block order inside W, R, B (ONNX): input, output, forget, cell.
constexpr std::int64_t kI = 0, kO = 1, kF = 2, kC = 3;
}  // namespace

Expected<LstmOutputs> lstm(const Tensor& x_in, const Tensor& w, const Tensor& r,
                           const LstmOptionalInputs& optional, const LstmParams& params) {
  if (x_in.rank() != 3) {
    return Error{"lstm: X must be rank 3 ([seq, batch, input], or [batch, seq, input] when "
                 "batch_major), got " + to_string(x_in.shape())};
  }
  const std::int64_t hidden = params.hidden_size;
  if (hidden < 1) return Error{"lstm: hidden_size must be >= 1, got " + std::to_string(hidden)};
  const std::int64_t dirs = params.direction == LstmDirection::Bidirectional ? 2 : 1;
  std::vector<LstmActivation> acts = params.activations;
  if (acts.empty()) {
    for (std::int64_t d = 0; d < dirs; ++d) {
      acts.insert(acts.end(), {LstmActivation::Sigmoid, LstmActivation::Tanh,
                               LstmActivation::Tanh});
    }
  }
  if (static_cast<std::int64_t>(acts.size()) != 3 * dirs) {
    return Error{"lstm: activations has " + std::to_string(acts.size()) + " entries, expected " +
                 std::to_string(3 * dirs) + " (f, g, h per direction)"};
  }

  // Work in the sequence-major layout; batch-major tensors are converted on the way in and out.
  const Tensor x = params.batch_major ? permute(x_in, {1, 0, 2}) : x_in;
  const std::int64_t steps = x.dim(0), batch = x.dim(1), input = x.dim(2);
  const Shape state_shape = params.batch_major ? Shape{batch, dirs, hidden}
                                               : Shape{dirs, batch, hidden};
  for (auto check : {expect_shape("W", &w, {dirs, 4 * hidden, input}),
                     expect_shape("R", &r, {dirs, 4 * hidden, hidden}),
                     expect_shape("B", optional.bias, {dirs, 8 * hidden}),
                     expect_shape("initial_h", optional.initial_h, state_shape),
                     expect_shape("initial_c", optional.initial_c, state_shape),
                     expect_shape("P", optional.peepholes, {dirs, 3 * hidden})}) {
    if (!check) return check.error();
  }
  std::vector<std::int64_t> lengths(static_cast<std::size_t>(batch), steps);
  if (!optional.sequence_lens.empty()) {
    if (static_cast<std::int64_t>(optional.sequence_lens.size()) != batch) {
      return Error{"lstm: sequence_lens has " + std::to_string(optional.sequence_lens.size()) +
                   " entries, expected batch = " + std::to_string(batch)};
    }
    for (std::size_t b = 0; b < lengths.size(); ++b) {
      lengths[b] = optional.sequence_lens[b];
      if (lengths[b] < 1 || lengths[b] > steps) {
        return Error{"lstm: sequence_lens[" + std::to_string(b) + "] = " +
                     std::to_string(lengths[b]) + " is outside [1, " + std::to_string(steps) + "]"};
      }
    }
  }
  const Tensor h0 = optional.initial_h == nullptr ? Tensor(Shape{dirs, batch, hidden})
                    : params.batch_major          ? permute(*optional.initial_h, {1, 0, 2})
                                                  : *optional.initial_h;
  const Tensor c0 = optional.initial_c == nullptr ? Tensor(Shape{dirs, batch, hidden})
                    : params.batch_major          ? permute(*optional.initial_c, {1, 0, 2})
                                                  : *optional.initial_c;

  LstmOutputs out{Tensor(Shape{steps, dirs, batch, hidden}), Tensor(Shape{dirs, batch, hidden}),
                  Tensor(Shape{dirs, batch, hidden})};
  const std::int64_t gates = 4 * hidden;
  std::vector<float> xw(static_cast<std::size_t>(steps * batch * gates));
  std::vector<float> hr(static_cast<std::size_t>(batch * gates));
  std::vector<float> zeros(static_cast<std::size_t>(8 * hidden), 0.0F);
  for (std::int64_t d = 0; d < dirs; ++d) {
    const bool reverse = params.direction == LstmDirection::Reverse || d == 1;
    const LstmActivation f = acts[static_cast<std::size_t>(3 * d)];
    const LstmActivation g = acts[static_cast<std::size_t>(3 * d + 1)];
    const LstmActivation h = acts[static_cast<std::size_t>(3 * d + 2)];
    const float* wd = w.data().data() + d * gates * input;
    const float* rd = r.data().data() + d * gates * hidden;
    const float* wb = optional.bias ? optional.bias->data().data() + d * 2 * gates : zeros.data();
    const float* rb = wb + (optional.bias ? gates : 0);
    const float* pd = optional.peepholes ? optional.peepholes->data().data() + d * 3 * hidden
                                         : zeros.data();
    // The input projection of every step at once: one [steps*batch, input] x [input, 4H] GEMM.
    sgemm(false, true, steps * batch, gates, input, 1.0F, x.data().data(), wd, 0.0F, xw.data());
    float* hd = out.y_h.data().data() + d * batch * hidden;
    float* cd = out.y_c.data().data() + d * batch * hidden;
    std::copy_n(h0.data().data() + d * batch * hidden, batch * hidden, hd);
    std::copy_n(c0.data().data() + d * batch * hidden, batch * hidden, cd);
    const auto clip = [&](float v) {
      return params.clip ? std::clamp(v, -*params.clip, *params.clip) : v;
    };
    for (std::int64_t step = 0; step < steps; ++step) {
      sgemm(false, true, batch, gates, hidden, 1.0F, hd, rd, 0.0F, hr.data());
      for (std::int64_t b = 0; b < batch; ++b) {
        const std::int64_t len = lengths[static_cast<std::size_t>(b)];
        if (step >= len) continue;  // finished: H and C keep their final values, Y stays 0
        const std::int64_t t = reverse ? len - 1 - step : step;
        const float* xg = xw.data() + (t * batch + b) * gates;
        const float* hg = hr.data() + b * gates;
        const auto pre = [&](std::int64_t gate, std::int64_t j) {
          const std::int64_t k = gate * hidden + j;
          return xg[k] + hg[k] + wb[k] + rb[k];
        };
        float* h_row = hd + b * hidden;
        float* c_row = cd + b * hidden;
        float* y_row = out.y.data().data() + ((t * dirs + d) * batch + b) * hidden;
        for (std::int64_t j = 0; j < hidden; ++j) {
          const float c_prev = c_row[j];
          const float i_gate = activate(f, clip(pre(kI, j) + pd[j] * c_prev));
          const float f_gate = activate(f, clip(pre(kF, j) + pd[2 * hidden + j] * c_prev));
          const float c_cand = activate(g, clip(pre(kC, j)));
          const float c_new = f_gate * c_prev + i_gate * c_cand;
          const float o_gate = activate(f, clip(pre(kO, j) + pd[hidden + j] * c_new));
          c_row[j] = c_new;
          h_row[j] = o_gate * activate(h, c_new);
          y_row[j] = h_row[j];
        }
      }
    }
  }
  if (params.batch_major) {
    out.y = permute(out.y, {2, 0, 1, 3});
    out.y_h = permute(out.y_h, {1, 0, 2});
    out.y_c = permute(out.y_c, {1, 0, 2});
  }
  return out;
}

}  // namespace dnnspace::engine
