#include "dnnspace/report/fpga_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/svg_text.hpp"
#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

constexpr double kGiga = 1e9;

std::string pct(std::int64_t used, std::int64_t of) {
  return fixed(100.0 * static_cast<double>(used) / static_cast<double>(of), 1) + "%";
}

std::string target_text(const FpgaTarget& t) {
  return t.name + ": " + group_digits(t.dsp_slices) + " DSPs, " + group_digits(t.bram_18k) + " BRAM-18K, " +
         fixed(t.clock_mhz, 0) + " MHz, DRAM " + fixed(t.dram_bandwidth_gbps, 2) + " GB/s, " +
         std::to_string(t.word_bits) + "-bit " + (t.floating_point ? "floating point" : "fixed point") + " (" +
         std::to_string(t.dsp_per_mac) + " DSP" + (t.dsp_per_mac == 1 ? "" : "s") + " per multiply-add)";
}

struct Totals {
  double ops = 0.0, time_s = 0.0;
};

Totals totals(const std::vector<FpgaLayerRun>& runs) {
  Totals t;
  for (const FpgaLayerRun& r : runs) {
    t.ops += r.cost.ops;
    t.time_s += r.cost.time_s;
  }
  return t;
}

std::string runs_table(const std::vector<FpgaLayerRun>& runs, bool with_design) {
  std::vector<std::string> header = {"layer"};
  if (with_design) header.emplace_back("<Tm,Tn,Tr,Tc>");
  for (const char* h : {"GFLOPS", "compute roof", "CTC (FLOP/B)", "bound by", "cycles", "time (ms)"}) header.emplace_back(h);
  if (with_design) {
    header.emplace_back("DSP");
    header.emplace_back("BRAM");
  }
  std::vector<std::vector<std::string>> rows = {header};
  for (const FpgaLayerRun& r : runs) {
    std::vector<std::string> row = {r.name};
    const TiledConvDesign& d = r.design;
    if (with_design) {
      row.push_back("<" + std::to_string(d.tm) + "," + std::to_string(d.tn) + "," + std::to_string(d.tr) + "," +
                    std::to_string(d.tc) + ">");
    }
    row.push_back(fixed(r.cost.attainable_ops_per_s / kGiga, 2));
    row.push_back(fixed(r.cost.compute_roof_ops_per_s / kGiga, 2));
    row.push_back(fixed(r.cost.ctc_ops_per_byte, 2));
    row.emplace_back(r.cost.bandwidth_bound ? "bandwidth" : "compute");
    row.push_back(group_digits(r.cost.cycles));
    row.push_back(fixed(r.cost.time_s * 1e3, 3));
    if (with_design) {
      row.push_back(group_digits(r.resources.dsp));
      row.push_back(group_digits(r.resources.bram_18k));
    }
    rows.push_back(row);
  }
  return render_table(rows, "  ");
}

std::string resources_text(const TiledConvResources& r, const FpgaTarget& t) {
  return group_digits(r.dsp) + " DSPs (" + pct(r.dsp, t.dsp_slices) + "), " + group_digits(r.bram_18k) + " BRAM-18K (" +
         pct(r.bram_18k, t.bram_18k) + ": inputs " + group_digits(r.input_bram) + ", weights " +
         group_digits(r.weight_bram) + ", outputs " + group_digits(r.output_bram) + ")";
}

std::string total_line(const std::vector<FpgaLayerRun>& runs) {
  const Totals t = totals(runs);
  if (!(t.time_s > 0.0)) return "  no layer\n";
  return "  all layers: " + fixed(t.ops / kGiga, 3) + " GFLOP in " + fixed(t.time_s * 1e3, 3) + " ms = " +
         fixed(t.ops / t.time_s / kGiga, 2) + " GFLOPS\n";
}

nlohmann::json design_json(const TiledConvDesign& d) { return {{"tm", d.tm}, {"tn", d.tn}, {"tr", d.tr}, {"tc", d.tc}}; }

nlohmann::json resources_json(const TiledConvResources& r) {
  return {{"dsp", r.dsp}, {"bram_18k", r.bram_18k}, {"input_bram", r.input_bram}, {"weight_bram", r.weight_bram},
          {"output_bram", r.output_bram}};
}

