// The Verilog modules of the systolic families (C|K and R|P), as text.
#include "verilog_text.hpp"

namespace dnnspace::hw {

const char* pe_verilog() noexcept {
  return R"VLOG(// One processing element: a weight register (the per-PE register file, weights only),
// a signed multiplier and an accumulator adder. The input operand and the partial sum
// are registered on their way to the next PE (systolic); the sum of the bottom row is
// also available combinationally (psum_next) for the global buffer's write port.
module dnnspace_pe #(
  parameter integer OP_BITS = 8,
  parameter integer ACC_BITS = 32
) (
  input  wire                       clk,
  input  wire                       rst,
  input  wire                       w_load,      // latch w_in into the weight register
  input  wire signed [OP_BITS-1:0]  w_in,
  input  wire signed [OP_BITS-1:0]  x_in,
  input  wire                       x_valid_in,
  input  wire                       pe_en,       // this PE's row and column are in use
  input  wire signed [ACC_BITS-1:0] psum_in,
  output reg  signed [OP_BITS-1:0]  x_out,
  output reg                        x_valid_out,
  output wire signed [ACC_BITS-1:0] psum_next,
  output reg  signed [ACC_BITS-1:0] psum_out,
  output wire                       mac_valid
);
  reg signed [OP_BITS-1:0] w_reg;
  wire signed [2*OP_BITS-1:0] product = w_reg * x_in;
  wire signed [ACC_BITS-1:0] product_wide = {{(ACC_BITS - 2 * OP_BITS){product[2*OP_BITS-1]}}, product};
  assign mac_valid = x_valid_in & pe_en;
  assign psum_next = mac_valid ? psum_in + product_wide : psum_in;
  always @(posedge clk) begin
    if (w_load) w_reg <= w_in;
    x_out <= x_in;
    psum_out <= psum_next;
    if (rst) x_valid_out <= 1'b0;
    else x_valid_out <= x_valid_in;
  end
endmodule
)VLOG";
}

const char* bank_verilog() noexcept {
  return R"VLOG(// A global-buffer bank: DEPTH words, NR combinational read ports, NW write ports (the
// writers never hit one address in the same cycle).
module dnnspace_bank #(
  parameter integer WIDTH = 8,
  parameter integer DEPTH = 16,
  parameter integer AW = 4,
  parameter integer NR = 1,
  parameter integer NW = 1
) (
  input  wire                clk,
  /* verilator lint_off UNUSEDSIGNAL */  // the address bits above ABITS are zero
  input  wire [NR*AW-1:0]    raddr,
  output wire [NR*WIDTH-1:0] rdata,
  input  wire [NW-1:0]       we,
  input  wire [NW*AW-1:0]    waddr,
  /* verilator lint_on UNUSEDSIGNAL */
  input  wire [NW*WIDTH-1:0] wdata
);
  localparam integer ABITS = DEPTH > 1 ? $clog2(DEPTH) : 1;  // AW >= ABITS: addresses stay below DEPTH
  reg [WIDTH-1:0] mem [0:DEPTH-1];
  genvar g;
  generate
    for (g = 0; g < NR; g = g + 1) begin : rd
      assign rdata[g*WIDTH +: WIDTH] = mem[raddr[g*AW +: ABITS]];
    end
  endgenerate
  integer j;
  always @(posedge clk) begin
    for (j = 0; j < NW; j = j + 1) begin
      if (we[j]) mem[waddr[j*AW +: ABITS]] <= wdata[j*WIDTH +: WIDTH];
    end
  end
endmodule
)VLOG";
}

