/**
 * Verilog name legalisation: turns TypeScript identifiers and IR name hints into Verilog
 * identifiers that are legal, never a Verilog-2005 or SystemVerilog keyword (Verilator parses
 * .v files as SystemVerilog), and unique within one module. Allocation is deterministic: the same
 * IR always produces the same names, so generated files diff cleanly.
 */

const KEYWORDS = new Set(`always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config
deassign default defparam design disable edge else end endcase endconfig endfunction endgenerate endmodule
endprimitive endspecify endtable endtask event for force forever fork function generate genvar highz0 highz1 if
ifnone incdir include initial inout input instance integer join large liblist library localparam macromodule
medium module nand negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive
pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat rnmos
rpmos rtran rtranif0 rtranif1 scalared showcancelled signed small specify specparam strong0 strong1 supply0
supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait
wand weak0 weak1 while wire wor xnor xor
alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte chandle checker
class clocking const constraint context continue cover covergroup coverpoint cross dist do endchecker endclass
endclocking endgroup endinterface endpackage endprogram endproperty endsequence enum expect export extends
extern final first_match foreach forkjoin global iff ignore_bins illegal_bins implies import inside int
interface intersect join_any join_none let local logic longint matches modport new null package packed
priority program property protected pure rand randc randcase randsequence ref restrict return s_always
s_eventually s_nexttime s_until s_until_with sequence shortint shortreal solve static string strong struct
super sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type typedef union unique
unique0 until until_with untyped var virtual void wait_order weak wildcard with within accept_on checker
eventually nettype nexttime reject_on soft`.split(/\s+/));

/** A legal identifier for `raw`: invalid characters become `_`, keywords get a trailing `_v`. */
export function sanitize(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "");
  if (!s) s = "n";
  if (/^[0-9]/.test(s)) s = `n_${s}`;
  if (KEYWORDS.has(s) || KEYWORDS.has(s.toLowerCase())) s = `${s}_v`;
  return s;
}

/** Hands out unique identifiers; reserved names (ports, control signals) are taken first. */
export class NameTable {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r.toLowerCase());
  }

  /** Reserve an exact name (must be legal and free). */
  reserve(name: string): string {
    const key = name.toLowerCase();
    if (this.used.has(key)) throw new Error(`internal: Verilog name ${name} taken twice`);
    this.used.add(key);
    return name;
  }

  /** A unique legal name based on `hint`; `suffix` (e.g. a node id) disambiguates clashes. */
  fresh(hint: string, suffix?: string | number): string {
    const base = sanitize(hint);
    const tries = [base, ...(suffix !== undefined ? [`${base}_${suffix}`] : [])];
    for (const t of tries) if (!this.used.has(t.toLowerCase())) return this.reserve(t);
    for (let i = 2; ; i++) {
      const t = `${tries[tries.length - 1]}_${i}`;
      if (!this.used.has(t.toLowerCase())) return this.reserve(t);
    }
  }
}
