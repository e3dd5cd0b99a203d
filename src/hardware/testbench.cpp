#include "testbench.hpp"

namespace dnnspace::hw {
namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

}  // namespace

std::string testbench_verilog(const TestbenchShape& s) {
  const bool tree = s.family == HardwareFamily::ReductionTree;
  const bool rp = s.family == HardwareFamily::SystolicRP;
  const std::string gb = num(s.global_level), rf = num(s.register_level);
  std::string t;
  t += "// Testbench of the generated accelerator (simulation only): loads the operands and the\n"
       "// configuration, runs the layer, counts every access and writes result.txt.\n"
       "module dnnspace_tb;\n";
  t += "  localparam integer ROWS = " + num(s.rows) + ", COLS = " + num(s.cols) + ", LANES = " + num(s.lanes) +
       ", WPORTS = " + num(s.weight_ports) + ";\n";
  t += "  localparam integer OP_BITS = " + num(s.operand_bits) + ", ACC_BITS = " + num(s.accumulator_bits) +
       ", AW = " + num(s.address_bits) + ";\n";
  t += "  localparam integer NCFG = " + num(s.config_words) + ", NI = " + num(s.dram_words[0]) + ", NW = " +
       num(s.dram_words[1]) + ", NO = " + num(s.dram_words[2]) + ";\n";
  t += "  // The configuration register holding the layer's output count (what the DMA writes back);\n"
       "  // +outputs=N and +max_cycles=N (a timeout) may be given on the command line.\n";
  t += "  localparam integer CFG_OUTPUTS = " + num(s.config_outputs_index) + ", DEFAULT_MAX_CYCLES = 100000000;\n\n";
  t += R"TB(  reg clk = 1'b0;
  reg rst = 1'b1;
  reg start = 1'b0;
  reg cfg_we = 1'b0;
  reg [15:0] cfg_addr = 16'd0;
  reg [31:0] cfg_data = 32'd0;
  reg [31:0] cfg_mem [0:NCFG-1];
  // DRAM: every address of the port exists (at least the banks' NI, NW, NO words).
  reg [OP_BITS-1:0] dram_i [0:(1<<AW)-1];
  reg [OP_BITS-1:0] dram_w [0:(1<<AW)-1];
  reg [ACC_BITS-1:0] dram_o [0:(1<<AW)-1];
  reg [ACC_BITS-1:0] expected_o [0:(1<<AW)-1];

  wire busy, computing, done, dram_re, dram_we;
  wire [1:0] dram_tensor;
  wire [AW-1:0] dram_addr;
  wire [ACC_BITS-1:0] dram_wdata;
  wire [OP_BITS-1:0] dram_rdata = dram_tensor == 2'd0 ? dram_i[dram_addr] : dram_w[dram_addr];
  wire [LANES-1:0] mon_gbi_re;
  wire [WPORTS-1:0] mon_gbw_re;
  wire mon_gbi_we, mon_gbw_we, mon_gbo_dma_re;
)TB";
  if (tree) {
    t += "  wire mon_gbo_re, mon_gbo_we;\n  wire [LANES-1:0] mon_mac;\n";
  } else {
    t += "  wire [COLS-1:0] mon_gbo_re, mon_gbo_we;\n  wire [ROWS*COLS-1:0] mon_mac, mon_rf_we;\n";
  }
  t += R"TB(
  dnnspace_accel_top dut (
    .clk(clk), .rst(rst), .start(start), .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_data(cfg_data),
    .busy(busy), .computing(computing), .done(done), .dram_re(dram_re), .dram_tensor(dram_tensor),
    .dram_addr(dram_addr), .dram_rdata(dram_rdata), .dram_we(dram_we), .dram_wdata(dram_wdata),
    .mon_gbi_re(mon_gbi_re), .mon_gbi_we(mon_gbi_we), .mon_gbw_re(mon_gbw_re), .mon_gbw_we(mon_gbw_we),
    .mon_gbo_re(mon_gbo_re), .mon_gbo_dma_re(mon_gbo_dma_re), .mon_gbo_we(mon_gbo_we), .mon_mac(mon_mac))TB";
  t += tree ? ");\n" : ",\n    .mon_rf_we(mon_rf_we));\n";
  t += R"TB(
  always #5 clk = ~clk;

  // DRAM: one word per cycle through the accelerator's port.
  always @(posedge clk) begin
    if (dram_we) dram_o[dram_addr] <= dram_wdata;
  end

  longint cycles_total = 0, cycles_compute = 0, macs = 0;
  longint dram_r_i = 0, dram_r_w = 0, dram_w_o = 0;
  longint gb_r_i = 0, gb_w_i = 0, gb_r_w = 0, gb_w_w = 0, gb_r_o = 0, gb_w_o = 0;
  longint rf_r_w = 0, rf_w_w = 0;
  longint xfer_i = 0, xfer_w = 0, xfer_o = 0;
  integer r, c;
  always @(posedge clk) begin
    if (!rst) begin
      if (busy) cycles_total = cycles_total + 1;
      if (computing) cycles_compute = cycles_compute + 1;
      if (dram_re && dram_tensor == 2'd0) dram_r_i = dram_r_i + 1;
      if (dram_re && dram_tensor == 2'd1) dram_r_w = dram_r_w + 1;
      if (dram_we) dram_w_o = dram_w_o + 1;
      gb_r_i = gb_r_i + $countones(mon_gbi_re);
      if (mon_gbi_we) gb_w_i = gb_w_i + 1;
      gb_r_w = gb_r_w + $countones(mon_gbw_re);
      if (mon_gbw_we) gb_w_w = gb_w_w + 1;
      gb_r_o = gb_r_o + $countones(mon_gbo_re) + (mon_gbo_dma_re ? 1 : 0);
      gb_w_o = gb_w_o + $countones(mon_gbo_we);
      macs = macs + $countones(mon_mac);
)TB";
  if (tree) {
    t += "      // The adder tree combines the valid lanes' products: one addition per product past the first.\n"
         "      if (mon_mac != 0) xfer_o = xfer_o + $countones(mon_mac) - 1;\n";
  } else {
    t += "      rf_r_w = rf_r_w + $countones(mon_mac);  // each MAC reads its PE's weight register\n"
         "      rf_w_w = rf_w_w + $countones(mon_rf_we);\n"
         "      for (r = 0; r < ROWS; r = r + 1) begin\n"
         "        for (c = 0; c < COLS; c = c + 1) begin\n"
         "          if (mon_mac[r*COLS + c]) begin\n";
    if (rp) {
      t += "            // the diagonal's word reached this PE from its upper-right neighbour\n"
           "            if (r > 0 && c + 1 < COLS && mon_mac[(r-1)*COLS + c + 1]) xfer_i = xfer_i + 1;\n";
    } else {
      t += "            if (c > 0) xfer_i = xfer_i + 1;  // the input came from the left neighbour\n";
    }
    t += "            if (r > 0) xfer_o = xfer_o + 1;  // the partial sum came from the PE above\n"
         "          end\n";
    if (rp) t += "          if (mon_rf_we[r*COLS + c] && c > 0) xfer_w = xfer_w + 1;  // the row's weight, passed along\n";
    t += "        end\n      end\n";
  }
  t += R"TB(    end
  end

  integer k, f, fe, waited, mismatches, n_out, max_cycles;
  initial begin
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = DEFAULT_MAX_CYCLES;
    $readmemh("config.hex", cfg_mem);
    $readmemh("inputs.hex", dram_i);
    $readmemh("weights.hex", dram_w);
    if (!$value$plusargs("outputs=%d", n_out)) n_out = cfg_mem[CFG_OUTPUTS];
    for (k = 0; k < NO; k = k + 1) dram_o[k] = {ACC_BITS{1'b0}};
    repeat (2) @(posedge clk);
    @(negedge clk);
    rst = 1'b0;
    for (k = 0; k < NCFG; k = k + 1) begin
      cfg_we = 1'b1;
      cfg_addr = k[15:0];
      cfg_data = cfg_mem[k];
      @(negedge clk);
    end
    cfg_we = 1'b0;
    start = 1'b1;
    @(negedge clk);
    start = 1'b0;
    waited = 0;
    while (!done && waited < max_cycles) begin
      @(negedge clk);
      waited = waited + 1;
    end
    f = $fopen("result.txt", "w");
    if (!done) $fdisplay(f, "error timeout after %0d cycles", waited);
    $fdisplay(f, "cycles total %0d", cycles_total);
    $fdisplay(f, "cycles compute %0d", cycles_compute);
    $fdisplay(f, "cycles dma %0d", cycles_total - cycles_compute);
    $fdisplay(f, "macs %0d", macs);
    $fdisplay(f, "access 0 inputs %0d 0", dram_r_i);
    $fdisplay(f, "access 0 weights %0d 0", dram_r_w);
    $fdisplay(f, "access 0 outputs 0 %0d", dram_w_o);
)TB";
  t += "    $fdisplay(f, \"access " + gb + " inputs %0d %0d\", gb_r_i, gb_w_i);\n";
  t += "    $fdisplay(f, \"access " + gb + " weights %0d %0d\", gb_r_w, gb_w_w);\n";
  t += "    $fdisplay(f, \"access " + gb + " outputs %0d %0d\", gb_r_o, gb_w_o);\n";
  if (!tree) t += "    $fdisplay(f, \"access " + rf + " weights %0d %0d\", rf_r_w, rf_w_w);\n";
  t += R"TB(    $fdisplay(f, "transfers inputs %0d", xfer_i);
    $fdisplay(f, "transfers weights %0d", xfer_w);
    $fdisplay(f, "transfers outputs %0d", xfer_o);
    for (k = 0; k < n_out; k = k + 1) $fdisplay(f, "out %0d %0d", k, $signed(dram_o[k]));
    // Self-check against expected.hex when the caller supplied one.
    mismatches = 0;
    fe = $fopen("expected.hex", "r");
    if (fe != 0) begin
      $fclose(fe);
      $readmemh("expected.hex", expected_o);
      for (k = 0; k < n_out; k = k + 1) begin
        if (expected_o[k] !== dram_o[k]) mismatches = mismatches + 1;
      end
      $fdisplay(f, "mismatches %0d", mismatches);
    end
    $fclose(f);
    $finish;
  end
endmodule
)TB";
  return t;
}

}  // namespace dnnspace::hw
