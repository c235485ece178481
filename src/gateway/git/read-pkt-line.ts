/** One pkt-line read from a buffer: a flush (`0000`), a delimiter (`0001`) or data. */
export type PktLine =
  | { kind: "flush"; end: number }
  | { kind: "delim"; end: number }
  | { kind: "data"; data: Buffer; end: number };

/**
 * Reads the pkt-line at `offset`; null when the buffer ends before it does (read more).
 * Throws a RangeError on a length that is not four hex digits or is impossible.
 */
export function readPktLine(buf: Buffer, offset: number): PktLine | null {
  if (buf.length < offset + 4) return null;
  const head = buf.toString("latin1", offset, offset + 4);
  if (!/^[0-9a-f]{4}$/.test(head)) throw new RangeError("not a pkt-line length");
  const length = Number.parseInt(head, 16);
  if (length === 0) return { kind: "flush", end: offset + 4 };
  if (length === 1) return { kind: "delim", end: offset + 4 };
  if (length < 4) throw new RangeError("impossible pkt-line length");
  if (buf.length < offset + length) return null;
  return { kind: "data", data: buf.subarray(offset + 4, offset + length), end: offset + length };
}
