#include "dnnspace/report/roofline_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "dnnspace/report/svg_text.hpp"
#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

constexpr double kGiga = 1e9;

std::string level_name(const Architecture& arch, int level) {
  return level == kComputeBound ? "compute" : arch.levels[static_cast<std::size_t>(level)].name;
}

std::string gops(double ops_per_s) { return std::isfinite(ops_per_s) ? fixed(ops_per_s / kGiga, 2) : "-"; }

nlohmann::json finite_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

nlohmann::json one_json(const Architecture& arch, const Roofline& r) {
  nlohmann::json levels = nlohmann::json::array();
  for (const LevelRoof& l : r.levels) {
    levels.push_back({{"name", level_name(arch, l.level)},
                      {"traffic_bytes", l.traffic_bytes},
                      {"ctc_ops_per_byte", finite_or_null(l.ctc_ops_per_byte(r.ops))},
                      {"bandwidth_bytes_per_s", l.limited ? nlohmann::json(l.bandwidth_bytes_per_s()) : nlohmann::json(nullptr)},
                      {"roof_ops_per_s", finite_or_null(l.roof_ops_per_s(r.ops))},
                      {"time_s", l.time_s}});
  }
  return {{"ops", r.ops},
          {"achieved_ops_per_s", r.achieved_ops_per_s()},
          {"attainable_ops_per_s", finite_or_null(r.attainable_ops_per_s())},
          {"bound_by", level_name(arch, r.bound_by())},
          {"fraction_of_roof", r.fraction_of_roof()},
          {"compute_roof_ops_per_s", finite_or_null(r.compute_roof_ops_per_s())},
          {"compute_s", r.compute_s},
          {"run_s", r.run_s},
          {"levels", levels}};
}

std::vector<std::string> one_row(const std::string& name, const Roofline& r) {
  std::vector<std::string> row = {name,
                                  gops(r.achieved_ops_per_s()),
                                  gops(r.attainable_ops_per_s()),
                                  "",
                                  fixed(r.fraction_of_roof() * 100.0, 1) + "%",
                                  gops(r.compute_roof_ops_per_s())};
  for (const LevelRoof& l : r.levels) {
    const double ctc = l.ctc_ops_per_byte(r.ops);
    row.push_back(std::isfinite(ctc) ? fixed(ctc, 2) : "-");
    row.push_back(l.limited ? gops(l.roof_ops_per_s(r.ops)) : "unlimited");
  }
  return row;
}

}  // namespace

std::string roofline_text(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total) {
  std::vector<std::string> header = {"layer", "Gop/s", "roof Gop/s", "bound by", "of roof", "compute roof"};
  for (const StorageLevel& l : arch.levels) {
    header.push_back(l.name + " CTC (op/B)");
    header.push_back(l.name + " roof");
  }
  std::vector<std::vector<std::string>> table = {header};
  for (const RooflineRow& row : rows) {
    if (!row.found) {
      table.push_back({row.name, "no mapping"});
      continue;
    }
    table.push_back(one_row(row.name, row.roofline));
    table.back()[3] = level_name(arch, row.roofline.bound_by());
  }
  table.push_back(one_row("total", total));
  table.back()[3] = level_name(arch, total.bound_by());
  std::string out = render_table(table);
  out += "\npeak compute roof " + gops(total.peak_ops_per_s) + " Gop/s (2 ops per MAC x " +
         std::to_string(pe_count(arch)) + " PEs x " + fixed(arch.clock_mhz, 1) + " MHz)\n";
  for (const LevelRoof& l : total.levels) {
    out += "  " + level_name(arch, l.level) + ": ";
    out += l.limited ? "bandwidth " + fixed(l.bandwidth_bytes_per_s() / kGiga, 3) + " GB/s as the network's traffic saw it, " +
                           "ridge at " + fixed(total.peak_ops_per_s / l.bandwidth_bytes_per_s(), 2) + " op/B"
                     : std::string("unlimited bandwidth (no roof)");
    out += "\n";
  }
  return out;
}

nlohmann::json roofline_json(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total) {
  nlohmann::json levels = nlohmann::json::array();
  for (const StorageLevel& l : arch.levels) levels.push_back(l.name);
  nlohmann::json layers = nlohmann::json::array();
  for (const RooflineRow& row : rows) {
    nlohmann::json j = row.found ? one_json(arch, row.roofline) : nlohmann::json::object();
    j["name"] = row.name;
    j["found"] = row.found;
    layers.push_back(j);
  }
  return {{"peak_ops_per_s", total.peak_ops_per_s}, {"levels", levels}, {"layers", layers}, {"total", one_json(arch, total)}};
}

