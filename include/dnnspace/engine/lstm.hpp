// lstm: fp32 reference LSTM over a whole sequence (ONNX LSTM, opset 14 semantics).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Which way(s) the sequence is read; Bidirectional runs both and stacks them as direction 0
/// (forward) and 1 (reverse).
enum class LstmDirection { Forward, Reverse, Bidirectional };

/// Gate nonlinearities ONNX allows without extra alpha/beta parameters.
enum class LstmActivation { Sigmoid, Tanh, Relu };

/// LSTM attributes (ONNX names and defaults).
struct LstmParams {
  std::int64_t hidden_size = 0;  ///< H, must match W and R
  LstmDirection direction = LstmDirection::Forward;
  bool batch_major = false;      ///< ONNX layout = 1: X, Y, Y_h, Y_c have batch first
  std::optional<float> clip{};   ///< clamp gate pre-activations to [-clip, clip]
  /// f (gates), g (cell input), h (cell output) per direction, in that order: 3 entries, or
  /// 6 for Bidirectional (forward first). Empty means the ONNX default Sigmoid, Tanh, Tanh.
  std::vector<LstmActivation> activations{};
};

/// The optional LSTM inputs; a null tensor or empty span means ONNX's default (zeros, or the
/// full sequence for every batch entry).
struct LstmOptionalInputs {
  const Tensor* bias = nullptr;                 ///< B [dirs, 8H]: Wb (iofc) then Rb (iofc)
  std::span<const std::int64_t> sequence_lens{};  ///< [batch], each in [1, seq_length]
  const Tensor* initial_h = nullptr;            ///< [dirs, batch, H]
  const Tensor* initial_c = nullptr;            ///< [dirs, batch, H]
  const Tensor* peepholes = nullptr;            ///< P [dirs, 3H]: Pi, Po, Pf
};

/// The three LSTM outputs (shapes for batch_major = false; batch_major moves batch first).
struct LstmOutputs {
  Tensor y;    ///< [seq, dirs, batch, H]: every hidden state, zero past a sequence's length
  Tensor y_h;  ///< [dirs, batch, H]: the last hidden state of each sequence
  Tensor y_c;  ///< [dirs, batch, H]: the last cell state of each sequence
};

/// Runs the ONNX LSTM on x [seq, batch, input] with weights w [dirs, 4H, input] and recurrence
/// r [dirs, 4H, H], gate blocks in ONNX order i, o, f, c. Per step, with f, g, h the activations:
///   i = f(Xt Wi' + Ht-1 Ri' + Pi . Ct-1 + Wbi + Rbi),  f = f(... Wf, Rf, Pf . Ct-1 ...)
///   c~ = g(Xt Wc' + Ht-1 Rc' + Wbc + Rbc),             Ct = f . Ct-1 + i . c~
///   o = f(Xt Wo' + Ht-1 Ro' + Po . Ct + Wbo + Rbo),    Ht = o . h(Ct)
/// The reverse direction of a sequence of length L reads steps L-1 down to 0. An Error when an
/// extent disagrees with the others, hidden_size < 1, the activation list has the wrong length,
/// or a sequence length is outside [1, seq_length]. (input_forget is not supported.)
[[nodiscard]] Expected<LstmOutputs> lstm(const Tensor& x, const Tensor& w, const Tensor& r,
                                         const LstmOptionalInputs& optional,
                                         const LstmParams& params);

}  // namespace dnnspace::engine
