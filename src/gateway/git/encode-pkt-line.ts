/** The flush packet that ends a pkt-line section. */
export const FLUSH_PKT = Buffer.from("0000");

/** Largest pkt-line payload git accepts (65520 bytes on the wire, 4 of them the length). */
export const MAX_PKT_PAYLOAD_BYTES = 65516;

/** One pkt-line: a 4-hex-digit length (counting itself) and the payload. */
export function encodePktLine(payload: string | Buffer): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  if (data.length > MAX_PKT_PAYLOAD_BYTES) throw new RangeError("pkt-line payload too long");
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, "0")), data]);
}
