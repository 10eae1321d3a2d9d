// Skid buffer: a two-entry AXI-Stream register slice that cuts every combinational
// path between its two sides. s_ready comes straight from a flop (no path from
// m_ready), m_valid/m_data come from flops, and throughput is one beat per cycle.
// When the output stalls while an input beat is being accepted, that beat is parked
// in the skid register and s_ready drops on the next cycle. Latency: 1 cycle.
`timescale 1ns/1ps
`default_nettype none

module skid_buffer #(
    parameter integer WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             s_valid,
    output wire             s_ready,
    input  wire [WIDTH-1:0] s_data,
    output wire             m_valid,
    input  wire             m_ready,
    output wire [WIDTH-1:0] m_data
);
    reg             out_valid;
    reg [WIDTH-1:0] out_data;
    reg             skid_valid;
    reg [WIDTH-1:0] skid_data;
    reg             in_ready;

    wire s_fire   = s_valid && in_ready;
    // The output register may load when it is empty or being emptied this cycle.
    wire out_open = m_ready || !out_valid;
    // Skid register occupancy after this edge.
    wire skid_next = out_open ? 1'b0 : (skid_valid || s_fire);

    always @(posedge clk) begin
        if (rst) begin
            out_valid  <= 1'b0;
            skid_valid <= 1'b0;
            in_ready   <= 1'b0;
        end else begin
            if (out_open) begin
                if (skid_valid) begin
                    out_valid <= 1'b1;
                    out_data  <= skid_data;
                end else begin
                    out_valid <= s_fire;
                    if (s_fire) out_data <= s_data;
                end
            end else if (s_fire) begin
                skid_data <= s_data;
            end
            skid_valid <= skid_next;
            in_ready   <= !skid_next;
        end
    end

    assign s_ready = in_ready;
    assign m_valid = out_valid;
    assign m_data  = out_data;
endmodule

`default_nettype wire
