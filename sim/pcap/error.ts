// Typed errors for the capture tools. Library code under sim/ throws these (never commander errors),
// and the CLI turns them into one-line messages that name the input and the byte offset. A message
// always has the shape `<file>: <what is wrong> at byte offset <n>` so a user can open the file at
// that position with a hex viewer.

/** A corrupt, truncated or unsupported capture file (pcap or pcapng). */
export class PcapError extends Error {
  override readonly name = "PcapError";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    readonly hint?: string,
  ) {
    super(`${file}: ${reason} at byte offset ${offset}${hint ? `; ${hint}` : ""}`);
  }
}

/** A malformed input that is not a capture: an ITCH BinaryFILE, an option value, a filter string. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(message: string) {
    super(message);
  }
}

/** A malformed ITCH BinaryFILE: same message shape as PcapError (`file: reason at byte offset n`). */
export class ItchFileError extends Error {
  override readonly name = "ItchFileError";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    readonly hint?: string,
  ) {
    super(`${file}: ${reason} at byte offset ${offset}${hint ? `; ${hint}` : ""}`);
  }
}
