// Synchronous FIFO with AXI-Stream style valid/ready on both sides. DEPTH must be a
// power of two; pointers carry one extra wrap bit so full and empty are told apart
// without a separate flag. s_ready (not full) and m_valid (not empty) are decoded
// from registers only, so there is no combinational path through the FIFO.
// Read data comes from the storage array at the read pointer (distributed RAM).
// Latency: 1 cycle from accept to m_valid. count = occupancy, 0..DEPTH.
`timescale 1ns/1ps
`default_nettype none

module sync_fifo #(
    parameter integer WIDTH = 8,
    parameter integer DEPTH = 16
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   s_valid,
    output wire                   s_ready,
    input  wire [WIDTH-1:0]       s_data,
    output wire                   m_valid,
    input  wire                   m_ready,
    output wire [WIDTH-1:0]       m_data,
    output wire [$clog2(DEPTH):0] count
);
    localparam integer AW = $clog2(DEPTH);

    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [AW:0]      wr_ptr;
    reg [AW:0]      rd_ptr;

    wire [AW:0] used   = wr_ptr - rd_ptr;
    wire        empty  = (wr_ptr == rd_ptr);
    wire        full   = (wr_ptr[AW] != rd_ptr[AW]) && (wr_ptr[AW-1:0] == rd_ptr[AW-1:0]);
    wire        s_fire = s_valid && !full;
    wire        m_fire = m_ready && !empty;

    always @(posedge clk) begin
        if (s_fire) mem[wr_ptr[AW-1:0]] <= s_data;
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr <= {(AW+1){1'b0}};
            rd_ptr <= {(AW+1){1'b0}};
        end else begin
            if (s_fire) wr_ptr <= wr_ptr + 1'b1;
            if (m_fire) rd_ptr <= rd_ptr + 1'b1;
        end
    end

    assign s_ready = !full;
    assign m_valid = !empty;
    assign m_data  = mem[rd_ptr[AW-1:0]];
    assign count   = used;
endmodule

`default_nettype wire
