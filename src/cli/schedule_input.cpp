#include "schedule_input.hpp"

#include "dnnspace/io/schedule_text.hpp"
#include "exit_codes.hpp"

namespace dnnspace::cli {

CompiledSchedule compile_schedule_file(const std::string& path, const Layer& layer, const Architecture* arch,
                                       const std::string& context) {
  const auto fail = [&](const std::string& message) {
    // Errors at a primitive start with "path:line: "; the schedule-wide ones get the path.
    const bool names_file = message.rfind(path + ":", 0) == 0;
    throw CommandFailed((names_file ? message : path + ": " + message) + (context.empty() ? "" : " (" + context + ")"));
  };
  const Expected<Schedule> schedule = io::load_schedule(path);
  if (!schedule) fail(schedule.error().message);
  Expected<CompiledSchedule> compiled = arch ? compile_schedule(layer, *arch, *schedule) : compile_schedule(layer, *schedule);
  if (!compiled) fail(compiled.error().message);
  return std::move(compiled).value();
}

}  // namespace dnnspace::cli
