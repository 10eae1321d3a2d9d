// Link-layer type constants shared by the pcap and pcapng readers and the writer. Only Ethernet is
// supported by the tools; other linktypes get a message that names them so the user knows why.

export const LINKTYPE_ETHERNET = 1;

export function linktypeMessage(linktype: number): string {
  const names: Record<number, string> = { 0: "BSD loopback", 101: "raw IP", 105: "802.11", 113: "Linux cooked SLL", 127: "802.11 radiotap", 276: "Linux cooked SLL2" };
  const name = names[linktype] ? ` (${names[linktype]})` : "";
  return `unsupported linktype ${linktype}${name}: only Ethernet (linktype 1) captures are supported`;
}