nlohmann::json runs_json(const std::vector<FpgaLayerRun>& runs) {
  nlohmann::json out = nlohmann::json::array();
  for (const FpgaLayerRun& r : runs) {
    out.push_back({{"name", r.name},
                   {"design", design_json(r.design)},
                   {"ops", r.cost.ops},
                   {"cycles", r.cost.cycles},
                   {"input_words", r.cost.input_words},
                   {"weight_words", r.cost.weight_words},
                   {"output_words", r.cost.output_words},
                   {"traffic_bytes", r.cost.traffic_bytes},
                   {"compute_roof_ops_per_s", r.cost.compute_roof_ops_per_s},
                   {"ctc_ops_per_byte", r.cost.ctc_ops_per_byte},
                   {"attainable_ops_per_s", r.cost.attainable_ops_per_s},
                   {"time_s", r.cost.time_s},
                   {"bound", r.cost.bandwidth_bound ? "bandwidth" : "compute"},
                   {"dsp", r.resources.dsp},
                   {"bram_18k", r.resources.bram_18k}});
  }
  return out;
}

nlohmann::json set_json(const TiledConvDesign& d, const TiledConvResources& res, const std::vector<FpgaLayerRun>& runs) {
  const Totals t = totals(runs);
  return {{"design", design_json(d)}, {"resources", resources_json(res)}, {"layers", runs_json(runs)},
          {"ops", t.ops},         {"time_s", t.time_s},                {"ops_per_s", t.ops / t.time_s}};
}

}  // namespace

std::string fpga_text(const FpgaTarget& target, const std::string& network, std::int64_t batch,
                      const FpgaExploration& e, const std::optional<GivenFpgaDesign>& given,
                      const std::vector<FpgaFrontierPoint>& frontier) {
  std::string out = "FPGA design space of " + network + " (batch " + std::to_string(batch) + ") on " + target_text(target) +
                    "\nZhang et al.'s tiled convolution engine, every legal <Tm,Tn,Tr,Tc>" +
                    (e.interrupted ? " (interrupted: the best so far)" : "") + "\n";
  for (const std::string& s : e.skipped) out += "  not run on the engine: " + s + "\n";
  out += "\nbest design per layer (one bitstream per layer):\n" + runs_table(e.best_per_layer, true);
  out += total_line(e.best_per_layer);
  if (e.found) {
    out += "\none design for every layer (the cross-layer choice): " + design_text(e.shared) + "\n  " +
           resources_text(e.shared_resources, target) + "\n" + runs_table(e.on_shared, false) + total_line(e.on_shared);
    if (e.per_layer_time_s() > 0.0 && e.best_per_layer.size() == e.on_shared.size()) out += "  against each layer's own best design: " +
           fixed(100.0 * (e.shared_time_s() / e.per_layer_time_s() - 1.0), 1) + "% more time\n";
  } else {
    out += e.interrupted ? "\ninterrupted before one design for every layer was found\n"
                         : "\nno single design fits the target for every layer\n";
  }
  if (!frontier.empty()) {
    std::vector<std::vector<std::string>> rows = {{"DSP budget", "<Tm,Tn,Tr,Tc>", "DSPs", "BRAM-18K", "time (ms)", "GFLOPS"}};
    for (const FpgaFrontierPoint& p : frontier) {
      const TiledConvDesign& d = p.design;
      rows.push_back({group_digits(p.dsp_budget),
                      "<" + std::to_string(d.tm) + "," + std::to_string(d.tn) + "," + std::to_string(d.tr) + "," +
                          std::to_string(d.tc) + ">",
                      group_digits(p.resources.dsp), group_digits(p.resources.bram_18k), fixed(p.time_s * 1e3, 3),
                      fixed(p.ops / p.time_s / kGiga, 2)});
    }
    out += "\nfrontier: the best design for every layer within each DSP budget (slower budgets dropped)\n" +
           render_table(rows, "  ");
  }
  if (given) {
    out += "\nthe given design " + design_text(given->design) + "\n  " + resources_text(given->resources, target) +
           (fits(given->resources, target) ? "" : "  -- does NOT fit " + target.name) + "\n" +
           runs_table(given->runs, false) + total_line(given->runs);
  }
  return out;
}

