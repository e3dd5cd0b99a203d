#include "dnnspace/hardware/generate.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "loop_plan.hpp"
#include "testbench.hpp"
#include "verilog_text.hpp"

namespace dnnspace {
namespace {

using hw::AddressLoop;
using hw::LoopPlan;

constexpr std::int64_t kMaxBankWords = std::int64_t{1} << 24;
// Loop slots of the systolic controller: at least these many, so that designs of one
// array shape and bank depth are the same hardware whatever the mapping.
constexpr std::size_t kMinFoldSlots = 4, kMinStepSlots = 3, kMinTreeSlots = 7;

std::string num(std::int64_t v) { return std::to_string(v); }

std::string hex_words(const std::vector<std::uint32_t>& words) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(words.size() * 9);
  for (std::uint32_t w : words) {
    for (int shift = 28; shift >= 0; shift -= 4) out += kDigits[(w >> shift) & 0xFU];
    out += '\n';
  }
  return out;
}

std::uint32_t word(std::int64_t v) { return static_cast<std::uint32_t>(v); }

void push_loops(std::vector<std::uint32_t>& cfg, const std::vector<AddressLoop>& loops, std::size_t slots) {
  std::vector<AddressLoop> padded(slots - loops.size());  // factor 1, leading (outermost) slots
  padded.insert(padded.end(), loops.begin(), loops.end());
  for (const AddressLoop& a : padded) cfg.push_back(word(a.factor));
  for (std::size_t t = 0; t < 3; ++t) {
    for (const AddressLoop& a : padded) cfg.push_back(word(a.stride[t]));
  }
  for (const AddressLoop& a : padded) cfg.push_back((a.reduction ? 1U : 0U) | (a.weight_relevant ? 2U : 0U));
}

struct Shape {
  std::int64_t rows = 1, cols = 1;
  int aw = 1;
  std::int64_t depth_i = 1, depth_w = 1, depth_o = 1;
  std::size_t nf = 0, ns = 0;
  std::int64_t lanes = 1;
};

Expected<std::vector<std::uint32_t>> systolic_config(const LoopPlan& plan, const Shape& s) {
  const bool rp = plan.family == HardwareFamily::SystolicRP;
  std::vector<std::uint32_t> cfg;
  push_loops(cfg, plan.folds, s.nf);
  push_loops(cfg, plan.steps, s.ns);
  std::vector<std::uint32_t> lane_off(static_cast<std::size_t>(s.lanes), 0), lane_valid(static_cast<std::size_t>(s.lanes), 0);
  for (std::int64_t r = 0; r < plan.used_rows; ++r) {
    for (std::int64_t c = 0; c < (rp ? plan.used_cols : 1); ++c) {
      const auto lane = static_cast<std::size_t>(r + c);
      const std::int64_t off = plan.row_offset[static_cast<std::size_t>(r)][0] + plan.col_offset[static_cast<std::size_t>(c)][0];
      if (lane_valid[lane] != 0 && lane_off[lane] != word(off)) {
        return Error{"hardware generator: the inputs of anti-diagonal " + num(r + c) +
                     " differ between its PEs (R|P needs R and P each in one loop inside its dimension)"};
      }
      lane_off[lane] = word(off);
      lane_valid[lane] = 1;
    }
  }
  cfg.insert(cfg.end(), lane_off.begin(), lane_off.end());
  cfg.insert(cfg.end(), lane_valid.begin(), lane_valid.end());
  for (std::int64_t r = 0; r < s.rows; ++r) cfg.push_back(word(plan.row_offset[static_cast<std::size_t>(r)][1]));
  for (std::int64_t r = 0; r < s.rows; ++r) cfg.push_back(r < plan.used_rows ? 1U : 0U);
  for (std::int64_t c = 0; c < s.cols; ++c) cfg.push_back(word(plan.col_offset[static_cast<std::size_t>(c)][1]));
  for (std::int64_t c = 0; c < s.cols; ++c) cfg.push_back(word(plan.col_offset[static_cast<std::size_t>(c)][2]));
  for (std::int64_t c = 0; c < s.cols; ++c) cfg.push_back(c < plan.used_cols ? 1U : 0U);
  for (std::int64_t v : {plan.tensor_words[0], plan.tensor_words[1], plan.tensor_words[2], plan.step_count, plan.fold_count}) {
    cfg.push_back(word(v));
  }
  return cfg;
}

std::string systolic_top(const Shape& s, const HardwareOptions& o, bool rp) {
  const std::int64_t wports = rp ? 1 : s.cols;
  const std::int64_t pes = s.rows * s.cols;
  return "// The accelerator generated for one mapped layer: the systolic template with this\n"
         "// design's array shape, widths and bank depths (the mapping is in its configuration).\n"
         "module dnnspace_accel_top (\n"
         "  input  wire clk,\n  input  wire rst,\n  input  wire start,\n  input  wire cfg_we,\n"
         "  input  wire [15:0] cfg_addr,\n  input  wire [31:0] cfg_data,\n"
         "  output wire busy,\n  output wire computing,\n  output wire done,\n"
         "  output wire dram_re,\n  output wire [1:0] dram_tensor,\n  output wire [" + num(s.aw - 1) + ":0] dram_addr,\n"
         "  input  wire [" + num(o.operand_bits - 1) + ":0] dram_rdata,\n  output wire dram_we,\n"
         "  output wire [" + num(o.accumulator_bits - 1) + ":0] dram_wdata,\n"
         "  output wire [" + num(s.lanes - 1) + ":0] mon_gbi_re,\n  output wire mon_gbi_we,\n"
         "  output wire [" + num(wports - 1) + ":0] mon_gbw_re,\n  output wire mon_gbw_we,\n"
         "  output wire [" + num(s.cols - 1) + ":0] mon_gbo_re,\n  output wire mon_gbo_dma_re,\n"
         "  output wire [" + num(s.cols - 1) + ":0] mon_gbo_we,\n"
         "  output wire [" + num(pes - 1) + ":0] mon_mac,\n  output wire [" + num(pes - 1) + ":0] mon_rf_we\n);\n"
         "  dnnspace_systolic_accel #(.ROWS(" + num(s.rows) + "), .COLS(" + num(s.cols) + "), .OP_BITS(" +
         num(o.operand_bits) + "), .ACC_BITS(" + num(o.accumulator_bits) + "), .AW(" + num(s.aw) + "), .NF(" +
         num(static_cast<std::int64_t>(s.nf)) + "), .NS(" + num(static_cast<std::int64_t>(s.ns)) + "), .RP(" + (rp ? "1" : "0") +
         "),\n    .DEPTH_I(" + num(s.depth_i) + "), .DEPTH_W(" + num(s.depth_w) + "), .DEPTH_O(" + num(s.depth_o) + ")) core (\n"
         "    .clk(clk), .rst(rst), .start(start), .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_data(cfg_data),\n"
         "    .busy(busy), .computing(computing), .done(done), .dram_re(dram_re), .dram_tensor(dram_tensor),\n"
         "    .dram_addr(dram_addr), .dram_rdata(dram_rdata), .dram_we(dram_we), .dram_wdata(dram_wdata),\n"
         "    .mon_gbi_re(mon_gbi_re), .mon_gbi_we(mon_gbi_we), .mon_gbw_re(mon_gbw_re), .mon_gbw_we(mon_gbw_we),\n"
         "    .mon_gbo_re(mon_gbo_re), .mon_gbo_dma_re(mon_gbo_dma_re), .mon_gbo_we(mon_gbo_we), .mon_mac(mon_mac),\n"
         "    .mon_rf_we(mon_rf_we));\nendmodule\n";
}

// The tree's registers: its loops (every temporal loop is a step), then per lane the
// input and weight offsets and whether it is used, then the words and steps.
std::vector<std::uint32_t> tree_config(const LoopPlan& plan, const Shape& s) {
  std::vector<std::uint32_t> cfg;
  push_loops(cfg, plan.steps, s.ns);
  const std::vector<hw::Strides>& offsets = s.rows >= s.cols ? plan.row_offset : plan.col_offset;
  const std::int64_t used = s.rows >= s.cols ? plan.used_rows : plan.used_cols;
  for (std::size_t t : {std::size_t{0}, std::size_t{1}}) {
    for (std::int64_t l = 0; l < s.lanes; ++l) cfg.push_back(word(offsets[static_cast<std::size_t>(l)][t]));
  }
  for (std::int64_t l = 0; l < s.lanes; ++l) cfg.push_back(l < used ? 1U : 0U);
  for (std::int64_t v : {plan.tensor_words[0], plan.tensor_words[1], plan.tensor_words[2], plan.step_count, std::int64_t{1}}) {
    cfg.push_back(word(v));
  }
  return cfg;
}

std::string tree_top(const Shape& s, const HardwareOptions& o) {
  return "// The accelerator generated for one mapped layer: the reduction-tree template with this\n"
         "// design's lanes, widths and bank depths (the mapping is in its configuration).\n"
         "module dnnspace_accel_top (\n"
         "  input  wire clk,\n  input  wire rst,\n  input  wire start,\n  input  wire cfg_we,\n"
         "  input  wire [15:0] cfg_addr,\n  input  wire [31:0] cfg_data,\n"
         "  output wire busy,\n  output wire computing,\n  output wire done,\n"
         "  output wire dram_re,\n  output wire [1:0] dram_tensor,\n  output wire [" + num(s.aw - 1) + ":0] dram_addr,\n"
         "  input  wire [" + num(o.operand_bits - 1) + ":0] dram_rdata,\n  output wire dram_we,\n"
         "  output wire [" + num(o.accumulator_bits - 1) + ":0] dram_wdata,\n"
         "  output wire [" + num(s.lanes - 1) + ":0] mon_gbi_re,\n  output wire mon_gbi_we,\n"
         "  output wire [" + num(s.lanes - 1) + ":0] mon_gbw_re,\n  output wire mon_gbw_we,\n"
         "  output wire mon_gbo_re,\n  output wire mon_gbo_dma_re,\n  output wire mon_gbo_we,\n"
         "  output wire [" + num(s.lanes - 1) + ":0] mon_mac\n);\n"
         "  dnnspace_tree_accel #(.LANES(" + num(s.lanes) + "), .OP_BITS(" + num(o.operand_bits) + "), .ACC_BITS(" +
         num(o.accumulator_bits) + "), .AW(" + num(s.aw) + "), .NS(" + num(static_cast<std::int64_t>(s.ns)) +
         "),\n    .DEPTH_I(" + num(s.depth_i) + "), .DEPTH_W(" + num(s.depth_w) + "), .DEPTH_O(" + num(s.depth_o) + ")) core (\n"
         "    .clk(clk), .rst(rst), .start(start), .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_data(cfg_data),\n"
         "    .busy(busy), .computing(computing), .done(done), .dram_re(dram_re), .dram_tensor(dram_tensor),\n"
         "    .dram_addr(dram_addr), .dram_rdata(dram_rdata), .dram_we(dram_we), .dram_wdata(dram_wdata),\n"
         "    .mon_gbi_re(mon_gbi_re), .mon_gbi_we(mon_gbi_we), .mon_gbw_re(mon_gbw_re), .mon_gbw_we(mon_gbw_we),\n"
         "    .mon_gbo_re(mon_gbo_re), .mon_gbo_dma_re(mon_gbo_dma_re), .mon_gbo_we(mon_gbo_we), .mon_mac(mon_mac));\n"
         "endmodule\n";
}

void add_systolic_files(GeneratedDesign& design, const Shape& s, const HardwareOptions& options, bool rp) {
  design.files.push_back({"dnnspace_pe.v", hw::pe_verilog()});
  design.files.push_back({"dnnspace_bank.v", hw::bank_verilog()});
  design.files.push_back({"dnnspace_systolic_array.v", hw::systolic_array_verilog()});
  design.files.push_back({"dnnspace_systolic_ctrl.v", hw::systolic_ctrl_verilog()});
  design.files.push_back({"dnnspace_systolic_accel.v", hw::systolic_accel_verilog()});
  design.files.push_back({"dnnspace_accel_top.v", systolic_top(s, options, rp)});
}

void add_tree_files(GeneratedDesign& design, const Shape& s, const HardwareOptions& options) {
  design.files.push_back({"dnnspace_bank.v", hw::bank_verilog()});
  design.files.push_back({"dnnspace_adder_tree.v", hw::adder_tree_verilog()});
  design.files.push_back({"dnnspace_tree_ctrl.v", hw::tree_ctrl_verilog()});
  design.files.push_back({"dnnspace_tree_accel.v", hw::tree_accel_verilog()});
  design.files.push_back({"dnnspace_accel_top.v", tree_top(s, options)});
}

int address_bits(std::int64_t words) {
  return static_cast<int>(std::bit_width(static_cast<std::uint64_t>(words))) + 1;
}

}  // namespace

