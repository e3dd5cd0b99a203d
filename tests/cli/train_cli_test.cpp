// End-to-end tests of `dnnspace train` and `dnnspace infer` on a small synthetic
// MNIST-layout dataset written to a temp directory.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_run.hpp"

namespace {

namespace fs = std::filesystem;

std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data) {
  std::string out{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((d >> shift) & 0xFF));
  }
  out.append(data.begin(), data.end());
  return out;
}

using CommandRun = dnnspace::testing::CliRun;
using dnnspace::testing::slurp;

class TrainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dnnspace_train_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "data");
    // Class c (of 10) lights up rows 2c..2c+2 of a 28x28 image; labels cycle 0..9.
    auto images = [](std::uint32_t n) {
      std::vector<std::uint8_t> pixels(static_cast<std::size_t>(n) * 784, 0);
      for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t c = i % 10;
        for (std::uint32_t r = 2 * c; r < 2 * c + 3; ++r) {
          for (std::uint32_t col = 0; col < 28; ++col) pixels[i * 784 + r * 28 + col] = static_cast<std::uint8_t>(200 + (i * 7 + col) % 50);
        }
      }
      return pixels;
    };
    auto labels = [](std::uint32_t n) {
      std::vector<std::uint8_t> l(n);
      for (std::uint32_t i = 0; i < n; ++i) l[i] = static_cast<std::uint8_t>(i % 10);
      return l;
    };
    write(dir_ / "data" / "train-images-idx3-ubyte", idx_bytes({300, 28, 28}, images(300)));
    write(dir_ / "data" / "train-labels-idx1-ubyte", idx_bytes({300}, labels(300)));
    write(dir_ / "data" / "t10k-images-idx3-ubyte", idx_bytes({100, 28, 28}, images(100)));
    write(dir_ / "data" / "t10k-labels-idx1-ubyte", idx_bytes({100}, labels(100)));
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

  static CommandRun run(const std::string& args) { return dnnspace::testing::run_cli(args, "train_cli_test"); }

  std::string data() const { return (dir_ / "data").string(); }
  fs::path dir_;
};

TEST_F(TrainCli, TrainsSavesAndInfers) {
  const std::string json = (dir_ / "train.json").string();
  const std::string weights = (dir_ / "w.bin").string();
  const CommandRun train = run("train --network mlp-784-32-10 --dataset " + data() +
                        " --epochs 3 --batch 16 --lr 0.1 --momentum 0.9 --seed 3 --threads 2 --json " + json +
                        " --weights " + weights);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("epoch  loss"), std::string::npos) << train.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(j["epochs"].size(), 3U);
  EXPECT_EQ(j["epochs"][0]["epoch"], 1);
  EXPECT_EQ(j["weights"], weights);
  EXPECT_EQ(j["activation"], "relu");
  // The classes are linearly separable: three epochs are plenty.
  EXPECT_GT(j["epochs"][2]["test_accuracy"].get<double>(), 0.9);
  EXPECT_LT(j["epochs"][2]["loss"].get<double>(), j["epochs"][0]["loss"].get<double>());
  const double trained = j["epochs"][2]["test_accuracy"].get<double>();

  const std::string infer_json = (dir_ / "infer.json").string();
  const CommandRun infer = run("infer --network mlp-784-32-10 --dataset " + data() + " --weights " + weights + " --json " + infer_json);
  ASSERT_EQ(infer.exit_code, 0) << infer.err;
  const nlohmann::json i = nlohmann::json::parse(slurp(infer_json));
  EXPECT_EQ(i["total"], 100);
  EXPECT_DOUBLE_EQ(i["test_accuracy"].get<double>(), trained);

  write(dir_ / "n.yaml", "default: {arithmetic: fixed, weights: Q4.12, activations: Q4.12, products: Q8.16}\n");
  const CommandRun fixed = run("infer --network mlp-784-32-10 --dataset " + data() + " --weights " + weights + " --numerics " +
                        (dir_ / "n.yaml").string());
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("under"), std::string::npos);

  // Same seed, same result: the JSON of a second run is identical.
  const std::string json2 = (dir_ / "train2.json").string();
  ASSERT_EQ(run("train --network mlp-784-32-10 --dataset " + data() +
                " --epochs 3 --batch 16 --lr 0.1 --momentum 0.9 --seed 3 --threads 1 --json " + json2 + " --weights " +
                (dir_ / "w2.bin").string())
                .exit_code,
            0);
  const nlohmann::json j2 = nlohmann::json::parse(slurp(json2));
  for (std::size_t e = 0; e < 3; ++e) {
    for (const char* key : {"loss", "train_accuracy", "test_accuracy"}) {
      EXPECT_EQ(j2["epochs"][e][key], j["epochs"][e][key]) << key;  // timings differ, results do not
    }
  }
  EXPECT_EQ(slurp(dir_ / "w2.bin"), slurp(weights));
}

