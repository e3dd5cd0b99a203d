// Runs the real binary on every case of the bad-input catalogue (tests/bad_inputs/, its
// README says the format): the exit code, exactly one line on stderr, every expected word.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kCases = fs::path(DNNSPACE_SOURCE_DIR) / "tests" / "bad_inputs";

// Replaces every {NAME} in text by the path of NAME in dir.
std::string with_paths(std::string text, const fs::path& dir) {
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    const std::string path = (dir / text.substr(open + 1, close - open - 1)).string();
    text.replace(open, close - open + 1, path);
    open += path.size();
  }
  return text;
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BadInputs, EveryCaseFailsAsCatalogued) {
  const std::vector<fs::path> cases = case_files();
  ASSERT_GE(cases.size(), 30u) << "the catalogue is in " << kCases;
  for (const fs::path& file : cases) {
    const std::string name = file.stem().string();
    SCOPED_TRACE(name);
    const YAML::Node spec = YAML::LoadFile(file.string());
    ASSERT_TRUE(spec["why"] && spec["args"] && spec["exit"] && spec["stderr"]) << "incomplete case " << file;
    const fs::path dir = fs::path(::testing::TempDir()) / "bad_inputs" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& f : spec["files"]) {
      const fs::path p = dir / f.first.as<std::string>();
      fs::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << f.second.as<std::string>();
    }
    for (const auto& fifo : spec["fifos"]) {
      ASSERT_EQ(::mkfifo((dir / fifo.as<std::string>()).c_str(), 0600), 0);
    }
    const std::string args = with_paths(spec["args"].as<std::string>(), dir);
    const testing::CliRun r = testing::run_cli(args, "bad_inputs/" + name + "/run");
    EXPECT_EQ(r.exit_code, spec["exit"].as<int>()) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    for (const auto& word : spec["stderr"]) EXPECT_THAT(r.err, HasSubstr(with_paths(word.as<std::string>(), dir))) << args;
  }
}

}  // namespace
}  // namespace dnnspace
