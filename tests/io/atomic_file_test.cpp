// The output policy: outputs go only to regular files or new paths, never over an input
// (by device and inode, whatever the path says), atomically and keeping the old file's
// permissions; every output path is checked before any work. The tests run as root on
// the project's machines too, where permission checks alone would not stop a write.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dnnspace/io/atomic_file.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;

class OutputPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "atomic_file_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

TEST_F(OutputPolicy, WritesANewFileAndReplacesARegularOne) {
  const std::string out = path("out.json");
  ASSERT_TRUE(io::check_output_path("--json", out, {}));
  ASSERT_TRUE(io::write_file_atomically(out, "one"));
  EXPECT_EQ(read(out), "one");
  ASSERT_TRUE(io::write_file_atomically(out, "two"));
  EXPECT_EQ(read(out), "two");
  // No temporary file is left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(OutputPolicy, KeepsTheExistingFilesPermissions) {
  const std::string out = path("out.json");
  std::ofstream(out) << "old";
  ASSERT_EQ(::chmod(out.c_str(), 0640), 0);
  ASSERT_TRUE(io::write_file_atomically(out, "new"));
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(OutputPolicy, RefusesDevicesFifosAndDirectories) {
  const std::string fifo = path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto& [target, kind] : {std::pair{std::string("/dev/null"), "a device"}, std::pair{fifo, "a FIFO"},
                                     std::pair{dir_.string(), "a directory"}}) {
    const Expected<void> checked = io::check_output_path("--json", target, {});
    ASSERT_FALSE(checked) << target;
    EXPECT_EQ(checked.error().message, "--json '" + target + "': is " + kind +
                                           "; outputs are written only to regular files or new paths");
    EXPECT_FALSE(io::write_file_atomically(target, "x")) << target;
  }
  // /dev/null is still the device (as root, a rename would have replaced it).
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(OutputPolicy, FollowsASymlinkAndKeepsIt) {
  const std::string target = path("real.json"), link = path("link.json");
  std::ofstream(target) << "old";
  fs::create_symlink(target, link);
  ASSERT_TRUE(io::write_file_atomically(link, "new"));
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read(target), "new");
}

TEST_F(OutputPolicy, RefusesAnInputUnderAnyName) {
  const std::string input = path("spec.yaml"), hard = path("hard.yaml"), soft = path("soft.yaml");
  std::ofstream(input) << "spec";
  fs::create_hard_link(input, hard);
  fs::create_symlink(input, soft);
  for (const std::string& out : {input, hard, soft, path("./spec.yaml")}) {
    const Expected<void> checked = io::check_output_path("--json", out, {{"--arch", "eyeriss"}, {"--mapping", input}});
    ASSERT_FALSE(checked) << out;
    EXPECT_NE(checked.error().message.find("is the same file as --mapping '" + input + "'"), std::string::npos)
        << checked.error().message;
  }
  EXPECT_EQ(read(input), "spec");
}

TEST_F(OutputPolicy, MissingOrNonDirectoryParentsFailBeforeAnyWork) {
  const Expected<void> missing = io::check_output_path("--json", path("no/such/dir/out.json"), {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("directory '" + path("no/such/dir") + "' does not exist"), std::string::npos)
      << missing.error().message;
  std::ofstream(path("file")) << "x";
  const Expected<void> under_file = io::check_output_path("--csv", path("file/out.csv"), {});
  ASSERT_FALSE(under_file);
  EXPECT_NE(under_file.error().message.find("is not a directory"), std::string::npos) << under_file.error().message;
  EXPECT_FALSE(io::check_output_path("--json", "", {}));
}

}  // namespace
}  // namespace dnnspace
