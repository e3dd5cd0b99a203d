// dse --checkpoint / --resume: a sweep stopped by SIGTERM midway and resumed gives the
// same table, JSON and CSV as the sweep run without a stop; the checkpoint refuses to be
// written over or resumed by a run with other settings.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_run.hpp"
#include "support/cli_spawn.hpp"


namespace dnnspace {
namespace {

namespace fs = std::filesystem;

// Four design points of ResNet-34 (about half a second each on one thread).
const std::string kSweep = "dse --network resnet34 --batch 1 --sweep rf=16,32,64,128 --threads 1";

std::size_t line_count(const std::string& path) {
  std::size_t n = 0;
  for (char c : testing::slurp(path)) n += c == '\n' ? 1 : 0;
  return n;
}

// Runs `dnnspace ARGS --checkpoint FILE`, sends SIGTERM once `records` records are in
// the file, and returns the exit code (-2: it ended before).
int stopped_run(std::vector<std::string> args, const std::string& checkpoint, std::size_t records) {
  args.push_back("--checkpoint");
  args.push_back(checkpoint);
  const pid_t pid = testing::spawn_cli(std::move(args));
  if (pid < 0) return -1;
  int status = 0;
  // The header and the records; two minutes at most (sanitizer builds are slower).
  for (int waited_ms = 0; waited_ms < 120000 && line_count(checkpoint) < records + 1; waited_ms += 5) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGTERM);
  return testing::wait_exit_code(pid);
}

TEST(Checkpoint, ASweepStoppedBySigtermAndResumedEqualsTheUninterruptedSweep) {
  const fs::path dir = fs::path(::testing::TempDir()) / "checkpoint_cli_test";
  fs::create_directories(dir);
  const std::string ck = (dir / "sweep.jsonl").string();
  fs::remove(ck);
  const std::string ref_json = (dir / "ref.json").string(), ref_csv = (dir / "ref.csv").string();
  const testing::CliRun ref = testing::run_cli(kSweep + " --json " + ref_json + " --csv " + ref_csv, "checkpoint_ref");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;

  ASSERT_EQ(stopped_run({"dse", "--network", "resnet34", "--batch", "1", "--sweep", "rf=16,32,64,128", "--threads", "1"},
                        ck, 1),
            143);
  const std::size_t kept = line_count(ck) - 1;  // records after the header
  EXPECT_GE(kept, 1u);
  EXPECT_LT(kept, 4u) << "the stop came after the last point";

  const std::string json = (dir / "resumed.json").string(), csv = (dir / "resumed.csv").string();
  const testing::CliRun resumed =
      testing::run_cli(kSweep + " --resume " + ck + " --json " + json + " --csv " + csv, "checkpoint_resumed");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.err, "dnnspace: resumed " + std::to_string(kept) + " of 4 design points from '" + ck + "'\n");
  EXPECT_EQ(resumed.out, ref.out);
  EXPECT_EQ(testing::slurp(json), testing::slurp(ref_json));
  EXPECT_EQ(testing::slurp(csv), testing::slurp(ref_csv));
  EXPECT_EQ(line_count(ck), 5u);  // every point is in the checkpoint now

  // A finished checkpoint resumes with no search and the same result; a cut last line
  // (a write the stop interrupted) is ignored and cut off.
  { std::ofstream(ck, std::ios::app) << "{\"point\": 3, \"lab"; }
  const testing::CliRun again = testing::run_cli(kSweep + " --resume " + ck, "checkpoint_again");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, ref.out);
  EXPECT_EQ(line_count(ck), 5u);
  EXPECT_EQ(testing::slurp(ck).back(), '\n');
}

