// The Verilog modules of the C reduction tree, as text.
#include "verilog_text.hpp"

namespace dnnspace::hw {

const char* adder_tree_verilog() noexcept {
  return R"VLOG(// A balanced adder tree over LANES signed products (004 Fig. 4a): the leaves are the
// lanes' products (0 for idle lanes), each node adds its two children.
module dnnspace_adder_tree #(
  parameter integer LANES = 4,
  parameter integer WIDTH = 32
) (
  input  wire [LANES*WIDTH-1:0] leaves,
  output wire [WIDTH-1:0]       sum
);
  localparam integer LEAVES = 1 << $clog2(LANES);
  /* verilator lint_off UNOPTFLAT */  // node i adds nodes 2i and 2i+1: one array, no cycle
  wire [WIDTH-1:0] node [1:2*LEAVES-1];
  /* verilator lint_on UNOPTFLAT */
  genvar g;
  generate
    for (g = 0; g < LEAVES; g = g + 1) begin : leaf
      if (g < LANES) begin : lane
        assign node[LEAVES + g] = leaves[g*WIDTH +: WIDTH];
      end else begin : pad
        assign node[LEAVES + g] = {WIDTH{1'b0}};
      end
    end
    for (g = 1; g < LEAVES; g = g + 1) begin : add
      assign node[g] = node[2*g] + node[2*g + 1];
    end
  endgenerate
  assign sum = node[1];
endmodule
)VLOG";
}

const char* tree_ctrl_verilog() noexcept {
  return R"VLOG(// The controller of the C reduction tree: DMA between DRAM and the global buffer, then one
// step per cycle (every temporal loop of the mapping, an ideal array), each step reading
// the lanes' inputs and weights and the partial sum, and writing the sum back.
module dnnspace_tree_ctrl #(
  parameter integer LANES = 4,
  parameter integer AW = 8,
  parameter integer NS = 7
) (
  input  wire                 clk,
  input  wire                 rst,
  input  wire                 start,
  input  wire                 cfg_we,
  input  wire [15:0]          cfg_addr,
  input  wire [31:0]          cfg_data,
  output wire                 busy,
  output wire                 computing,
  output wire                 done,
  output wire                 dram_re,
  output wire [1:0]           dram_tensor,
  output wire [AW-1:0]        dram_addr,
  output wire                 dram_we,
  output wire                 gbi_we,
  output wire                 gbw_we,
  output wire [AW-1:0]        dma_addr,
  output wire [LANES-1:0]     lane_on,
  output wire [LANES*AW-1:0]  gbi_raddr,
  output wire [LANES*AW-1:0]  gbw_raddr,
  output wire                 gbo_re,
  output wire                 psum_zero,
  output wire                 gbo_we,
  output wire [AW-1:0]        gbo_addr,
  output wire                 gbo_dma_re
);
  localparam integer S_FACTOR = 0, S_SI = NS, S_SW = 2 * NS, S_SO = 3 * NS, S_FLAGS = 4 * NS;
  localparam integer L_OFFI = 5 * NS, L_OFFW = L_OFFI + LANES, L_VALID = L_OFFI + 2 * LANES;
  localparam integer G_NI = L_OFFI + 3 * LANES, G_NW = G_NI + 1, G_NO = G_NI + 2, G_STEPS = G_NI + 3;
  localparam integer NCFG = G_NI + 5;
  localparam integer CW = $clog2(NCFG);
  localparam [2:0] S_IDLE = 3'd0, S_DMA_I = 3'd1, S_DMA_W = 3'd2, S_RUN = 3'd3, S_DMA_O = 3'd4, S_DONE = 3'd5;

