// Frame serialiser: takes one frame of BYTES bytes per transfer (byte 0, the first byte on the
// wire, in s_data[7:0]) and sends it as ceil(BYTES/8) 64-bit AXI-Stream beats: byte 0 of each beat
// in m_data[7:0], m_keep marking the valid bytes (all but the last beat full), m_last on the last
// beat. s_ready is high only while no frame is held, so the input is stalled for the whole frame
// (a flop: no combinational path from m_ready). m_valid, m_data, m_keep and m_last come from flops:
// the frame sits in a shift register that moves down 64 bits per accepted beat. Latency: the first
// beat is valid 1 cycle after the frame's transfer; a new frame can be taken the cycle after the
// last beat of the previous one left (one idle output cycle between frames).
`timescale 1ns/1ps
`default_nettype none

module frame_serializer #(
    parameter integer BYTES = 104
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               s_valid,
    output wire               s_ready,
    input  wire [8*BYTES-1:0] s_data,
    output wire               m_valid,
    input  wire               m_ready,
    output wire [63:0]        m_data,
    output wire [7:0]         m_keep,
    output wire               m_last
);
    localparam integer BEATS = (BYTES + 7) / 8;
    localparam integer TAIL  = BYTES - 8 * (BEATS - 1);     // bytes in the last beat, 1..8
    localparam integer W     = 64 * BEATS;
    localparam integer CW    = BEATS > 1 ? $clog2(BEATS) : 1;
    localparam [7:0]   TAIL_KEEP = 8'hff >> (8 - TAIL);
    localparam integer LAST_INDEX = BEATS - 1;
    localparam [CW-1:0] FIRST_LEFT = LAST_INDEX[CW-1:0];
    localparam integer ONE_I = 1;
    localparam [CW-1:0] ONE = ONE_I[CW-1:0];

    reg          busy;      // a frame is held: its beats are being sent
    reg          last_q;    // the beat at m_data is the frame's last
    reg [CW-1:0] left;      // beats after the one at m_data
    reg [W-1:0]  frame;     // the beat at m_data in bits 63:0, the rest above it

    wire [W-1:0] padded;
    generate
        if (W > 8 * BYTES) begin : g_pad
            assign padded = {{(W - 8 * BYTES){1'b0}}, s_data};
        end else begin : g_nopad
            assign padded = s_data;
        end
    endgenerate

    wire take = s_valid && !busy;
    wire send = busy && m_ready;

    always @(posedge clk) begin
        if (rst) begin
            busy   <= 1'b0;
            last_q <= 1'b0;
            left   <= {CW{1'b0}};
        end else if (take) begin
            busy   <= 1'b1;
            last_q <= (BEATS == 1);
            left   <= FIRST_LEFT;
        end else if (send) begin
            if (last_q) busy <= 1'b0;
            last_q <= (left == ONE);
            left   <= left - ONE;
        end
    end

    // Frame data: not reset (only meaningful while busy).
    always @(posedge clk) begin
        if (take) frame <= padded;
        else if (send) frame <= frame >> 64;
    end

    assign s_ready = !busy;
    assign m_valid = busy;
    assign m_data  = frame[63:0];
    assign m_keep  = last_q ? TAIL_KEEP : 8'hff;
    assign m_last  = last_q;
endmodule

`default_nettype wire
