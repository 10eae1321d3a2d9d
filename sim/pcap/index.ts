// Public surface of the capture library: reader (pcap + pcapng), writer, frame builder/parser,
// address helpers and the typed errors. Import from here rather than from the individual files.
export { Capture, openCapture, readAllFrames, readCaptureFile, LINKTYPE_ETHERNET, type CaptureInfo, type PcapFrame } from "./read.js";
export { PcapWriter, createPcapFile, encodePcap, encodePcapHeader, type FrameToWrite, type PcapFile, type PcapWriterOptions } from "./write.js";
export { UdpFrameBuilder, buildUdpFrame, parseUdpFrame, ipv4HeaderChecksum, type FrameParse, type FrameRejectReason, type ParsedUdpFrame, type RejectedFrame, type UdpFrameSpec } from "./frame.js";
export { filterMatches, formatEndpoint, formatFilter, formatIpv4, formatMac, macForIpv4, parseEndpoint, parseFilter, parseIpv4, parseMac, type DstFilter, type Endpoint } from "./addr.js";
export { InputError, ItchFileError, PcapError } from "./error.js";