  /* verilator lint_off UNUSEDSIGNAL */  // registers are 32 bits; addresses use AW of them; the last is the fold count (1)
  reg [31:0] cfg [0:NCFG-1];
  /* verilator lint_on UNUSEDSIGNAL */
  always @(posedge clk) begin
    if (cfg_we && {16'b0, cfg_addr} < NCFG) cfg[cfg_addr[CW-1:0]] <= cfg_data;
  end

  reg [2:0]  state;
  reg [31:0] phase;
  reg [AW-1:0] scnt [0:NS-1];
  reg [AW-1:0] sb_i, sb_w, sb_o;
  reg          first;
  reg [NS:0]   carry;
  integer i;
  always @* begin
    sb_i = 0; sb_w = 0; sb_o = 0; first = 1'b1;
    carry[NS] = 1'b1;
    for (i = NS - 1; i >= 0; i = i - 1) begin
      sb_i = sb_i + scnt[i] * cfg[S_SI + i][AW-1:0];
      sb_w = sb_w + scnt[i] * cfg[S_SW + i][AW-1:0];
      sb_o = sb_o + scnt[i] * cfg[S_SO + i][AW-1:0];
      if (cfg[S_FLAGS + i][0] && scnt[i] != 0) first = 1'b0;
      carry[i] = carry[i + 1] && (scnt[i] == cfg[S_FACTOR + i][AW-1:0] - 1);
    end
  end

  wire [31:0] n_in = cfg[G_NI], n_w = cfg[G_NW], n_out = cfg[G_NO], steps = cfg[G_STEPS];
  always @(posedge clk) begin
    if (rst) begin
      state <= S_IDLE;
      phase <= 0;
    end else begin
      case (state)
        S_IDLE: if (start) begin
          state <= S_DMA_I;
          phase <= 0;
          for (i = 0; i < NS; i = i + 1) scnt[i] <= 0;
        end
        S_DMA_I: if (phase == n_in - 1) begin state <= S_DMA_W; phase <= 0; end else phase <= phase + 1;
        S_DMA_W: if (phase == n_w - 1) begin state <= S_RUN; phase <= 0; end else phase <= phase + 1;
        S_RUN: begin
          for (i = 0; i < NS; i = i + 1) begin
            if (carry[i + 1]) scnt[i] <= (scnt[i] == cfg[S_FACTOR + i][AW-1:0] - 1) ? 0 : scnt[i] + 1;
          end
          if (phase == steps - 1) begin state <= S_DMA_O; phase <= 0; end else phase <= phase + 1;
        end
        S_DMA_O: if (phase == n_out - 1) begin state <= S_DONE; phase <= 0; end else phase <= phase + 1;
        default: ;
      endcase
    end
  end

  wire run = state == S_RUN;
  assign busy = state != S_IDLE && state != S_DONE;
  assign computing = run;
  assign done = state == S_DONE;
  assign dram_re = state == S_DMA_I || state == S_DMA_W;
  assign dram_tensor = state == S_DMA_I ? 2'd0 : state == S_DMA_W ? 2'd1 : 2'd2;
  assign dram_addr = phase[AW-1:0];
  assign dram_we = state == S_DMA_O;
  assign gbi_we = state == S_DMA_I;
  assign gbw_we = state == S_DMA_W;
  assign gbo_dma_re = state == S_DMA_O;
  assign dma_addr = phase[AW-1:0];
  assign gbo_re = run & ~first;
  assign psum_zero = first;
  assign gbo_we = run;
  assign gbo_addr = sb_o;
  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : lane
      assign lane_on[g] = run & cfg[L_VALID + g][0];
      assign gbi_raddr[g*AW +: AW] = sb_i + cfg[L_OFFI + g][AW-1:0];
      assign gbw_raddr[g*AW +: AW] = sb_w + cfg[L_OFFW + g][AW-1:0];
    end
  endgenerate
endmodule
)VLOG";
}

const char* tree_accel_verilog() noexcept {
  return R"VLOG(// The C reduction tree accelerator (004 Fig. 4a): LANES multipliers, one per input
// channel of a step, whose products an adder tree sums into one partial sum per cycle;
// controller and three global-buffer banks as in the systolic template, DRAM outside.
module dnnspace_tree_accel #(
  parameter integer LANES = 4,
  parameter integer OP_BITS = 8,
  parameter integer ACC_BITS = 32,
  parameter integer AW = 8,
  parameter integer NS = 7,
  parameter integer DEPTH_I = 16,
  parameter integer DEPTH_W = 16,
  parameter integer DEPTH_O = 16
) (
  input  wire                clk,
  input  wire                rst,
  input  wire                start,
  input  wire                cfg_we,
  input  wire [15:0]         cfg_addr,
  input  wire [31:0]         cfg_data,
  output wire                busy,
  output wire                computing,
  output wire                done,
  output wire                dram_re,
  output wire [1:0]          dram_tensor,
  output wire [AW-1:0]       dram_addr,
  input  wire [OP_BITS-1:0]  dram_rdata,
  output wire                dram_we,
  output wire [ACC_BITS-1:0] dram_wdata,
  output wire [LANES-1:0]    mon_gbi_re,
  output wire                mon_gbi_we,
  output wire [LANES-1:0]    mon_gbw_re,
  output wire                mon_gbw_we,
  output wire                mon_gbo_re,
  output wire                mon_gbo_dma_re,
  output wire                mon_gbo_we,
  output wire [LANES-1:0]    mon_mac
);
  wire gbi_we, gbw_we, gbo_re, psum_zero, gbo_we, gbo_dma_re;
  wire [AW-1:0] dma_addr, gbo_addr;
  wire [LANES-1:0] lane_on;
  wire [LANES*AW-1:0] gbi_raddr, gbw_raddr;