// optimize over a network: each searched layer is a record (ResNet-34's repeated blocks
// are searched once); resumed, the JSON is the same to the counters of every search.
TEST(Checkpoint, AnOptimizeStoppedBySigtermAndResumedEqualsTheUninterruptedRun) {
  const fs::path dir = fs::path(::testing::TempDir()) / "checkpoint_optimize";
  fs::create_directories(dir);
  const std::string ck = (dir / "layers.jsonl").string();
  fs::remove(ck);
  const std::string run = "optimize --network resnet34 --batch 4 --threads 1";
  const std::string ref_json = (dir / "ref.json").string(), json = (dir / "resumed.json").string();
  const testing::CliRun ref = testing::run_cli(run + " --json " + ref_json, "checkpoint_optimize_ref");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  ASSERT_EQ(stopped_run({"optimize", "--network", "resnet34", "--batch", "4", "--threads", "1"}, ck, 3), 143);
  const std::size_t kept = line_count(ck) - 1;
  EXPECT_GE(kept, 3u);
  EXPECT_LT(kept, 12u) << "the stop came after the last layer search";
  const testing::CliRun resumed = testing::run_cli(run + " --resume " + ck + " --json " + json, "checkpoint_optimize_resumed");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.err, "dnnspace: resumed " + std::to_string(kept) + " layer searches from '" + ck + "'\n");
  EXPECT_EQ(resumed.out, ref.out);
  EXPECT_EQ(testing::slurp(json), testing::slurp(ref_json));
  EXPECT_EQ(line_count(ck), 13u);  // 12 distinct layer shapes searched

  // A record marked interrupted is not a finished search: refused.
  std::string text = testing::slurp(ck);
  const std::size_t at = text.find("\"interrupted\":false");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 19, "\"interrupted\":true");
  const std::string odd = (dir / "interrupted.jsonl").string();
  { std::ofstream(odd, std::ios::trunc) << text; }
  const testing::CliRun refused = testing::run_cli(run + " --resume " + odd, "checkpoint_optimize_interrupted");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find(":2: a layer search that was interrupted"), std::string::npos) << refused.err;

  const testing::CliRun fused = testing::run_cli(run + " --fuse --resume " + ck, "checkpoint_optimize_fuse");
  EXPECT_EQ(fused.exit_code, 2);
  EXPECT_NE(fused.err.find("--fuse excludes --resume"), std::string::npos) << fused.err;
}

// A sweep as a job array: --shard K/M runs part of it with a checkpoint of its own; the
// checkpoints concatenated resume as the whole sweep, searching nothing.
TEST(Checkpoint, ShardsOfASweepMergeIntoTheWholeSweep) {
  const fs::path dir = fs::path(::testing::TempDir()) / "checkpoint_shards";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string sweep = "dse --network lenet5 --sweep rf=16,32,64 --sweep gb=32K,64K --min-util 0.5 --threads 1";
  const std::string ref_json = (dir / "ref.json").string();
  const testing::CliRun ref = testing::run_cli(sweep + " --json " + ref_json, "shards_ref");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  std::string merged;
  for (int k = 0; k < 4; ++k) {  // 6 points: shards of 2, 2, 1 and 1
    const std::string ck = (dir / ("shard" + std::to_string(k) + ".jsonl")).string();
    const testing::CliRun part =
        testing::run_cli(sweep + " --shard " + std::to_string(k) + "/4 --checkpoint " + ck, "shard" + std::to_string(k));
    ASSERT_EQ(part.exit_code, 0) << part.err;
    EXPECT_EQ(part.err, "dnnspace: shard " + std::to_string(k) + "/4: " + (k < 2 ? "2" : "1") +
                            " of the sweep's 6 design points\n");
    EXPECT_EQ(line_count(ck), k < 2 ? 3u : 2u);
    merged += testing::slurp(ck);
  }
  const std::string all = (dir / "all.jsonl").string(), json = (dir / "merged.json").string();
  { std::ofstream(all) << merged; }
  const testing::CliRun whole = testing::run_cli(sweep + " --resume " + all + " --json " + json, "shards_merged");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(whole.err, "dnnspace: resumed 6 of 6 design points from '" + all + "'\n");
  EXPECT_EQ(whole.out, ref.out);
  EXPECT_EQ(testing::slurp(json), testing::slurp(ref_json));

  const testing::CliRun bad = testing::run_cli(sweep + " --shard 4/4", "shard_bad");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "dnnspace: error: --shard '4/4': expected K/M with whole numbers 0 <= K < M <= 1000000 (task K of "
                     "M, e.g. 0/4): the points whose index mod M is K\n");
}

