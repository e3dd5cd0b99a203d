// Simulating a generated accelerator from a test: verilate its testbench (once per
// distinct design, cached for the test process), run it on operands, read result.txt.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dnnspace/hardware/generate.hpp"
#include "dnnspace/hardware/operand_hex.hpp"
#include "dnnspace/hardware/simulation_result.hpp"

namespace dnnspace::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

/// Runs a shell command; its exit status (or -1).
inline int run_shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A scratch directory removed with the object.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    path_ = std::filesystem::path(::testing::TempDir()) /
            (tag + "_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Verilated testbenches, one per distinct design text (the configuration excluded: a
/// design runs every mapping of its family that fits its banks), built in a scratch
/// directory that lives as long as the cache.
class VerilatedCache {
 public:
  VerilatedCache() : dir_("verilated") {}

  /// The simulator binary for the design (building it if new), or "" on a failed build
  /// (the log is in `log`).
  std::string binary(const GeneratedDesign& design, std::string& log) {
    std::string key;
    for (const GeneratedFile& f : design.files) {
      if (f.name != design.config_file) key += f.name + "\n" + f.text;
    }
    const auto found = built_.find(key);
    if (found != built_.end()) return found->second;
    const auto dir = dir_.path() / ("design" + std::to_string(built_.size()));
    std::filesystem::create_directories(dir);
    std::string files;
    for (const GeneratedFile& f : design.files) {
      write_text(dir / f.name, f.text);
      if (f.name != design.config_file) files += " " + f.name;
    }
    const auto start = std::chrono::steady_clock::now();
    const std::string command = "cd " + dir.string() + " && " + std::string(DNNSPACE_VERILATOR) +
                                " --binary -j 2 -O1 --top-module " + design.summary.testbench_module +
                                " -Wno-fatal -Wno-lint -Wno-style -Wno-TIMESCALEMOD -o sim" + files + " >build.log 2>&1";
    const int rc = run_shell(command);
    build_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto bin = dir / "obj_dir" / "sim";
    if (rc != 0 || !std::filesystem::exists(bin)) {
      log = read_text(dir / "build.log");
      return "";
    }
    ++builds_;
    built_[key] = bin.string();
    return bin.string();
  }

  int builds() const { return builds_; }
  double build_seconds() const { return build_seconds_; }

 private:
  ScratchDir dir_;
  std::map<std::string, std::string> built_;
  int builds_ = 0;
  double build_seconds_ = 0.0;
};

/// Runs the design's simulation on the operands (and, if given, the expected outputs for
/// the testbench's own check); the parsed result.
inline Expected<SimulationResult> simulate_design(VerilatedCache& cache, const GeneratedDesign& design,
                                                  const std::vector<std::int8_t>& inputs,
                                                  const std::vector<std::int8_t>& weights,
                                                  const std::vector<std::int64_t>& expected, std::int64_t num_outputs,
                                                  std::int64_t max_cycles, double* run_seconds = nullptr) {
  std::string log;
  const std::string bin = cache.binary(design, log);
  if (bin.empty()) return Error{"verilator build failed: " + log.substr(0, 2000)};
  ScratchDir run("run");
  write_text(run.path() / design.config_file, design_file_text(design, design.config_file));
  write_text(run.path() / "inputs.hex", operand_hex(inputs, design.summary.operand_bits));
  write_text(run.path() / "weights.hex", operand_hex(weights, design.summary.operand_bits));
  if (!expected.empty()) write_text(run.path() / "expected.hex", operand_hex(expected, design.summary.accumulator_bits));
  const auto start = std::chrono::steady_clock::now();
  const int rc = run_shell("cd " + run.path().string() + " && " + bin + " +outputs=" + std::to_string(num_outputs) +
                           " +max_cycles=" + std::to_string(max_cycles) + " >sim.log 2>&1");
  if (run_seconds) *run_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc != 0) return Error{"simulation failed: " + read_text(run.path() / "sim.log").substr(0, 2000)};
  return parse_simulation_result(read_text(run.path() / "result.txt"), num_outputs);
}

}  // namespace dnnspace::testing
