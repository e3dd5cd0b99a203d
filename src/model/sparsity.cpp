#include "dnnspace/model/sparsity.hpp"

namespace dnnspace {

double performed_mac_fraction(const Layer& layer, const Architecture& arch) noexcept {
  if (arch.array.zeros == ZeroHandling::None || layer.pass != Pass::Forward) return 1.0;
  double fraction = 1.0;
  for (TensorId t : layer_tensors(layer)) {
    if (t != TensorId::Outputs && arch.array.zero_checked[t]) fraction *= layer.density[t];
  }
  return fraction;
}

double stored_word_fraction(const Architecture& arch, const StorageLevel& level, TensorId t, double density) noexcept {
  const double bits = tensor_bits(arch, level, t);
  switch (level.compression[t]) {
    case Compression::None: return 1.0;
    case Compression::Bitmask: return density + 1.0 / bits;
    case Compression::RunLength: return density * (1.0 + static_cast<double>(level.run_bits) / bits);
  }
  return 1.0;
}

bool sparsity_applies(const Layer& layer, const Architecture& arch) noexcept {
  if (layer.pass != Pass::Forward) return false;
  if (performed_mac_fraction(layer, arch) != 1.0) return true;
  for (const StorageLevel& level : arch.levels) {
    for (TensorId t : layer_tensors(layer)) {
      if (holds_tensor(level, t) && level.compression[t] != Compression::None) return true;
    }
  }
  return false;
}

}  // namespace dnnspace