// Minerva's stages 4 and 5 on saved weights (001 Sec. 4.4.2-4.4.3). The test set holds 10
// images of each class, so a network whose output no longer depends on the image scores
// exactly 0.1: so do one whose every weight bit faulted under word or bit masking (every
// weight reads 0), and one whose last layer's inputs are all pruned.
TEST_F(TrainCli, InferWithPrunedActivationsAndSramFaults) {
  const std::string weights = (dir_ / "w.bin").string();
  ASSERT_EQ(run("train --network mlp-784-32-10 --dataset " + data() + " --epochs 3 --batch 16 --lr 0.1 --momentum 0.9 "
                "--seed 3 --weights " + weights).exit_code, 0);
  write(dir_ / "q.yaml", "default: {arithmetic: fixed, weights: Q4.12, activations: Q4.12, products: Q8.16}\n");
  const std::string base = "infer --network mlp-784-32-10 --dataset " + data() + " --weights " + weights + " --numerics ";
  const std::string q = (dir_ / "q.yaml").string();
  const std::string clean_json = (dir_ / "clean.json").string();
  ASSERT_EQ(run(base + q + " --json " + clean_json).exit_code, 0);
  const nlohmann::json clean = nlohmann::json::parse(slurp(clean_json));
  EXPECT_GT(clean["test_accuracy"].get<double>(), 0.9);
  EXPECT_EQ(clean["pruned_macs"], 0);
  EXPECT_EQ(clean["macs"], 100 * (784 * 32 + 32 * 10));

  // Rate 0: every map is the clean network.
  const std::string zero_json = (dir_ / "zero.json").string();
  ASSERT_EQ(run(base + q + " --fault-rate 0 --fault-maps 3 --json " + zero_json).exit_code, 0);
  const nlohmann::json zero = nlohmann::json::parse(slurp(zero_json));
  EXPECT_EQ(zero["faults"]["accuracy_mean"], clean["test_accuracy"]);
  EXPECT_EQ(zero["faults"]["faulty_bits"], 0);
  EXPECT_EQ(zero["faults"]["bits"], 3 * 16 * (784 * 32 + 32 * 10));
  for (const char* mitigation : {"word", "bit"}) {
    const std::string json = (dir_ / (std::string(mitigation) + ".json")).string();
    const CommandRun all = run(base + q + " --fault-rate 1 --mitigation " + mitigation + " --fault-maps 2 --json " + json);
    ASSERT_EQ(all.exit_code, 0) << all.err;
    const nlohmann::json j = nlohmann::json::parse(slurp(json));
    EXPECT_EQ(j["faults"]["accuracy_min"], 0.1) << mitigation;
    EXPECT_EQ(j["faults"]["accuracy_max"], 0.1) << mitigation;
    EXPECT_EQ(j["faults"]["faulty_bits"], j["faults"]["bits"]);
    EXPECT_NE(all.out.find("with SRAM faults (bit rate 1, mitigation " + std::string(mitigation) + ", 2 fault maps)"),
              std::string::npos) << all.out;
  }

  // Threshold 0 prunes only zeros: the accuracy stays; fc2's inputs all pruned: 0.1.
  write(dir_ / "p0.yaml", "default: {arithmetic: fixed, weights: Q4.12, activations: Q4.12, products: Q8.16, "
                          "prune_threshold: 0}\n");
  const std::string p0_json = (dir_ / "p0.json").string();
  ASSERT_EQ(run(base + (dir_ / "p0.yaml").string() + " --json " + p0_json).exit_code, 0);
  const nlohmann::json p0 = nlohmann::json::parse(slurp(p0_json));
  EXPECT_EQ(p0["test_accuracy"], clean["test_accuracy"]);
  EXPECT_GT(p0["pruned_fraction"].get<double>(), 0.5);  // most pixels of these images are 0
  write(dir_ / "pall.yaml", "default: {arithmetic: fixed, weights: Q4.12, activations: Q4.12, products: Q8.16}\n"
                            "layers: {fc2: {prune_threshold: 1000}}\n");
  const std::string pall_json = (dir_ / "pall.json").string();
  ASSERT_EQ(run(base + (dir_ / "pall.yaml").string() + " --json " + pall_json).exit_code, 0);
  const nlohmann::json pall = nlohmann::json::parse(slurp(pall_json));
  EXPECT_EQ(pall["test_accuracy"], 0.1);
  EXPECT_EQ(pall["pruned_macs"], 100 * 32 * 10);

  const CommandRun fp32 = run("infer --network mlp-784-32-10 --dataset " + data() + " --weights " + weights +
                              " --fault-rate 0.01");
  EXPECT_EQ(fp32.exit_code, 2);
  EXPECT_EQ(fp32.err, "dnnspace: error: --fault-rate: weight faults: layer 'fc1' does not run in fixed point: only "
                      "fixed-point weight words have bits to fault (give --numerics with arithmetic: fixed)\n");
  const CommandRun seed = run(base + q + " --fault-rate 0.01 --fault-seed -1");
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_NE(seed.err.find("must be a whole number in 0..9223372036854775807, got '-1'"), std::string::npos) << seed.err;
  const CommandRun mitigation = run(base + q + " --fault-rate 0.01 --mitigation parity");
  EXPECT_EQ(mitigation.exit_code, 2);
  EXPECT_EQ(mitigation.err, "dnnspace: error: --mitigation 'parity': allowed: none, word, bit\n");
}

