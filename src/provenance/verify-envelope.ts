import { verify } from "node:crypto";
import {
  type DsseEnvelope,
  type InTotoStatement,
  toPreAuthEncoding,
  type VerificationKey,
} from "./dsse-envelope.js";
import { isRecord, parseStatement } from "./parse-statement.js";
import { provenanceError } from "./provenance-errors.js";

/**
 * Verifies a DSSE envelope signed by leash and returns its in-toto Statement v1.
 * A signature counts only when its keyid names one of `keys` and it verifies (ECDSA P-256
 * SHA-256, DER) over the PAE; one such signature is enough.
 * Throws ERR_PROVENANCE_MALFORMED, ERR_PROVENANCE_UNKNOWN_KEY (no signature by a known key)
 * or ERR_PROVENANCE_SIGNATURE_INVALID (a known key's signature does not verify).
 * Security: the payload is parsed only after a signature over it verified.
 */
export function verifyEnvelope(envelope: DsseEnvelope, keys: VerificationKey[]): InTotoStatement {
  const { payloadType, payload, signatures } = checkShape(envelope);
  const pae = toPreAuthEncoding(payloadType, payload);
  const known = signatures.filter((s) => keys.some((k) => k.keyid === s.keyid));
  if (known.length === 0) {
    throw provenanceError(
      "ERR_PROVENANCE_UNKNOWN_KEY",
      "unknown_key: no signature on the envelope names a key leash trusts",
      { keyids: signatures.map((s) => s.keyid) },
    );
  }
  const valid = known.some((s) =>
    keys.some((k) => k.keyid === s.keyid && verifyWithKey(pae, k, s.sig)),
  );
  if (!valid) {
    throw provenanceError(
      "ERR_PROVENANCE_SIGNATURE_INVALID",
      "signature_invalid: the envelope's signature does not verify against leash's key",
      { keyids: known.map((s) => s.keyid) },
    );
  }
  return parseStatement(payloadType, payload, false) as InTotoStatement;
}

function verifyWithKey(pae: Buffer, key: VerificationKey, sig: Buffer): boolean {
  // Only ECDSA P-256 is leash's signing algorithm; any other key type is refused, so a
  // key of another kind listed by mistake can't widen what verifies.
  const pk = key.publicKey;
  if (pk.asymmetricKeyType !== "ec" || pk.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    return false;
  }
  try {
    return verify("sha256", pae, { key: pk, dsaEncoding: "der" }, sig);
  } catch {
    return false;
  }
}

interface CheckedEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: { keyid: string; sig: Buffer }[];
}

function checkShape(envelope: unknown): CheckedEnvelope {
  const malformed = (what: string) =>
    provenanceError("ERR_PROVENANCE_MALFORMED", `malformed_envelope: ${what}`);
  if (!isRecord(envelope)) throw malformed("the envelope is not a JSON object");
  const { payloadType, payload, signatures } = envelope;
  if (typeof payloadType !== "string") throw malformed("payloadType is missing");
  if (typeof payload !== "string") throw malformed("payload is missing");
  if (!Array.isArray(signatures) || signatures.length === 0) throw malformed("no signatures");
  const sigs = signatures.map((s: unknown) => {
    if (!isRecord(s) || typeof s["sig"] !== "string") throw malformed("a signature has no sig");
    const keyid = typeof s["keyid"] === "string" ? s["keyid"] : "";
    return { keyid, sig: Buffer.from(s["sig"], "base64") };
  });
  return { payloadType, payload: Buffer.from(payload, "base64"), signatures: sigs };
}
