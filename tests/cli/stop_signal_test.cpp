// SIGTERM (a batch scheduler's stop) and SIGINT (Ctrl-C) stop a long search cleanly: the
// best results so far are printed and written, and the exit code says which signal
// (143 = 128 + SIGTERM, 130 = 128 + SIGINT).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_run.hpp"
#include "support/cli_spawn.hpp"


namespace dnnspace {
namespace {

namespace fs = std::filesystem;

// Starts a search that takes far longer than a second (VGG-16's free search on one
// thread), sends `signal` after two seconds, and returns the exit code.
int stopped_search(int signal, const std::string& json) {
  const pid_t pid =
      testing::spawn_cli({"optimize", "--network", "vgg16", "--batch", "16", "--threads", "1", "--json", json});
  if (pid < 0) return -1;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ::kill(pid, signal);
  return testing::wait_exit_code(pid);
}

TEST(StopSignals, TermAndIntStopCleanlyWithTheirExitCodes) {
  const fs::path dir = fs::path(::testing::TempDir()) / "stop_signal_test";
  fs::create_directories(dir);
  for (const auto& [signal, code] : {std::pair{SIGTERM, 143}, std::pair{SIGINT, 130}}) {
    const std::string json = (dir / ("stopped" + std::to_string(signal) + ".json")).string();
    fs::remove(json);
    ASSERT_EQ(stopped_search(signal, json), code) << "signal " << signal;
    const nlohmann::json j = nlohmann::json::parse(testing::slurp(json));
    EXPECT_TRUE(j["interrupted"].get<bool>());
    EXPECT_LT(j["total"]["layers_mapped"].get<int>(), 16);  // stopped before the end
  }
}

}  // namespace
}  // namespace dnnspace