// Minerva's stage 3: the formats the bit search finds keep the error within the bound, and
// the numerics YAML it writes gives that same error when read back.
TEST_F(TrainCli, BitSearchWritesNumericsThatKeepTheBound) {
  const std::string weights = (dir_ / "w.bin").string();
  ASSERT_EQ(run("train --network mlp-784-32-10 --dataset " + data() + " --epochs 3 --batch 16 --lr 0.1 --momentum 0.9 "
                "--seed 3 --weights " + weights).exit_code, 0);
  const std::string base = "infer --network mlp-784-32-10 --dataset " + data() + " --weights " + weights;
  const std::string found = (dir_ / "found.yaml").string(), json = (dir_ / "bits.json").string();
  const CommandRun search = run(base + " --search-bits 0.05 --numerics-out " + found + " --json " + json);
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("bit search (001 stage 3) for mlp-784-32-10"), std::string::npos) << search.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  EXPECT_LE(j["error"].get<double>(), 0.05);
  ASSERT_EQ(j["layers"].size(), 2u);
  EXPECT_EQ(j["layers"][0]["layer"], "fc1");
  // Fewer bits than the start (Q6.10) somewhere: the search searched.
  EXPECT_NE(j["layers"][0]["weights"], "Q6.10");
  const std::string again_json = (dir_ / "again.json").string();
  const CommandRun again = run(base + " --numerics " + found + " --json " + again_json);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_DOUBLE_EQ(1.0 - nlohmann::json::parse(slurp(again_json))["test_accuracy"].get<double>(), j["error"].get<double>());
  const CommandRun same = run(base + " --search-bits 0.05 --numerics-out " + json + " --json " + json);
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("--numerics-out and --json name the same file"), std::string::npos) << same.err;
}

// The accuracy under hardware numerics is that of the trained weights: Q4.12 fixed point
// loses a point or two against fp32, never the ~10% of the untrained network (an earlier
// version converted the weights before training).
TEST_F(TrainCli, NumericsUseTheTrainedWeights) {
  write(dir_ / "n.yaml", "default: {arithmetic: fixed, weights: Q4.12, activations: Q4.12, products: Q8.16}\n");
  const std::string json = (dir_ / "train.json").string();
  const CommandRun train = run("train --network mlp-784-32-10 --dataset " + data() +
                               " --epochs 2 --batch 16 --lr 0.1 --momentum 0.9 --seed 5 --numerics " +
                               (dir_ / "n.yaml").string() + " --json " + json);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("test_acc_numerics"), std::string::npos) << train.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  for (const nlohmann::json& epoch : j["epochs"]) {
    const double fp32 = epoch["test_accuracy"].get<double>();
    const double fixed = epoch["test_accuracy_numerics"].get<double>();
    EXPECT_GT(fp32, 0.9);
    EXPECT_NEAR(fixed, fp32, 0.03) << "epoch " << epoch["epoch"];
  }
}

