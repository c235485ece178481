import { encodePktLine } from "./encode-pkt-line.js";
import { readPktLine } from "./read-pkt-line.js";

/**
 * Capabilities leash takes out of a receive-pack advertisement: it does not parse push
 * options or signed-push certificates, so the client must not send them.
 */
const WITHHELD = ["push-options", "push-cert"];

/**
 * Rewrites the capability list (after the NUL of the first ref line) of a receive-pack ref
 * advertisement, leaving every other byte as the upstream sent it. Returns null when the
 * body is not a pkt-line advertisement (the caller refuses it).
 */
export function filterAdvertisement(body: Buffer): Buffer | null {
  let offset = 0;
  try {
    for (;;) {
      const pkt = readPktLine(body, offset);
      if (pkt === null) return null;
      if (pkt.kind === "data") {
        const nul = pkt.data.indexOf(0);
        if (nul >= 0) {
          const line = withoutWithheld(pkt.data, nul);
          return Buffer.concat([body.subarray(0, offset), line, body.subarray(pkt.end)]);
        }
      }
      offset = pkt.end;
      if (offset >= body.length) return body;
    }
  } catch {
    return null;
  }
}

function withoutWithheld(data: Buffer, nul: number): Buffer {
  const caps = data.subarray(nul + 1).toString("utf8");
  const newline = caps.endsWith("\n") ? "\n" : "";
  const kept = caps
    .trimEnd()
    .split(" ")
    .filter((c) => !WITHHELD.includes(c.split("=")[0] ?? ""));
  return encodePktLine(
    Buffer.concat([data.subarray(0, nul + 1), Buffer.from(kept.join(" ") + newline)]),
  );
}
