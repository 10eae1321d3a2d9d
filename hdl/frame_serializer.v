// Frame serialiser: takes one frame of BYTES bytes per transfer (byte 0, the first byte on the
// wire, in s_data[7:0]) and sends it as ceil(BYTES/8) 64-bit AXI-Stream beats: byte 0 of each beat
// in m_data[7:0], m_keep marking the valid bytes (all but the last beat full), m_last on the last
// beat. The first beat passes straight through: while no frame is held, m_valid is s_valid and
// m_data the frame's first 8 bytes, so it can leave in the cycle the frame arrives (latency 0; the
// inputs should come from flops, as a kernel's output does). The frame is taken at once: its first
// beat into a register of its own (sent from there when the output stalled), the others into a shift
// register that moves down 64 bits per accepted beat; from then on the outputs come from flops. s_ready is high only while no frame is held (a flop: no combinational
// path from m_ready), so the input is stalled while a frame is sent, and the next frame is taken
// the cycle after the last beat left: frames back to back at one beat per cycle.
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
    localparam integer SECOND_INDEX = BEATS > 1 ? BEATS - 2 : 0;
    localparam [CW-1:0] SECOND_LEFT = SECOND_INDEX[CW-1:0];
    localparam [7:0]   FIRST_KEEP = BEATS == 1 ? TAIL_KEEP : 8'hff;
    localparam integer ONE_I = 1;
    localparam [CW-1:0] ONE = ONE_I[CW-1:0];

    reg          busy;      // a frame is held: beats after its first are being sent
    reg          last_q;    // the beat at m_data is the frame's last
    reg [CW-1:0] left;      // beats after the one at m_data
    reg          pending0;  // the held frame's first beat is still to send (from beat0)
    reg [63:0]   beat0;     // the held frame's first beat
    reg [W-1:0]  frame;     // the held frame's other beats, the next one to send in bits 63:0

    wire [W-1:0] padded;
    generate
        if (W > 8 * BYTES) begin : g_pad
            assign padded = {{(W - 8 * BYTES){1'b0}}, s_data};
        end else begin : g_nopad
            assign padded = s_data;
        end
    endgenerate

    wire take  = s_valid && !busy;              // a frame arrives; its first beat is at m_data now
    wire first = take && m_ready;               // ... and leaves in this cycle
    wire send  = busy && m_ready;

    always @(posedge clk) begin
        if (rst) begin
            busy     <= 1'b0;
            pending0 <= 1'b0;
            last_q   <= 1'b0;
            left     <= {CW{1'b0}};
        end else if (take) begin
            busy     <= !(first && BEATS == 1);
            pending0 <= !first;
            last_q   <= first ? (BEATS == 2) : (BEATS == 1);
            left     <= first ? SECOND_LEFT : FIRST_LEFT;
        end else if (send) begin
            if (last_q) busy <= 1'b0;
            pending0 <= 1'b0;
            last_q   <= (left == ONE);
            left     <= left - ONE;
        end
    end

    // Frame data: not reset (only meaningful while busy).
    always @(posedge clk) begin
        if (take) begin
            beat0 <= padded[63:0];
            frame <= padded >> 64;
        end else if (send && !pending0) begin
            frame <= frame >> 64;
        end
    end

    assign s_ready = !busy;
    assign m_valid = busy || s_valid;
    assign m_data  = !busy ? padded[63:0] : pending0 ? beat0 : frame[63:0];
    assign m_keep  = busy ? (last_q ? TAIL_KEEP : 8'hff) : FIRST_KEEP;
    assign m_last  = busy ? last_q : (BEATS == 1);
endmodule

`default_nettype wire