// --accelerator mehta: the run trains with the LUT sigmoid and reports 002's pipeline for
// the samples trained: 784-input then 32-input neurons, 36 cycles per input + 80, each layer
// waiting 5 cycles (18.42 ns at 4 ns) for its memory.
TEST_F(TrainCli, MehtaAcceleratorReportsItsPipeline) {
  const std::string json = (dir_ / "mehta.json").string();
  const CommandRun train = run("train --network mlp-784-32-10 --activation sigmoid --dataset " + data() +
                               " --epochs 2 --batch 16 --lr 0.5 --momentum 0.9 --accelerator mehta --json " + json);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("on the mehta accelerator"), std::string::npos) << train.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  const nlohmann::json& a = j["accelerator"];
  EXPECT_EQ(a["neurons"], 42);
  EXPECT_EQ(a["cycles_per_sample"], (36 * 784 + 80 + 5) + (36 * 32 + 80 + 5));
  EXPECT_EQ(a["samples"], 600);
  EXPECT_NEAR(a["seconds"].get<double>(), 600 * 29'546 * 4e-9, 1e-12);
  EXPECT_NEAR(a["power_w"].get<double>(), 42 * (4.47 + 0.26936 + 18.17 / 7) / 1000, 1e-12);
  EXPECT_GT(j["epochs"][1]["test_accuracy"].get<double>(), 0.9);  // the LUT sigmoid still learns the classes

  const char* cases[][2] = {
      {"train --network mlp-784-32-10 --activation sigmoid --accelerator tpu", "--accelerator 'tpu': allowed: mehta"},
      {"train --network mlp-784-32-10 --memory unified", "--memory requires --accelerator"},
      {"train --network mlp-784-32-10 --activation relu --accelerator mehta", "give --activation sigmoid"},
      {"train --network lenet5 --activation sigmoid --accelerator mehta", "not fully connected"},
      {"train --network mlp-784-32-10 --activation sigmoid --accelerator mehta --memory sram",
       "--memory 'sram': allowed: distributed, unified"},
  };
  for (const auto& c : cases) {
    const CommandRun bad = run(std::string(c[0]) + " --dataset " + data());
    EXPECT_EQ(bad.exit_code, 2) << c[0] << ": " << bad.err;
    EXPECT_NE(bad.err.find(c[1]), std::string::npos) << c[0] << ": " << bad.err;
  }
}

TEST_F(TrainCli, Errors) {
  const CommandRun network = run("train --network mlp-x --dataset " + data());
  EXPECT_EQ(network.exit_code, 2);
  EXPECT_NE(network.err.find("is not an MLP name"), std::string::npos) << network.err;
  const CommandRun missing = run("train --network lenet5 --dataset " + (dir_ / "nowhere").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no train-images-idx3-ubyte"), std::string::npos) << missing.err;
  const CommandRun size = run("train --network mlp-100-10 --dataset " + data());
  EXPECT_EQ(size.exit_code, 2);
  EXPECT_NE(size.err.find("takes 100 inputs"), std::string::npos) << size.err;
  write(dir_ / "bad.yaml", "default: {arithmetic: fixed, weights: Q40.2}\n");
  const CommandRun numerics = run("train --network mlp-784-10 --dataset " + data() + " --numerics " + (dir_ / "bad.yaml").string());
  EXPECT_EQ(numerics.exit_code, 2);
  EXPECT_NE(numerics.err.find("bad.yaml:1: field 'weights'"), std::string::npos) << numerics.err;
  const CommandRun wide = run("train --network mlp-784-100000000-10 --dataset " + data());
  EXPECT_EQ(wide.exit_code, 2);
  EXPECT_NE(wide.err.find("layer width 100000000 is past the limit of 16777216 (2^24)"), std::string::npos) << wide.err;
  const CommandRun huge = run("train --network mlp-784-16777216-10 --dataset " + data());  // 13.3 G weights
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.err.find("more than 268435456 (2^28) weights and biases"), std::string::npos) << huge.err;
  const CommandRun epochs = run("train --network mlp-784-10 --epochs 99999999999 --dataset " + data());
  EXPECT_EQ(epochs.exit_code, 2);
  EXPECT_NE(epochs.err.find("--epochs"), std::string::npos) << epochs.err;
  const CommandRun classes = run("train --network mlp-784-10-5 --dataset " + data());
  EXPECT_EQ(classes.exit_code, 2);
  EXPECT_NE(classes.err.find("has 5 outputs, dataset " + data() + " has labels up to 9"), std::string::npos) << classes.err;
  const CommandRun over = run("train --network mlp-784-10 --dataset " + data() + " --json " + data() +
                              "/t10k-labels-idx1-ubyte");
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_NE(over.err.find("is the same file as --dataset"), std::string::npos) << over.err;
  EXPECT_EQ(slurp(dir_ / "data" / "t10k-labels-idx1-ubyte").size(), 8u + 100u);  // untouched
  const CommandRun empty = run("train --network mlp-784-10 --activation sigmoid --accelerator '' --dataset " + data());
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("--accelerator '': allowed: mehta"), std::string::npos) << empty.err;
  const CommandRun activation = run("train --network mlp-784-10 --activation swish --dataset " + data());
  EXPECT_EQ(activation.exit_code, 2);
  EXPECT_NE(activation.err.find("allowed: sigmoid, relu, tanh"), std::string::npos) << activation.err;
  const std::string weights = (dir_ / "w.bin").string();
  ASSERT_EQ(run("train --network mlp-784-10 --epochs 1 --dataset " + data() + " --weights " + weights).exit_code, 0);
  const CommandRun other = run("infer --network mlp-784-20-10 --dataset " + data() + " --weights " + weights);
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("holds weights of mlp-784-10, not of --network mlp-784-20-10"), std::string::npos) << other.err;
}

}  // namespace
