// The records between the trading kernels after the book (docs/strategy.md): the strategy kernel turns a
// BookUpdate into an OrderIntent; the risk gate, always in the order path, passes an intent that breaks
// no limit on as an OrderRequest (and counts every reject by reason); the order encoder turns each
// OrderRequest into one Ethernet/IPv4/TCP frame carrying a SoupBinTCP Unsequenced Data packet with an
// OUCH 5.0 Enter Order. Prices are ITCH/OUCH prices in 1/10000 dollars.
import { type u6, type u8, type u16, type u32, type u48, type u64 } from "tsfpga";

/** What the strategy wants to send, with the top of book it decided on (the risk gate's price collar uses it). */
export interface OrderIntent {
  /** Stock locate and watchlist slot (0…63) of the book update that triggered it. */
  locate: u16; slot: u6;
  /** OUCH Symbol: 8 ASCII bytes, left-justified and space-padded, the first byte in bits 63:56. */
  symbol: u64;
  /** Buy (OUCH side `B`) or sell (`S`). */
  buy: boolean;
  shares: u32;
  price: u32;
  /** OUCH Time in Force, one ASCII code (`3` immediate-or-cancel, `0` day). */
  timeInForce: u8;
  /** Best bid and ask prices when the strategy decided (0 = that side is empty). */
  bestBid: u32; bestAsk: u32;
  /** ITCH timestamp and MoldUDP64 sequence number of the triggering message (tick-to-trade matching). */
  timestamp: u48; sequence: u64;
}

/** An intent the risk gate passed: the encoder's input. */
export interface OrderRequest {
  locate: u16; slot: u6; symbol: u64; buy: boolean; shares: u32; price: u32; timeInForce: u8;
  timestamp: u48; sequence: u64;
}
