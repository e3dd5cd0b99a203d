// Every command checks its output paths before any work: a typo in a directory costs no
// search, and no output replaces an input, a device or a FIFO.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

void expect_refused(const std::string& args, const std::string& words) {
  const testing::CliRun r = testing::run_cli(args, "output_paths_test");
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;  // refused before any work
  EXPECT_THAT(r.err, HasSubstr(words)) << args;
}

TEST(OutputPaths, CheckedBeforeAnyWork) {
  const fs::path dir = fs::path(::testing::TempDir()) / "output_paths_test";
  fs::create_directories(dir);
  const std::string missing = (dir / "no_such_dir" / "out.json").string();
  // VGG-16's free search would take minutes: the error comes first.
  expect_refused("optimize --network vgg16 --batch 16 --json " + missing, "does not exist");
  expect_refused("dataflows --layer vgg16/conv3_1 --json " + missing, "does not exist");
  expect_refused("dse --network vgg16 --sweep rf=16,32 --csv " + missing, "--csv '");
  expect_refused("evaluate --layer alexnet/conv3 --mapping 'C|K' --json /dev/null", "is a device");
  const std::string fifo = (dir / "fifo").string();
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refused("optimize --network lenet5 --json " + fifo, "is a FIFO");
}

TEST(OutputPaths, TrainAndInferNeverWriteOverTheirInputs) {
  const fs::path dir = fs::path(::testing::TempDir()) / "output_paths_test";
  fs::create_directories(dir);
  const std::string weights = (dir / "w.bin").string();
  std::ofstream(weights) << "not really weights";
  expect_refused("infer --network mlp-784-100-100-10 --weights " + weights + " --json " + weights,
                 "is the same file as --weights");
  const std::string out = (dir / "both.out").string();
  expect_refused("train --network mlp-784-100-100-10 --weights " + out + " --json " + out,
                 "is also --weights; give the two outputs different paths");
  std::ifstream in(weights);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "not really weights");
}

}  // namespace
}  // namespace dnnspace