nlohmann::json fpga_json(const FpgaTarget& t, const std::string& network, std::int64_t batch, const FpgaExploration& e,
                         const std::optional<GivenFpgaDesign>& given, const std::vector<FpgaFrontierPoint>& frontier) {
  nlohmann::json j = {{"network", network},
                      {"batch", batch},
                      {"target",
                       {{"name", t.name},
                        {"dsp_slices", t.dsp_slices},
                        {"bram_18k", t.bram_18k},
                        {"luts", t.luts},
                        {"flip_flops", t.flip_flops},
                        {"clock_mhz", t.clock_mhz},
                        {"dram_bandwidth_gbps", t.dram_bandwidth_gbps},
                        {"word_bits", t.word_bits},
                        {"dsp_per_mac", t.dsp_per_mac},
                        {"floating_point", t.floating_point},
                        {"power_w", t.power_w},
                        {"die_area_mm2", t.die_area_mm2}}},
                      {"best_per_layer", runs_json(e.best_per_layer)},
                      {"per_layer_time_s", e.per_layer_time_s()},
                      {"shared", e.found ? set_json(e.shared, e.shared_resources, e.on_shared) : nlohmann::json(nullptr)},
                      {"skipped", e.skipped},
                      {"interrupted", e.interrupted},
                      {"given", nullptr}};
  nlohmann::json points = nlohmann::json::array();
  for (const FpgaFrontierPoint& p : frontier) {
    points.push_back({{"dsp_budget", p.dsp_budget},
                      {"design", design_json(p.design)},
                      {"resources", resources_json(p.resources)},
                      {"time_s", p.time_s},
                      {"ops_per_s", p.ops / p.time_s}});
  }
  j["frontier"] = points;
  if (given) {
    j["given"] = set_json(given->design, given->resources, given->runs);
    j["given"]["fits"] = fits(given->resources, t);
  }
  return j;
}