const char* systolic_array_verilog() noexcept {
  return R"VLOG(// The systolic PE array. Partial sums enter each column at the top and move down one row
// per cycle; the bottom row's sums leave combinationally to the global buffer.
// RP = 0 (C|K, 004 Fig. 4c): input lane r enters row r at the left and moves right one
// column per cycle; each column has its own weight bus. RP = 1 (R|P, 004 Fig. 4b): input
// lane d is the anti-diagonal r + c: its wire reaches every PE on it in the cycle the
// diagonal computes; a row's weight is on the row's wire.
module dnnspace_systolic_array #(
  parameter integer ROWS = 2,
  parameter integer COLS = 2,
  parameter integer OP_BITS = 8,
  parameter integer ACC_BITS = 32,
  parameter integer RP = 0,
  parameter integer NL = (RP != 0) ? ROWS + COLS - 1 : ROWS,
  parameter integer WPORTS = (RP != 0) ? 1 : COLS
) (
  input  wire                       clk,
  input  wire                       rst,
  input  wire [ROWS-1:0]            w_load_row,
  input  wire [COLS-1:0]            w_load_col,
  input  wire [WPORTS*OP_BITS-1:0]  w_data,
  input  wire [NL*OP_BITS-1:0]      x_lane,
  input  wire [NL-1:0]              x_lane_valid,
  input  wire [ROWS-1:0]            row_en,
  input  wire [COLS-1:0]            col_en,
  input  wire [COLS*ACC_BITS-1:0]   psum_top,
  output wire [COLS*ACC_BITS-1:0]   psum_bottom,
  output wire [ROWS*COLS-1:0]       mac_valid,
  output wire [ROWS*COLS-1:0]       w_loaded
);
  wire signed [OP_BITS-1:0]  x_in     [0:ROWS-1][0:COLS-1];
  wire                       xv_in    [0:ROWS-1][0:COLS-1];
  /* verilator lint_off UNUSEDSIGNAL */  // the R|P wiring does not shift inputs
  wire signed [OP_BITS-1:0]  x_out    [0:ROWS-1][0:COLS-1];
  wire                       xv_out   [0:ROWS-1][0:COLS-1];
  wire signed [OP_BITS-1:0]  w_in     [0:ROWS-1][0:COLS-1];
  wire signed [ACC_BITS-1:0] ps_in    [0:ROWS-1][0:COLS-1];
  wire signed [ACC_BITS-1:0] ps_next  [0:ROWS-1][0:COLS-1];
  wire signed [ACC_BITS-1:0] ps_out   [0:ROWS-1][0:COLS-1];
  /* verilator lint_on UNUSEDSIGNAL */
  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : row
      for (c = 0; c < COLS; c = c + 1) begin : col
        if (RP != 0) begin : diagonal
          // Lane d is the wire of anti-diagonal d: every PE on it gets the word in the
          // cycle the diagonal computes; a row's weight is on the row's wire.
          assign x_in[r][c] = x_lane[(r + c)*OP_BITS +: OP_BITS];
          assign xv_in[r][c] = x_lane_valid[r + c];
          assign w_in[r][c] = w_data[0 +: OP_BITS];
        end else begin : rowwise
          if (c == 0) begin : entry
            assign x_in[r][c] = x_lane[r*OP_BITS +: OP_BITS];
            assign xv_in[r][c] = x_lane_valid[r];
          end else begin : shifted
            assign x_in[r][c] = x_out[r][c - 1];
            assign xv_in[r][c] = xv_out[r][c - 1];
          end
          assign w_in[r][c] = w_data[c*OP_BITS +: OP_BITS];
        end
        if (r == 0) begin : top
          assign ps_in[r][c] = psum_top[c*ACC_BITS +: ACC_BITS];
        end else begin : below
          assign ps_in[r][c] = ps_out[r - 1][c];
        end
        assign w_loaded[r*COLS + c] = w_load_row[r] & w_load_col[c];
        dnnspace_pe #(.OP_BITS(OP_BITS), .ACC_BITS(ACC_BITS)) pe (
          .clk(clk), .rst(rst), .w_load(w_load_row[r] & w_load_col[c]), .w_in(w_in[r][c]),
          .x_in(x_in[r][c]), .x_valid_in(xv_in[r][c]), .pe_en(row_en[r] & col_en[c]),
          .psum_in(ps_in[r][c]), .x_out(x_out[r][c]), .x_valid_out(xv_out[r][c]),
          .psum_next(ps_next[r][c]), .psum_out(ps_out[r][c]), .mac_valid(mac_valid[r*COLS + c]));
      end
    end
    for (c = 0; c < COLS; c = c + 1) begin : bottom
      assign psum_bottom[c*ACC_BITS +: ACC_BITS] = ps_next[ROWS - 1][c];
    end
  endgenerate
