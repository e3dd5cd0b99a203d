#include "dnnspace/engine/weights_io.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/engine/mlp.hpp"
#include "dnnspace/engine/network_catalog.hpp"

namespace dnnspace::engine {
namespace {

static_assert(std::endian::native == std::endian::little, "weights_io writes the host's bytes as little-endian");

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Sequential reader over the bytes; every read reports truncation with the field's name.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& origin) : bytes_(bytes), origin_(origin) {}

  template <typename T>
  Expected<T> get(std::string_view what) {
    if (bytes_.size() - at_ < sizeof(T)) return truncated(what);
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }

  Expected<std::string> get_string(std::string_view what) {
    Expected<std::uint32_t> size = get<std::uint32_t>(what);
    if (!size) return size.error();
    if (bytes_.size() - at_ < *size) return truncated(what);
    std::string s(bytes_.substr(at_, *size));
    at_ += *size;
    return s;
  }

  Expected<void> get_floats(float* into, std::size_t count, std::string_view what) {
    if ((bytes_.size() - at_) / sizeof(float) < count) return truncated(what);
    std::memcpy(into, bytes_.data() + at_, count * sizeof(float));
    at_ += count * sizeof(float);
    return {};
  }

  std::size_t remaining() const { return bytes_.size() - at_; }
  Error error(const std::string& what) const { return Error{origin_ + ": " + what}; }

 private:
  Error truncated(std::string_view what) const {
    return Error{origin_ + ": truncated weights file (ends inside " + std::string(what) + ")"};
  }
  std::string_view bytes_;
  const std::string& origin_;
  std::size_t at_ = 0;
};

}  // namespace

std::string serialize_weights(const Sequential& net) {
  std::string out(kWeightsMagic);
  put_string(out, net.name);
  put_string(out, to_string(net.activation));
  put(out, static_cast<std::uint32_t>(net.parameters.size()));
  for (const Parameter& p : net.parameters) {
    put_string(out, p.name);
    put(out, static_cast<std::uint32_t>(p.value.rank()));
    for (const std::int64_t extent : p.value.shape()) put(out, extent);
    const auto data = p.value.data();
    out.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
  }
  return out;
}

Expected<Sequential> deserialize_weights(std::string_view bytes, const std::string& origin) {
  if (!bytes.starts_with(kWeightsMagic)) {
    return Error{origin + ": not a dnnspace weights file (bad magic; expected \"" + std::string(kWeightsMagic) + "\")"};
  }
  Reader in(bytes.substr(kWeightsMagic.size()), origin);
  Expected<std::string> name = in.get_string("the network name");
  if (!name) return name.error();
  Expected<std::string> activation_name = in.get_string("the activation name");
  if (!activation_name) return activation_name.error();
  Expected<ActivationKind> activation = parse_activation(*activation_name);
  if (!activation) return in.error(activation.error().message);
  // An MLP's name gives its size: one the file's bytes cannot hold is not its network,
  // and building it would allocate whatever the name asks for.
  if (Expected<std::vector<std::int64_t>> widths = parse_mlp_name(*name)) {
    std::optional<std::int64_t> values = 0;
    for (std::size_t i = 0; i + 1 < widths->size() && values; ++i) {
      const auto weights = checked_mul((*widths)[i], (*widths)[i + 1]);
      values = weights ? checked_add(*values, *weights + (*widths)[i + 1]) : std::nullopt;
    }
    const auto room = static_cast<std::int64_t>(in.remaining() / sizeof(float));
    if (!values || *values > room) {
      return in.error("names network " + *name + ", whose parameters need more than the " +
                      std::to_string(in.remaining()) + " bytes the file has left");
    }
  }
  Expected<Sequential> net = make_network(*name, *activation, 0);
  if (!net) return in.error(net.error().message);
  Expected<std::uint32_t> count = in.get<std::uint32_t>("the parameter count");
  if (!count) return count.error();
  if (*count != net->parameters.size()) {
    return in.error("holds " + std::to_string(*count) + " parameters, " + *name + " has " +
                    std::to_string(net->parameters.size()));
  }
  for (Parameter& p : net->parameters) {
    Expected<std::string> param_name = in.get_string("a parameter name");
    if (!param_name) return param_name.error();
    if (*param_name != p.name) return in.error("parameter '" + *param_name + "' where " + *name + " has '" + p.name + "'");
    Expected<std::uint32_t> rank = in.get<std::uint32_t>("the rank of " + p.name);
    if (!rank) return rank.error();
    Shape shape;
    for (std::uint32_t d = 0; d < *rank && d < 8; ++d) {
      Expected<std::int64_t> extent = in.get<std::int64_t>("the shape of " + p.name);
      if (!extent) return extent.error();
      shape.push_back(*extent);
    }
    if (shape != p.value.shape()) {
      return in.error("parameter '" + p.name + "' has shape " + to_string(shape) + ", the network needs " +
                      to_string(p.value.shape()));
    }
    if (auto read = in.get_floats(p.value.data().data(), static_cast<std::size_t>(p.value.size()), "the values of " + p.name); !read) {
      return read.error();
    }
  }
  if (in.remaining() != 0) return in.error(std::to_string(in.remaining()) + " unexpected bytes after the last parameter");
  return net;
}

Expected<Sequential> load_weights_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{path + ": cannot open file"};
  std::stringstream buffer;
  buffer << file.rdbuf();
  return deserialize_weights(buffer.str(), path);
}

}  // namespace dnnspace::engine
