import { encodePktLine, FLUSH_PKT } from "./encode-pkt-line.js";

/** A receive-pack answer in which every ref is refused. */
export interface PushRefusalReport {
  /** `ok`, or why the objects could not be taken. */
  unpack: string;
  /** One `ng` per ref: the ref and the reason git prints in `[remote rejected] <ref> (<reason>)`. */
  refs: { ref: string; reason: string }[];
  /** Lines for the user, printed by git as `remote: <line>` (side-band channel 2). */
  messages: string[];
}

const SIDE_BAND_64K_BYTES = 65515;
const SIDE_BAND_BYTES = 999;

/**
 * The `application/x-git-receive-pack-result` body git reads after a push: the report-status
 * pkt-lines, multiplexed on side-band channel 1 with the messages on channel 2 when the
 * client asked for a side band. Without one, git gets the report and no messages.
 */
export function toReceivePackResult(
  report: PushRefusalReport,
  capabilities: readonly string[],
): Buffer {
  const status = Buffer.concat([
    encodePktLine(`unpack ${oneLine(report.unpack)}\n`),
    ...report.refs.map((r) => encodePktLine(`ng ${r.ref} ${oneLine(r.reason)}\n`)),
    FLUSH_PKT,
  ]);
  const band = capabilities.includes("side-band-64k")
    ? SIDE_BAND_64K_BYTES
    : capabilities.includes("side-band")
      ? SIDE_BAND_BYTES
      : 0;
  if (band === 0) return status;
  const messages = report.messages.map((m) => Buffer.from(`${oneLine(m)}\n`, "utf8"));
  return Buffer.concat([
    ...messages.flatMap((m) => onChannel(2, m, band)),
    ...onChannel(1, status, band),
    FLUSH_PKT,
  ]);
}

function onChannel(channel: number, data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) {
    out.push(encodePktLine(Buffer.concat([Buffer.of(channel), data.subarray(i, i + size)])));
  }
  return out;
}

/** One printable line: a reason must not end the pkt-line early or drive the terminal. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  return text.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
}
