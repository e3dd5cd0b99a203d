// Weights files: round trip and every kind of broken file.
#include "dnnspace/engine/weights_io.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "dnnspace/engine/network_catalog.hpp"

namespace dnnspace::engine {
namespace {

TEST(WeightsIo, RoundTrip) {
  for (const char* name : {"mlp-784-100-100-10", "lenet5", "mlp-5-3"}) {
    const Sequential net = make_network(name, ActivationKind::Tanh, 7).value();
    const std::string bytes = serialize_weights(net);
    const Expected<Sequential> back = deserialize_weights(bytes, "w.bin");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->name, net.name);
    EXPECT_EQ(back->activation, ActivationKind::Tanh);
    ASSERT_EQ(back->parameters.size(), net.parameters.size());
    for (std::size_t p = 0; p < net.parameters.size(); ++p) EXPECT_TRUE(back->parameters[p].value == net.parameters[p].value);
  }
}

TEST(WeightsIo, LayoutOfASmallFile) {
  // mlp-1-1: magic (8) + name (4 + 7) + activation (4 + 4 "relu") + count (4) +
  // fc1.weight (4 + 10, rank 4, 2 extents 16, 1 float 4 = 38) + fc1.bias (4 + 8, 4, 8, 4 = 28)
  // = 8 + 11 + 8 + 4 + 38 + 28 = 97 bytes.
  const Sequential net = make_network("mlp-1-1", std::nullopt, 1).value();
  const std::string bytes = serialize_weights(net);
  EXPECT_EQ(bytes.size(), 97U);
  EXPECT_EQ(bytes.substr(0, 8), "DNNSWTS1");
  EXPECT_EQ(bytes.substr(12, 7), "mlp-1-1");
  float w = 0;
  std::memcpy(&w, bytes.data() + 8 + 11 + 8 + 4 + 14 + 4 + 16, 4);
  EXPECT_EQ(w, net.parameters[0].value.data()[0]);
}

void expect_error(std::string_view bytes, const std::string& what) {
  const Expected<Sequential> r = deserialize_weights(bytes, "w.bin");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("w.bin: "), std::string::npos);
  EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
}

TEST(WeightsIoErrors, BrokenFiles) {
  const std::string good = serialize_weights(make_network("mlp-3-2", std::nullopt, 1).value());
  expect_error("NOTWEIGHTS", "bad magic");
  expect_error(good.substr(0, good.size() - 3), "truncated weights file (ends inside the values of fc1.bias)");
  expect_error(good + "x", "1 unexpected bytes after the last parameter");
  std::string renamed = good;
  renamed.replace(renamed.find("mlp-3-2"), 7, "mlp-3-3");
  expect_error(renamed, "parameter 'fc1.weight' has shape [2, 3], the network needs [3, 3]");
  std::string unknown = good;
  unknown.replace(unknown.find("mlp-3-2"), 7, "cnn-3-2");
  expect_error(unknown, "network 'cnn-3-2' is not known");
  EXPECT_FALSE(load_weights_file("/nonexistent/w.bin"));
  // Found by fuzz/weights_fuzz: a name such as mlp-898999-9999999 asked for a network of
  // 9e12 parameters before a single value was read. 9,999,999 x 9,999,999 + 9,999,999
  // values cannot fit in what is left of this file.
  const std::string big_name = "mlp-9999999-9999999";
  std::string huge = good;
  huge.replace(huge.find("mlp-3-2"), 7, big_name);
  const auto longer = static_cast<std::uint32_t>(big_name.size());
  std::memcpy(huge.data() + huge.find(big_name) - 4, &longer, 4);
  expect_error(huge, "names network mlp-9999999-9999999, whose parameters need more than the");
}

}  // namespace
}  // namespace dnnspace::engine