TEST(Checkpoint, RefusesToMixRunsOrWriteOverAFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / "checkpoint_refusals";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string ck = (dir / "ck.jsonl").string();
  const std::string small = "dse --network lenet5 --sweep rf=16,32 --min-util 0.5 --threads 1";
  ASSERT_EQ(testing::run_cli(small + " --checkpoint " + ck, "ck_first").exit_code, 0);

  const testing::CliRun exists = testing::run_cli(small + " --checkpoint " + ck, "ck_exists");
  EXPECT_EQ(exists.exit_code, 2);
  EXPECT_EQ(exists.err, "dnnspace: error: --checkpoint '" + ck + "': the file exists; continue that run with --resume " +
                            ck + ", or name a new checkpoint file\n");
  const testing::CliRun other = testing::run_cli(small + " --objective cycles --resume " + ck, "ck_other");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_EQ(other.err, "dnnspace: error: --resume '" + ck +
                           "': written by a different run: 'objective' was \"energy\", now \"cycles\" (resume with the "
                           "same settings, or start a new checkpoint)\n");
  const testing::CliRun missing = testing::run_cli(small + " --resume " + ck + ".nope", "ck_missing");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read it: No such file or directory"), std::string::npos) << missing.err;
  const testing::CliRun same = testing::run_cli(small + " --resume " + ck + " --json " + ck, "ck_same");
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_EQ(same.err, "dnnspace: error: --resume and --json name the same file '" + ck + "'\n");

  // The checkpoint is never an output's file, however the path is spelled.
  const std::string spelled = (dir / "." / "new.jsonl").string(), json_of_it = (dir / "new.jsonl").string();
  const testing::CliRun dot = testing::run_cli(small + " --checkpoint " + spelled + " --json " + json_of_it, "ck_dot");
  EXPECT_EQ(dot.exit_code, 2);
  EXPECT_NE(dot.err.find("--checkpoint and --json name the same file"), std::string::npos) << dot.err;
  fs::create_symlink(dir / "target.jsonl", dir / "link.json");
  const testing::CliRun link = testing::run_cli(
      small + " --checkpoint " + (dir / "target.jsonl").string() + " --csv " + (dir / "link.json").string(), "ck_link");
  EXPECT_EQ(link.exit_code, 2);
  EXPECT_NE(link.err.find("--checkpoint and --csv name the same file"), std::string::npos) << link.err;
  EXPECT_FALSE(fs::exists(dir / "target.jsonl"));
  // A bad --shard is refused before the checkpoint is created; an empty one too.
  const std::string shard_ck = (dir / "shard.jsonl").string();
  EXPECT_EQ(testing::run_cli(small + " --shard 3/2 --checkpoint " + shard_ck, "ck_shard").exit_code, 2);
  EXPECT_FALSE(fs::exists(shard_ck));
  const testing::CliRun empty_shard = testing::run_cli(small + " --shard ''", "ck_empty_shard");
  EXPECT_EQ(empty_shard.exit_code, 2);
  EXPECT_NE(empty_shard.err.find("--shard '': expected K/M"), std::string::npos) << empty_shard.err;
  const testing::CliRun empty = testing::run_cli(small + " --checkpoint ''", "ck_empty");
  EXPECT_EQ(empty.err, "dnnspace: error: --checkpoint: an empty value (allowed: the path of a checkpoint file)\n");
  const testing::CliRun directory = testing::run_cli(small + " --checkpoint " + dir.string(), "ck_dir");
  EXPECT_EQ(directory.exit_code, 2);
  EXPECT_NE(directory.err.find("not a regular file"), std::string::npos) << directory.err;
  // A header whose command is not a string: one line, not an internal error.
  const std::string odd = (dir / "odd.jsonl").string();
  { std::ofstream(odd) << "{\"dnnspace_checkpoint\": 1, \"command\": 5, \"run\": {}}\n"; }
  const testing::CliRun odd_run = testing::run_cli(small + " --resume " + odd, "ck_odd");
  EXPECT_EQ(odd_run.exit_code, 2);
  EXPECT_EQ(odd_run.err, "dnnspace: error: " + odd + ":1: a checkpoint header without its 'command' or 'run'\n");

  // A record whose mapping was edited but still covers the layer: its cost differs from
  // the one recorded, so it is refused.
  {
    std::string text = testing::slurp(ck);
    const std::size_t at = text.find("\"temporal\":[[\"");
    ASSERT_NE(at, std::string::npos);
    const std::size_t factor = text.find(',', at) + 1;
    text.insert(factor, "1");  // a factor f becomes 1f: more iterations than the layer has
    const std::string edited_ck = (dir / "edited_cost.jsonl").string();
    { std::ofstream(edited_ck) << text; }
    const testing::CliRun over = testing::run_cli(small + " --resume " + edited_ck, "ck_over");
    EXPECT_EQ(over.exit_code, 2);
    EXPECT_NE(over.err.find("pJ and"), std::string::npos) << over.err;
    EXPECT_NE(over.err.find("an edited record"), std::string::npos) << over.err;
  }

  // A record whose mapping no longer fits the run's layer (edited, or of another network).
  std::string text = testing::slurp(ck);
  const std::size_t at = text.find("[\"C\",");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "[\"K\",");
  { std::ofstream(ck, std::ios::trunc) << text; }
  const testing::CliRun edited = testing::run_cli(small + " --resume " + ck, "ck_edited");
  EXPECT_EQ(edited.exit_code, 2);
  EXPECT_NE(edited.err.find("dnnspace: error: " + ck + ":2: the recorded mapping does not fit layer"), std::string::npos)
      << edited.err;
}

}  // namespace
}  // namespace dnnspace
