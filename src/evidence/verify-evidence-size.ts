import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";

/** The largest evidence document leash parses (per document; a lockfile diff has two). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/**
 * Throws ERR_EVIDENCE_TOO_LARGE when `text` is over MAX_EVIDENCE_BYTES of UTF-8. Checked before
 * any parsing so a huge document costs one linear pass, never a parse.
 */
export function verifyEvidenceSize(
  text: string,
  where: EvidenceWhere,
  maxBytes: number = MAX_EVIDENCE_BYTES,
): void {
  // A UTF-16 code unit is at least one UTF-8 byte, so the length alone can refuse early.
  if (text.length > maxBytes || Buffer.byteLength(text, "utf8") > maxBytes) {
    throw refuseEvidence(
      "ERR_EVIDENCE_TOO_LARGE",
      where,
      `the document is larger than ${maxBytes} bytes`,
    );
  }
}
