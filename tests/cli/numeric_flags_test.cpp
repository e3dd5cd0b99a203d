// Every numeric flag of the command, table-driven: NaN, infinities, junk after a number,
// numbers past their type and values out of range each get one line naming the flag, the
// allowed range and the value given, and exit code 2, before any work starts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Flag {
  std::string command;  // the command line before the flag
  std::string flag;
  std::string allowed;  // the words of the message that name the allowed values
  std::vector<std::string> bad;
};

TEST(NumericFlags, BadValuesAreOneClearLine) {
  const std::vector<std::string> not_numbers = {"nan", "-nan", "inf", "-inf", "1e999", "12abc", "", "0x", "0x10",
                                                "1e-320"};
  const std::vector<Flag> flags = {
      {"optimize --network lenet5", "--min-util", "must be a finite number in 0..1", {"1.5", "-0.1"}},
      {"dataflows --layer lenet5/conv1", "--min-util", "must be a finite number in 0..1", {"2"}},
      {"dse --network lenet5 --sweep rf=64", "--min-util", "must be a finite number in 0..1", {"-1"}},
      {"optimize --network lenet5", "--threads", "must be a whole number in 0..1024", {"-1", "1.5", "4096"}},
      {"optimize --network lenet5", "--time-limit", "must be a finite number in 0..1000000 seconds", {"-5", "1e7"}},
      {"optimize --network lenet5", "--batch", "must be a whole number >= 1", {"0", "-3", "1e3", "2.5"}},
      {"evaluate --layer lenet5/conv1 --mapping 'C|K'", "--batch", "must be a whole number >= 1",
       {"0", "99999999999999999999"}},
      {"dataflows --layer lenet5/conv1", "--batch", "must be a whole number >= 1", {"0"}},
      {"dse --network lenet5 --sweep rf=64", "--batch", "must be a whole number >= 1", {"0"}},
      {"zoo show lenet5", "--batch", "must be a whole number >= 1", {"0", "1.0"}},
      {"train --network mlp-784-100-100-10", "--lr", "must be a finite number > 0", {"0", "-0.1"}},
      {"train --network mlp-784-100-100-10", "--momentum", "must be a finite number in [0, 1)", {"1", "-0.5"}},
      {"train --network mlp-784-100-100-10", "--epochs", "must be a whole number in 1..1000000", {"0", "0.5", "1000001"}},
      {"train --network mlp-784-100-100-10", "--batch", "must be a whole number >= 1", {"0"}},
      {"train --network mlp-784-100-100-10", "--threads", "must be a whole number in 1..1024", {"0"}},
      {"train --network mlp-784-100-100-10", "--test-limit", "must be a whole number >= 0", {"-1"}},
      {"train --network mlp-784-100-100-10", "--train-limit", "must be a whole number >= 0", {"-1"}},
      {"infer --network mlp-784-100-100-10 --weights w.bin", "--batch", "must be a whole number >= 1", {"0"}},
  };
  int checked = 0;
  for (const Flag& f : flags) {
    std::vector<std::string> values = f.bad;
    values.insert(values.end(), not_numbers.begin(), not_numbers.end());
    for (const std::string& v : values) {
      const std::string args = f.command + " " + f.flag + " '" + v + "'";
      const testing::CliRun r = testing::run_cli(args, "numeric_flags_test");
      EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
      EXPECT_THAT(r.err, StartsWith("dnnspace: error: " + f.flag + ": " + f.allowed)) << args;
      EXPECT_THAT(r.err, HasSubstr("got '" + v + "'")) << args;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18 * 10 + 31);  // every flag x every non-number, and each flag's own cases
}

}  // namespace
}  // namespace dnnspace
