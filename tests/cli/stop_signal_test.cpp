// SIGTERM (a batch scheduler's stop) and SIGINT (Ctrl-C) stop a long search cleanly: the
// best results so far are printed and written, and the exit code says which signal
// (143 = 128 + SIGTERM, 130 = 128 + SIGINT).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_run.hpp"

extern char** environ;

namespace dnnspace {
namespace {

namespace fs = std::filesystem;

// Starts a search that takes far longer than a second (VGG-16's free search on one
// thread), sends `signal` after two seconds, and returns the exit code.
int stopped_search(int signal, const std::string& json) {
  const std::string cli = DNNSPACE_CLI;
  std::vector<std::string> args = {cli, "optimize", "--network", "vgg16", "--batch", "16", "--threads", "1",
                                   "--json", json};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ::kill(pid, signal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