endmodule
)VLOG";
}

const char* systolic_ctrl_verilog() noexcept {
  return R"VLOG(// The controller of the systolic families: DMA between DRAM and the global buffer, and
// for every fold (one iteration of the global buffer's temporal loops) a weight-load
// phase of ROWS cycles and a stream phase of STEPS + ROWS + COLS - 2 cycles. The loops'
// factors, address strides and the array's offsets are configuration registers, so one
// design runs any mapping of its family that fits its banks (004 Sec. IV-C).
module dnnspace_systolic_ctrl #(
  parameter integer ROWS = 2,
  parameter integer COLS = 2,
  parameter integer AW = 8,
  parameter integer NF = 4,
  parameter integer NS = 3,
  parameter integer RP = 0,
  parameter integer NL = (RP != 0) ? ROWS + COLS - 1 : ROWS,
  parameter integer WPORTS = (RP != 0) ? 1 : COLS
) (
  input  wire                  clk,
  input  wire                  rst,
  input  wire                  start,
  input  wire                  cfg_we,
  input  wire [15:0]           cfg_addr,
  input  wire [31:0]           cfg_data,
  output wire                  busy,
  output wire                  computing,
  output wire                  done,
  output wire                  dram_re,
  output wire [1:0]            dram_tensor,
  output wire [AW-1:0]         dram_addr,
  output wire                  dram_we,
  output wire                  gbi_we,
  output wire                  gbw_we,
  output wire [AW-1:0]         dma_addr,
  output wire [NL-1:0]         gbi_re,
  output wire [NL*AW-1:0]      gbi_raddr,
  output wire [WPORTS-1:0]     gbw_re,
  output wire [WPORTS*AW-1:0]  gbw_raddr,
  output wire [ROWS-1:0]       w_load_row,
  output wire [COLS-1:0]       w_load_col,
  output wire [COLS-1:0]       gbo_re,
  output wire [COLS*AW-1:0]    gbo_raddr,
  output wire [COLS-1:0]       psum_zero,
  output wire [COLS-1:0]       gbo_we,
  output wire [COLS*AW-1:0]    gbo_waddr,
  output wire                  gbo_dma_re,
  output wire [ROWS-1:0]       row_en,
  output wire [COLS-1:0]       col_en
);
  localparam integer LINE = ROWS + COLS - 1;
  localparam integer F_FACTOR = 0, F_SI = NF, F_SW = 2 * NF, F_SO = 3 * NF, F_FLAGS = 4 * NF;
  localparam integer S_FACTOR = 5 * NF, S_SI = S_FACTOR + NS, S_SO = S_FACTOR + 3 * NS,
                     S_FLAGS = S_FACTOR + 4 * NS;
  localparam integer L_OFF = 5 * NF + 5 * NS, L_VALID = L_OFF + NL;
  localparam integer R_OFFW = L_OFF + 2 * NL, R_VALID = R_OFFW + ROWS;
  localparam integer C_OFFW = R_OFFW + 2 * ROWS, C_OFFO = C_OFFW + COLS, C_VALID = C_OFFW + 2 * COLS;
  localparam integer G_NI = C_OFFW + 3 * COLS, G_NW = G_NI + 1, G_NO = G_NI + 2, G_STEPS = G_NI + 3, G_FOLDS = G_NI + 4;
  localparam integer NCFG = G_NI + 5;
  localparam integer CW = $clog2(NCFG);

  localparam [2:0] S_IDLE = 3'd0, S_DMA_I = 3'd1, S_DMA_W = 3'd2, S_LOAD = 3'd3, S_STREAM = 3'd4,
                   S_DMA_O = 3'd5, S_DONE = 3'd6;

  /* verilator lint_off UNUSEDSIGNAL */  // registers are 32 bits; addresses use AW of them
  reg [31:0] cfg [0:NCFG-1];
  /* verilator lint_on UNUSEDSIGNAL */
  always @(posedge clk) begin
    if (cfg_we && {16'b0, cfg_addr} < NCFG) cfg[cfg_addr[CW-1:0]] <= cfg_data;
  end

  reg [2:0]  state;
  reg [31:0] phase;
  reg [31:0] fold;
  reg        w_new;  // the fold starts a new weight epoch: load the registers
  reg [AW-1:0] fcnt [0:NF-1];
  reg [AW-1:0] scnt [0:NS-1];

  // Address bases of the current fold and step: sums of counter x stride.
  reg [AW-1:0] fb_i, fb_w, fb_o, sb_i, sb_o;
  reg          f_first, s_first, w_change;
  reg [NF:0]   fcarry;
  reg [NS:0]   scarry;
  integer i;
  always @* begin
    fb_i = 0; fb_w = 0; fb_o = 0; f_first = 1'b1;
    fcarry[NF] = 1'b1;
    w_change = 1'b0;
    for (i = NF - 1; i >= 0; i = i - 1) begin
      fb_i = fb_i + fcnt[i] * cfg[F_SI + i][AW-1:0];
      fb_w = fb_w + fcnt[i] * cfg[F_SW + i][AW-1:0];
      fb_o = fb_o + fcnt[i] * cfg[F_SO + i][AW-1:0];
      if (cfg[F_FLAGS + i][0] && fcnt[i] != 0) f_first = 1'b0;
      if (fcarry[i + 1] && cfg[F_FACTOR + i][AW-1:0] != 1 && cfg[F_FLAGS + i][1]) w_change = 1'b1;
      fcarry[i] = fcarry[i + 1] && (fcnt[i] == cfg[F_FACTOR + i][AW-1:0] - 1);
    end
    sb_i = 0; sb_o = 0; s_first = 1'b1;
    scarry[NS] = 1'b1;
    for (i = NS - 1; i >= 0; i = i - 1) begin
      sb_i = sb_i + scnt[i] * cfg[S_SI + i][AW-1:0];
      sb_o = sb_o + scnt[i] * cfg[S_SO + i][AW-1:0];
      if (cfg[S_FLAGS + i][0] && scnt[i] != 0) s_first = 1'b0;
      scarry[i] = scarry[i + 1] && (scnt[i] == cfg[S_FACTOR + i][AW-1:0] - 1);
    end
  end

  wire [31:0] n_in = cfg[G_NI], n_w = cfg[G_NW], n_out = cfg[G_NO], steps = cfg[G_STEPS], folds = cfg[G_FOLDS];
  wire stream_last = phase == steps + LINE - 2;

  always @(posedge clk) begin
    if (rst) begin
      state <= S_IDLE;
      phase <= 0;
      fold <= 0;
      w_new <= 1'b1;
    end else begin
      case (state)
        S_IDLE: if (start) begin
          state <= S_DMA_I;
          phase <= 0;
          fold <= 0;
          w_new <= 1'b1;
          for (i = 0; i < NF; i = i + 1) fcnt[i] <= 0;
          for (i = 0; i < NS; i = i + 1) scnt[i] <= 0;
        end
        S_DMA_I: if (phase == n_in - 1) begin state <= S_DMA_W; phase <= 0; end else phase <= phase + 1;
        S_DMA_W: if (phase == n_w - 1) begin state <= S_LOAD; phase <= 0; end else phase <= phase + 1;
        S_LOAD: if (phase == ROWS - 1) begin state <= S_STREAM; phase <= 0; end else phase <= phase + 1;
        S_STREAM: begin
          if (phase < steps) begin
            for (i = 0; i < NS; i = i + 1) begin
              if (scarry[i + 1]) scnt[i] <= (scnt[i] == cfg[S_FACTOR + i][AW-1:0] - 1) ? 0 : scnt[i] + 1;
            end
          end
          if (stream_last) begin
            phase <= 0;
            if (fold == folds - 1) begin
              state <= S_DMA_O;
            end else begin
              state <= S_LOAD;
              fold <= fold + 1;
              w_new <= w_change;
              for (i = 0; i < NF; i = i + 1) begin
                if (fcarry[i + 1]) fcnt[i] <= (fcnt[i] == cfg[F_FACTOR + i][AW-1:0] - 1) ? 0 : fcnt[i] + 1;
              end
            end
          end else begin
            phase <= phase + 1;
          end
        end
        S_DMA_O: if (phase == n_out - 1) begin state <= S_DONE; phase <= 0; end else phase <= phase + 1;
        default: ;
      endcase
    end
  end

  assign busy = state != S_IDLE && state != S_DONE;
  assign computing = state == S_LOAD || state == S_STREAM;
  assign done = state == S_DONE;
  assign dram_re = state == S_DMA_I || state == S_DMA_W;
  assign dram_tensor = state == S_DMA_I ? 2'd0 : state == S_DMA_W ? 2'd1 : 2'd2;
  assign dram_addr = phase[AW-1:0];
  assign dram_we = state == S_DMA_O;
  assign gbi_we = state == S_DMA_I;
  assign gbw_we = state == S_DMA_W;
  assign gbo_dma_re = state == S_DMA_O;
  assign dma_addr = phase[AW-1:0];

  // The steps of a fold enter a delay line; tap j holds the step issued j cycles ago.
  wire          d0_valid = state == S_STREAM && phase < steps;
  wire [AW-1:0] d0_in = fb_i + sb_i;
  wire [AW-1:0] d0_out = fb_o + sb_o;
  wire          d0_first = f_first & s_first;
  reg           dl_valid [1:LINE-1];
  reg [AW-1:0]  dl_in    [1:LINE-1];
  reg [AW-1:0]  dl_out   [1:LINE-1];
  reg           dl_first [1:LINE-1];
  always @(posedge clk) begin
    dl_valid[1] <= rst ? 1'b0 : d0_valid;
    dl_in[1] <= d0_in;
    dl_out[1] <= d0_out;
    dl_first[1] <= d0_first;
    for (i = 2; i < LINE; i = i + 1) begin
      dl_valid[i] <= rst ? 1'b0 : dl_valid[i - 1];
      dl_in[i] <= dl_in[i - 1];
      dl_out[i] <= dl_out[i - 1];
      dl_first[i] <= dl_first[i - 1];
    end
  end
  /* verilator lint_off UNUSEDSIGNAL */  // not every tap feeds a lane, a column top and a column bottom
  wire [LINE-1:0]    t_valid, t_first;
  wire [LINE*AW-1:0] t_in, t_out;
  /* verilator lint_on UNUSEDSIGNAL */
  genvar g;
  generate
    for (g = 0; g < LINE; g = g + 1) begin : tap
      if (g == 0) begin : now
        assign t_valid[g] = d0_valid;
        assign t_first[g] = d0_first;
        assign t_in[g*AW +: AW] = d0_in;
        assign t_out[g*AW +: AW] = d0_out;
      end else begin : delayed
        assign t_valid[g] = dl_valid[g];
        assign t_first[g] = dl_first[g];
        assign t_in[g*AW +: AW] = dl_in[g];
        assign t_out[g*AW +: AW] = dl_out[g];
      end
    end
    // Input lane l reads its word at tap l (row l, or anti-diagonal l for R|P).
    for (g = 0; g < NL; g = g + 1) begin : lane
      assign gbi_re[g] = t_valid[g] & cfg[L_VALID + g][0];
      assign gbi_raddr[g*AW +: AW] = t_in[g*AW +: AW] + cfg[L_OFF + g][AW-1:0];
    end
    for (g = 0; g < ROWS; g = g + 1) begin : rowcfg
      assign row_en[g] = cfg[R_VALID + g][0];
    end
    // Column c: its partial sum enters at the top at tap c and leaves the bottom at tap ROWS-1+c.
    for (g = 0; g < COLS; g = g + 1) begin : column
      assign col_en[g] = cfg[C_VALID + g][0];
      assign gbo_re[g] = t_valid[g] & col_en[g] & ~t_first[g];
      assign psum_zero[g] = t_first[g];
      assign gbo_raddr[g*AW +: AW] = t_out[g*AW +: AW] + cfg[C_OFFO + g][AW-1:0];
      assign gbo_we[g] = t_valid[ROWS - 1 + g] & col_en[g];
      assign gbo_waddr[g*AW +: AW] = t_out[(ROWS - 1 + g)*AW +: AW] + cfg[C_OFFO + g][AW-1:0];
    end
  endgenerate

  // Weight load: cycle j of the load phase fills row j (when the fold starts a new epoch).
  reg [AW-1:0] lrow_off;
  reg          lrow_valid;
  always @* begin
    lrow_off = 0;
    lrow_valid = 1'b0;
    for (i = 0; i < ROWS; i = i + 1) begin
      if (phase == i) begin
        lrow_off = cfg[R_OFFW + i][AW-1:0];
        lrow_valid = cfg[R_VALID + i][0];
      end
    end
  end
  wire load_on = state == S_LOAD && w_new && lrow_valid;
  generate
    for (g = 0; g < ROWS; g = g + 1) begin : wrow
      assign w_load_row[g] = load_on && phase == g;
    end
    for (g = 0; g < COLS; g = g + 1) begin : wcol
      assign w_load_col[g] = load_on & col_en[g];
    end
    for (g = 0; g < WPORTS; g = g + 1) begin : wport
      assign gbw_re[g] = load_on & col_en[g];
      assign gbw_raddr[g*AW +: AW] = fb_w + lrow_off + cfg[C_OFFW + g][AW-1:0];
    end
  endgenerate
endmodule
)VLOG";
}