  dnnspace_tree_ctrl #(.LANES(LANES), .AW(AW), .NS(NS)) ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_data(cfg_data),
    .busy(busy), .computing(computing), .done(done), .dram_re(dram_re), .dram_tensor(dram_tensor),
    .dram_addr(dram_addr), .dram_we(dram_we), .gbi_we(gbi_we), .gbw_we(gbw_we), .dma_addr(dma_addr),
    .lane_on(lane_on), .gbi_raddr(gbi_raddr), .gbw_raddr(gbw_raddr), .gbo_re(gbo_re), .psum_zero(psum_zero),
    .gbo_we(gbo_we), .gbo_addr(gbo_addr), .gbo_dma_re(gbo_dma_re));

  wire [LANES*OP_BITS-1:0] x, w;
  dnnspace_bank #(.WIDTH(OP_BITS), .DEPTH(DEPTH_I), .AW(AW), .NR(LANES), .NW(1)) bank_inputs (
    .clk(clk), .raddr(gbi_raddr), .rdata(x), .we(gbi_we), .waddr(dma_addr), .wdata(dram_rdata));
  dnnspace_bank #(.WIDTH(OP_BITS), .DEPTH(DEPTH_W), .AW(AW), .NR(LANES), .NW(1)) bank_weights (
    .clk(clk), .raddr(gbw_raddr), .rdata(w), .we(gbw_we), .waddr(dma_addr), .wdata(dram_rdata));

  // The lanes' products, sign-extended; idle lanes give 0.
  wire [LANES*ACC_BITS-1:0] products;
  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : lane
      wire signed [2*OP_BITS-1:0] p = $signed(x[g*OP_BITS +: OP_BITS]) * $signed(w[g*OP_BITS +: OP_BITS]);
      assign products[g*ACC_BITS +: ACC_BITS] =
          lane_on[g] ? {{(ACC_BITS - 2 * OP_BITS){p[2*OP_BITS-1]}}, p} : {ACC_BITS{1'b0}};
    end
  endgenerate
  wire [ACC_BITS-1:0] tree_sum;
  dnnspace_adder_tree #(.LANES(LANES), .WIDTH(ACC_BITS)) tree (.leaves(products), .sum(tree_sum));

  // Partial sums: one read port for the step, one for the DMA to DRAM; one write port.
  wire [2*ACC_BITS-1:0] psum_read;
  wire [ACC_BITS-1:0] psum_in = psum_zero ? {ACC_BITS{1'b0}} : psum_read[0 +: ACC_BITS];
  dnnspace_bank #(.WIDTH(ACC_BITS), .DEPTH(DEPTH_O), .AW(AW), .NR(2), .NW(1)) bank_psums (
    .clk(clk), .raddr({dma_addr, gbo_addr}), .rdata(psum_read), .we(gbo_we), .waddr(gbo_addr),
    .wdata(psum_in + tree_sum));
  assign dram_wdata = psum_read[ACC_BITS +: ACC_BITS];

  assign mon_gbi_re = lane_on;
  assign mon_gbi_we = gbi_we;
  assign mon_gbw_re = lane_on;
  assign mon_gbw_we = gbw_we;
  assign mon_gbo_re = gbo_re;
  assign mon_gbo_dma_re = gbo_dma_re;
  assign mon_gbo_we = gbo_we;
  assign mon_mac = lane_on;
endmodule
)VLOG";
}

}  // namespace dnnspace::hw