const char* hardware_family_name(HardwareFamily family) noexcept {
  switch (family) {
    case HardwareFamily::SystolicCK: return "C|K systolic";
    case HardwareFamily::SystolicRP: return "R|P systolic";
    case HardwareFamily::ReductionTree: return "C reduction tree";
  }
  return "?";
}

const std::string& design_file_text(const GeneratedDesign& design, const std::string& name) {
  static const std::string kEmpty;
  for (const GeneratedFile& f : design.files) {
    if (f.name == name) return f.text;
  }
  return kEmpty;
}

Expected<GeneratedDesign> generate_hardware(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                                            const HardwareOptions& options) {
  Expected<LoopPlan> planned = hw::plan_loops(layer, arch, mapping, options);
  if (!planned) return planned.error();
  const LoopPlan& plan = *planned;
  if (options.min_bank_words < 0 || options.min_bank_words > kMaxBankWords) {
    return Error{"hardware generator: min bank words " + num(options.min_bank_words) + " (supported: 0.." + num(kMaxBankWords) + ")"};
  }
  Shape s;
  s.rows = plan.rows;
  s.cols = plan.cols;
  s.depth_i = std::max(plan.tensor_words[0], options.min_bank_words);
  s.depth_w = std::max(plan.tensor_words[1], options.min_bank_words);
  s.depth_o = std::max(plan.tensor_words[2], options.min_bank_words);
  for (std::int64_t d : {s.depth_i, s.depth_w, s.depth_o}) {
    if (d > kMaxBankWords) {
      return Error{"hardware generator: layer '" + layer.name + "' needs a bank of " + num(d) + " words (supported: at most " +
                   num(kMaxBankWords) + " per tensor)"};
    }
  }
  if (s.rows * s.cols > 4096) {
    return Error{"hardware generator: a " + num(s.rows) + "x" + num(s.cols) + " array (supported: at most 4096 PEs)"};
  }
  s.aw = address_bits(std::max({s.depth_i, s.depth_w, s.depth_o}));

  GeneratedDesign design;
  DesignSummary& sum = design.summary;
  sum.family = plan.family;
  sum.rows = plan.rows;
  sum.cols = plan.cols;
  sum.used_rows = plan.used_rows;
  sum.used_cols = plan.used_cols;
  sum.bank_words[TensorId::Inputs] = s.depth_i;
  sum.bank_words[TensorId::Weights] = s.depth_w;
  sum.bank_words[TensorId::Outputs] = s.depth_o;
  sum.address_bits = s.aw;
  sum.operand_bits = options.operand_bits;
  sum.accumulator_bits = options.accumulator_bits;
  sum.folds = plan.fold_count;
  sum.steps = plan.step_count;
  sum.top_module = "dnnspace_accel_top";
  sum.testbench_module = "dnnspace_tb";

  std::vector<std::uint32_t> cfg;
  hw::TestbenchShape tb;
  tb.family = plan.family;
  if (plan.family == HardwareFamily::ReductionTree) {
    s.ns = std::max(kMinTreeSlots, plan.steps.size());
    s.lanes = std::max(s.rows, s.cols);
    cfg = tree_config(plan, s);
    add_tree_files(design, s, options);
    tb.rows = 1;
    tb.cols = s.lanes;
    tb.weight_ports = s.lanes;
  } else {
    const bool rp = plan.family == HardwareFamily::SystolicRP;
    s.nf = std::max(kMinFoldSlots, plan.folds.size());
    s.ns = std::max(kMinStepSlots, plan.steps.size());
    s.lanes = rp ? s.rows + s.cols - 1 : s.rows;
    Expected<std::vector<std::uint32_t>> config = systolic_config(plan, s);
    if (!config) return config.error();
    cfg = std::move(*config);
    add_systolic_files(design, s, options, rp);
    tb.rows = s.rows;
    tb.cols = s.cols;
    tb.weight_ports = rp ? 1 : s.cols;
    tb.register_level = plan.register_level;
  }
  tb.lanes = s.lanes;
  for (const GeneratedFile& f : design.files) design.rtl_files.push_back(f.name);
  tb.operand_bits = options.operand_bits;
  tb.accumulator_bits = options.accumulator_bits;
  tb.address_bits = s.aw;
  tb.config_words = static_cast<std::int64_t>(cfg.size());
  tb.dram_words = {s.depth_i, s.depth_w, s.depth_o};
  tb.global_level = plan.global_level;
  tb.config_outputs_index = static_cast<std::int64_t>(cfg.size()) - 3;  // n_out, steps, folds end every configuration
  sum.config_words = static_cast<int>(cfg.size());
  design.files.push_back({"dnnspace_tb.sv", hw::testbench_verilog(tb)});
  design.testbench_file = "dnnspace_tb.sv";
  design.files.push_back({"config.hex", hex_words(cfg)});
  design.config_file = "config.hex";
  return design;
}

}  // namespace dnnspace