std::string fpga_design_space_svg(const FpgaTarget& target, const ConvShape& shape, const std::string& title,
                                  const std::vector<std::pair<std::string, TiledConvCost>>& marked,
                                  const std::atomic<bool>* stop) {
  // Two passes over the legal designs, storing none: the axes' ranges, then the pixels.
  double x_lo = 1e300, x_hi = 0.0, y_hi = 0.0;
  for_each_legal_design(
      shape, target,
      [&](const TiledConvDesign&, const TiledConvCost& c, const TiledConvResources&) {
        x_lo = std::min(x_lo, c.ctc_ops_per_byte);
        x_hi = std::max(x_hi, c.ctc_ops_per_byte);
        y_hi = std::max(y_hi, c.compute_roof_ops_per_s / kGiga);
      },
      stop);
  for (const auto& [name, c] : marked) {
    x_lo = std::min(x_lo, c.ctc_ops_per_byte);
    x_hi = std::max(x_hi, c.ctc_ops_per_byte);
    y_hi = std::max(y_hi, c.compute_roof_ops_per_s / kGiga);
  }
  if (!(y_hi > 0.0)) y_hi = 1.0;
  if (!(x_hi > 0.0)) x_lo = 1.0, x_hi = 100.0;
  const int dx0 = static_cast<int>(std::floor(std::log10(x_lo))), dx1 = std::max(dx0 + 1, static_cast<int>(std::ceil(std::log10(x_hi))));
  const double step = std::pow(10.0, std::floor(std::log10(std::max(y_hi, 1e-9))));
  const double y_max = std::ceil(y_hi * 1.1 / step) * step;
  constexpr double kW = 720, kH = 480, kLeft = 70, kRight = 30, kTop = 40, kBottom = 60;
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  const auto sx = [&](double x) { return kLeft + (std::log10(x) - dx0) / (dx1 - dx0) * pw; };
  const auto sy = [&](double y) { return kTop + ph - y / y_max * ph; };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"480\" viewBox=\"0 0 720 480\" "
                  "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + fixed(kLeft, 0) + "\" y=\"24\" font-size=\"14\">" + xml_escaped(title) + "</text>\n";
  for (int k = dx0; k <= dx1; ++k) {
    const std::string x = fixed(sx(std::pow(10.0, k)), 1);
    s += "<line x1=\"" + x + "\" y1=\"" + fixed(kTop, 1) + "\" x2=\"" + x + "\" y2=\"" + fixed(kTop + ph, 1) +
         "\" stroke=\"#ddd\"/>\n<text x=\"" + x + "\" y=\"" + fixed(kTop + ph + 16, 1) + "\" text-anchor=\"middle\">" +
         decade_label(k) +
         "</text>\n";
  }
  for (double y = 0.0; y <= y_max + step / 2; y += step) {
    const std::string py = fixed(sy(y), 1);
    s += "<line x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + py + "\" x2=\"" + fixed(kLeft + pw, 1) + "\" y2=\"" + py +
         "\" stroke=\"#ddd\"/>\n<text x=\"" + fixed(kLeft - 6, 1) + "\" y=\"" + py + "\" text-anchor=\"end\" dy=\"4\">" +
         fixed(y, step < 1.0 ? 1 : 0) + "</text>\n";
  }
  s += "<rect x=\"" + fixed(kLeft, 1) + "\" y=\"" + fixed(kTop, 1) + "\" width=\"" + fixed(pw, 1) + "\" height=\"" +
       fixed(ph, 1) + "\" fill=\"none\" stroke=\"black\"/>\n";
  s += "<text x=\"" + fixed(kLeft + pw / 2, 1) + "\" y=\"" + fixed(kH - 18, 1) +
       "\" text-anchor=\"middle\">computation-to-communication ratio (FLOP per DRAM byte)</text>\n";
  s += "<text transform=\"translate(18," + fixed(kTop + ph / 2, 1) +
       ") rotate(-90)\" text-anchor=\"middle\">attainable performance (GFLOPS)</text>\n";
  // One dot per occupied pixel: millions of designs, a few thousand distinct places.
  std::set<std::pair<int, int>> pixels;
  for_each_legal_design(
      shape, target,
      [&](const TiledConvDesign&, const TiledConvCost& c, const TiledConvResources&) {
        pixels.insert({static_cast<int>(sx(c.ctc_ops_per_byte)), static_cast<int>(sy(c.attainable_ops_per_s / kGiga))});
      },
      stop);
  s += "<g fill=\"#1f77b4\" fill-opacity=\"0.35\">\n";
  for (const auto& [px, py] : pixels) s += "<rect x=\"" + std::to_string(px) + "\" y=\"" + std::to_string(py) + "\" width=\"2\" height=\"2\"/>\n";
  s += "</g>\n";
  // The bandwidth roof: GFLOPS = GB/s x CTC up to the top of the plot, a curve on these
  // axes (log x, linear y): drawn through 120 points.
  const double bw = target.dram_bandwidth_gbps;
  const double x_start = std::pow(10.0, dx0), x_end = std::min(std::pow(10.0, dx1), y_max / bw);
  if (x_end > x_start) {
    s += "<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"6 3\" points=\"";
    for (int i = 0; i <= 120; ++i) {
      const double x = x_start * std::pow(x_end / x_start, i / 120.0);
      s += fixed(sx(x), 1) + "," + fixed(sy(bw * x), 1) + " ";
    }
    const double x_label = std::min(x_end, y_max * 0.6 / bw);
    s += "\"/>\n<text x=\"" + fixed(sx(x_label) - 6, 1) + "\" y=\"" + fixed(sy(bw * x_label), 1) +
         "\" text-anchor=\"end\" fill=\"#d62728\">DRAM " + fixed(bw, 1) + " GB/s</text>\n";
  }
  double label_y = kTop + 16;
  for (const auto& [name, c] : marked) {
    const double x = sx(c.ctc_ops_per_byte), y = sy(c.attainable_ops_per_s / kGiga);
    s += "<circle cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"5\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n";
    s += "<line x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" + fixed(kLeft + 12, 1) + "\" y2=\"" +
         fixed(label_y - 4, 1) + "\" stroke=\"#888\"/>\n";
    s += "<text x=\"" + fixed(kLeft + 14, 1) + "\" y=\"" + fixed(label_y, 1) + "\">" + xml_escaped(name) + ": " +
         fixed(c.attainable_ops_per_s / kGiga, 2) + " GFLOPS at " + fixed(c.ctc_ops_per_byte, 1) + " FLOP/B</text>\n";
    label_y += 16;
  }
  return s + "</svg>\n";
}

}  // namespace dnnspace::report