const char* systolic_accel_verilog() noexcept {
  return R"VLOG(// The accelerator of the systolic families: controller, three global-buffer banks
// (inputs, weights, partial sums) and the PE array; DRAM is outside, behind a one-word
// port. The mon_* outputs are the access strobes the testbench counts.
module dnnspace_systolic_accel #(
  parameter integer ROWS = 2,
  parameter integer COLS = 2,
  parameter integer OP_BITS = 8,
  parameter integer ACC_BITS = 32,
  parameter integer AW = 8,
  parameter integer NF = 4,
  parameter integer NS = 3,
  parameter integer RP = 0,
  parameter integer DEPTH_I = 16,
  parameter integer DEPTH_W = 16,
  parameter integer DEPTH_O = 16,
  parameter integer NL = (RP != 0) ? ROWS + COLS - 1 : ROWS,
  parameter integer WPORTS = (RP != 0) ? 1 : COLS
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
  input  wire [OP_BITS-1:0]   dram_rdata,
  output wire                 dram_we,
  output wire [ACC_BITS-1:0]  dram_wdata,
  output wire [NL-1:0]        mon_gbi_re,
  output wire                 mon_gbi_we,
  output wire [WPORTS-1:0]    mon_gbw_re,
  output wire                 mon_gbw_we,
  output wire [COLS-1:0]      mon_gbo_re,
  output wire                 mon_gbo_dma_re,
  output wire [COLS-1:0]      mon_gbo_we,
  output wire [ROWS*COLS-1:0] mon_mac,
  output wire [ROWS*COLS-1:0] mon_rf_we
);
  wire gbi_we, gbw_we, gbo_dma_re;
  wire [AW-1:0] dma_addr;
  wire [NL-1:0] gbi_re;
  wire [NL*AW-1:0] gbi_raddr;
  wire [WPORTS-1:0] gbw_re;
  wire [WPORTS*AW-1:0] gbw_raddr;
  wire [ROWS-1:0] w_load_row, row_en;
  wire [COLS-1:0] w_load_col, gbo_re, psum_zero, gbo_we, col_en;
  wire [COLS*AW-1:0] gbo_raddr, gbo_waddr;

  dnnspace_systolic_ctrl #(.ROWS(ROWS), .COLS(COLS), .AW(AW), .NF(NF), .NS(NS), .RP(RP)) ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_data(cfg_data),
    .busy(busy), .computing(computing), .done(done), .dram_re(dram_re), .dram_tensor(dram_tensor),
    .dram_addr(dram_addr), .dram_we(dram_we), .gbi_we(gbi_we), .gbw_we(gbw_we), .dma_addr(dma_addr),
    .gbi_re(gbi_re), .gbi_raddr(gbi_raddr), .gbw_re(gbw_re), .gbw_raddr(gbw_raddr),
    .w_load_row(w_load_row), .w_load_col(w_load_col), .gbo_re(gbo_re), .gbo_raddr(gbo_raddr),
    .psum_zero(psum_zero), .gbo_we(gbo_we), .gbo_waddr(gbo_waddr), .gbo_dma_re(gbo_dma_re),
    .row_en(row_en), .col_en(col_en));

  wire [NL*OP_BITS-1:0] x_lane;
  dnnspace_bank #(.WIDTH(OP_BITS), .DEPTH(DEPTH_I), .AW(AW), .NR(NL), .NW(1)) bank_inputs (
    .clk(clk), .raddr(gbi_raddr), .rdata(x_lane), .we(gbi_we), .waddr(dma_addr), .wdata(dram_rdata));

  wire [WPORTS*OP_BITS-1:0] w_data;
  dnnspace_bank #(.WIDTH(OP_BITS), .DEPTH(DEPTH_W), .AW(AW), .NR(WPORTS), .NW(1)) bank_weights (
    .clk(clk), .raddr(gbw_raddr), .rdata(w_data), .we(gbw_we), .waddr(dma_addr), .wdata(dram_rdata));

  // Partial sums: COLS read ports at the top of the columns and one for the DMA to DRAM.
  wire [(COLS+1)*ACC_BITS-1:0] psum_read;
  wire [COLS*ACC_BITS-1:0] psum_bottom, psum_top;
  dnnspace_bank #(.WIDTH(ACC_BITS), .DEPTH(DEPTH_O), .AW(AW), .NR(COLS + 1), .NW(COLS)) bank_psums (
    .clk(clk), .raddr({dma_addr, gbo_raddr}), .rdata(psum_read), .we(gbo_we), .waddr(gbo_waddr), .wdata(psum_bottom));
  genvar c;
  generate
    for (c = 0; c < COLS; c = c + 1) begin : top
      assign psum_top[c*ACC_BITS +: ACC_BITS] = psum_zero[c] ? {ACC_BITS{1'b0}} : psum_read[c*ACC_BITS +: ACC_BITS];
    end
  endgenerate
  assign dram_wdata = psum_read[COLS*ACC_BITS +: ACC_BITS];

  dnnspace_systolic_array #(.ROWS(ROWS), .COLS(COLS), .OP_BITS(OP_BITS), .ACC_BITS(ACC_BITS), .RP(RP)) pe_array (
    .clk(clk), .rst(rst), .w_load_row(w_load_row), .w_load_col(w_load_col), .w_data(w_data),
    .x_lane(x_lane), .x_lane_valid(gbi_re), .row_en(row_en), .col_en(col_en), .psum_top(psum_top),
    .psum_bottom(psum_bottom), .mac_valid(mon_mac), .w_loaded(mon_rf_we));

  assign mon_gbi_re = gbi_re;
  assign mon_gbi_we = gbi_we;
  assign mon_gbw_re = gbw_re;
  assign mon_gbw_we = gbw_we;
  assign mon_gbo_re = gbo_re;
  assign mon_gbo_dma_re = gbo_dma_re;
  assign mon_gbo_we = gbo_we;
endmodule
)VLOG";
}

}  // namespace dnnspace::hw