std::string roofline_svg(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total,
                         const std::string& title) {
  // Which levels get points: those with traffic that have a roof, and the outermost.
  std::vector<int> plotted;
  for (const LevelRoof& l : total.levels) {
    if (l.traffic_bytes > 0 && (l.limited || l.level == 0)) plotted.push_back(l.level);
  }
  struct Point {
    double x, y;
    int level;
    std::string label;
  };
  std::vector<Point> points;
  for (const RooflineRow& row : rows) {
    if (!row.found) continue;
    const Roofline& r = row.roofline;
    for (std::size_t i = 0; i < plotted.size(); ++i) {
      const LevelRoof& l = r.levels[static_cast<std::size_t>(plotted[i])];
      const double x = l.ctc_ops_per_byte(r.ops), y = r.achieved_ops_per_s() / kGiga;
      if (std::isfinite(x) && x > 0.0 && y > 0.0) points.push_back({x, y, l.level, i == 0 ? row.name : std::string()});
    }
  }
  const double peak = total.peak_ops_per_s / kGiga;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = 0.0, y_lo = peak, y_hi = peak;
  for (const Point& p : points) {
    x_lo = std::min(x_lo, p.x);
    x_hi = std::max(x_hi, p.x);
    y_lo = std::min(y_lo, p.y);
  }
  for (int level : plotted) {
    const LevelRoof& l = total.levels[static_cast<std::size_t>(level)];
    if (!l.limited) continue;
    const double ridge = total.peak_ops_per_s / l.bandwidth_bytes_per_s();
    x_lo = std::min(x_lo, ridge);
    x_hi = std::max(x_hi, ridge);
  }
  if (!(x_hi > 0.0)) x_lo = 0.1, x_hi = 1000.0;
  const int dx0 = static_cast<int>(std::floor(std::log10(x_lo))), dx1 = std::max(dx0 + 1, static_cast<int>(std::ceil(std::log10(x_hi))));
  const int dy0 = static_cast<int>(std::floor(std::log10(y_lo))) - (y_lo == y_hi ? 1 : 0),
            dy1 = std::max(dy0 + 1, static_cast<int>(std::ceil(std::log10(y_hi * 1.5))));
  constexpr double kW = 760, kH = 500, kLeft = 80, kRight = 190, kTop = 40, kBottom = 60;
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  const auto sx = [&](double x) { return kLeft + (std::log10(x) - dx0) / (dx1 - dx0) * pw; };
  const auto sy = [&](double y) { return kTop + ph - (std::log10(y) - dy0) / (dy1 - dy0) * ph; };
  constexpr std::array<const char*, 6> kColors = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  const auto color = [&](int level) { return kColors[static_cast<std::size_t>(level) % kColors.size()]; };

  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(kW, 0) + "\" height=\"" + fixed(kH, 0) +
                  "\" viewBox=\"0 0 " + fixed(kW, 0) + " " + fixed(kH, 0) +
                  "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + fixed(kLeft, 0) + "\" y=\"24\" font-size=\"14\">" + xml_escaped(title) + "</text>\n";
  // Axes, decade grid and labels.
  for (int k = dx0; k <= dx1; ++k) {
    const std::string x = fixed(sx(std::pow(10.0, k)), 1);
    s += "<line x1=\"" + x + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" + x + "\" y2=\"" + fixed(kTop + ph, 1) +
         "\" stroke=\"#ddd\"/>\n<text x=\"" + x + "\" y=\"" + fixed(kTop + ph + 16, 1) + "\" text-anchor=\"middle\">" +
         decade_label(k) + "</text>\n";
  }
  for (int k = dy0; k <= dy1; ++k) {
    const std::string y = fixed(sy(std::pow(10.0, k)), 1);
    s += "<line x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + y + "\" x2=\"" + fixed(kLeft + pw, 1) + "\" y2=\"" + y +
         "\" stroke=\"#ddd\"/>\n<text x=\"" + fixed(kLeft - 6, 1) + "\" y=\"" + y + "\" text-anchor=\"end\" dy=\"4\">" +
         decade_label(k) + "</text>\n";
  }
  s += "<rect x=\"" + fixed(kLeft, 1) + "\" y=\"" + fixed(kTop, 1) + "\" width=\"" + fixed(pw, 1) + "\" height=\"" +
       fixed(ph, 1) + "\" fill=\"none\" stroke=\"black\"/>\n";
  s += "<text x=\"" + fixed(kLeft + pw / 2, 1) + "\" y=\"" + fixed(kH - 18, 1) +
       "\" text-anchor=\"middle\">computation-to-communication ratio (op/B)</text>\n";
  s += "<text transform=\"translate(20," + fixed(kTop + ph / 2, 1) +
       ") rotate(-90)\" text-anchor=\"middle\">attainable throughput (Gop/s)</text>\n";
  // Roofs: the peak, and each limited level's min(peak, bandwidth x CTC).
  const double x_min = std::pow(10.0, dx0), x_max = std::pow(10.0, dx1);
  s += "<line x1=\"" + fixed(sx(x_min), 1) + "\" y1=\"" + fixed(sy(peak), 1) + "\" x2=\"" + fixed(sx(x_max), 1) +
       "\" y2=\"" + fixed(sy(peak), 1) + "\" stroke=\"black\" stroke-width=\"2\"/>\n";
  double legend_y = kTop + 10;
  const auto legend = [&](const std::string& colour, const std::string& text, bool dot) {
    const std::string lx = fixed(kLeft + pw + 14, 1), ly = fixed(legend_y, 1);
    s += dot ? "<circle cx=\"" + lx + "\" cy=\"" + ly + "\" r=\"4\" fill=\"" + colour + "\"/>\n"
             : "<line x1=\"" + lx + "\" y1=\"" + ly + "\" x2=\"" + fixed(kLeft + pw + 30, 1) + "\" y2=\"" + ly +
                   "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
    s += "<text x=\"" + fixed(kLeft + pw + 36, 1) + "\" y=\"" + ly + "\" dy=\"4\">" + xml_escaped(text) + "</text>\n";
    legend_y += 18;
  };
  legend("black", "peak " + fixed(peak, 1) + " Gop/s", false);
  for (int level : plotted) {
    const LevelRoof& l = total.levels[static_cast<std::size_t>(level)];
    if (!l.limited) continue;
    const double bw = l.bandwidth_bytes_per_s() / kGiga;  // GB/s: Gop/s per op/B
    const double ridge = peak / bw;
    const double x_start = std::max(x_min, std::pow(10.0, dy0) / bw);  // where the roof enters the plot
    if (ridge > x_start) {
      s += "<line x1=\"" + fixed(sx(x_start), 1) + "\" y1=\"" + fixed(sy(bw * x_start), 1) + "\" x2=\"" +
           fixed(sx(ridge), 1) + "\" y2=\"" + fixed(sy(peak), 1) + "\" stroke=\"" + color(level) +
           "\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n";
    }
    legend(color(level), arch.levels[static_cast<std::size_t>(level)].name + " " + fixed(bw, 2) + " GB/s", false);
  }
  for (int level : plotted) legend(color(level), "layers at " + arch.levels[static_cast<std::size_t>(level)].name, true);
  // Labels move down past the ones already placed that they would overlap (10 px type).
  std::vector<std::array<double, 3>> placed;  // x, y, width
  for (const Point& p : points) {
    s += "<circle cx=\"" + fixed(sx(p.x), 1) + "\" cy=\"" + fixed(sy(p.y), 1) + "\" r=\"4\" fill=\"" + color(p.level) +
         "\" fill-opacity=\"0.8\"/>\n";
    if (p.label.empty()) continue;
    const double x = sx(p.x) + 6, width = 6.0 * static_cast<double>(p.label.size());
    double y = sy(p.y) - 6;
    for (bool moved = true; moved;) {
      moved = false;
      for (const auto& [px, py, pw_] : placed) {
        if (x < px + pw_ && px < x + width && std::abs(y - py) < 11) {
          y = py + 11;
          moved = true;
        }
      }
    }
    placed.push_back({x, y, width});
    s += "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" font-size=\"10\">" + xml_escaped(p.label) +
         "</text>\n";
  }
  return s + "</svg>\n";
}

}  // namespace dnnspace::report
