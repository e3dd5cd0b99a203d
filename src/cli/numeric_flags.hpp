// Strict numeric flags: a number from the command line is finite and in its range.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace dnnspace::cli {

/// Accepts one finite number with lo <= value <= hi (and value > lo when `open_low`),
/// nothing else: CLI11 alone would take "nan" for a double, and NaN passes every range
/// check by comparing false. The message names the allowed range, e.g. "must be a
/// finite number in 0..1, got 'nan'".
inline CLI::Validator finite_number(double lo = -std::numeric_limits<double>::max(),
                                    double hi = std::numeric_limits<double>::max(), std::string range = "",
                                    bool open_low = false) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const std::string want = "must be a finite number" + (range.empty() ? "" : " " + range) + ", got '" + text + "'";
        std::size_t used = 0;
        double value = 0.0;
        // std::stod also reads hexadecimal ("0x10"), which no YAML number here accepts.
        if (text.find_first_of("xX") != std::string::npos) return want + " (hexadecimal is not accepted)";
        try {
          value = std::stod(text, &used);
        } catch (const std::out_of_range&) {
          return want + " (beyond what a double holds: too large, or too close to 0)";  // 1e999, 1e-320
        } catch (const std::exception&) {
          return want;  // not a number
        }
        if (used != text.size() || !std::isfinite(value) || value < lo || value > hi || (open_low && value == lo)) {
          return want;
        }
        return {};
      },
      "NUMBER");
}

/// Accepts one whole number with lo <= value <= hi, nothing else ("1e3", "12abc",
/// "1.5", numbers past 64 bits). The message names the allowed range, e.g. "must be a
/// whole number >= 1, got '1.5'".
inline CLI::Validator whole_number(std::int64_t lo, std::int64_t hi, std::string range) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::int64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || ec != std::errc() || ptr != end || value < lo || value > hi) {
          return "must be a whole number " + range + ", got '" + text + "'";
        }
        text = std::to_string(value);  // decimal as read: the option's own parser takes 010 as octal
        return {};
      },
      "INTEGER");
}

}  // namespace dnnspace::cli
