import type { KeyObject } from "node:crypto";

/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** in-toto Statement v1, the only type leash signs. */
export const STATEMENT_V1 = "https://in-toto.io/Statement/v1";
/** in-toto Statement v0.1, still found in older third-party bundles (npm, 2023). */
export const STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";

/** One artifact a statement is about: a name and its digests (algorithm → lowercase hex). */
export interface StatementSubject {
  name?: string;
  digest: Record<string, string>;
}

/** An in-toto Statement v1 as leash signs it. */
export interface InTotoStatement {
  _type: typeof STATEMENT_V1;
  subject: StatementSubject[];
  predicateType: string;
  predicate: unknown;
}

/** A statement read from a verified third-party bundle (v1, or v0.1 from older signers). */
export interface AttestedStatement {
  _type: typeof STATEMENT_V1 | typeof STATEMENT_V01;
  subject: StatementSubject[];
  predicateType: string;
  predicate: unknown;
}

/** A DSSE envelope carrying an in-toto statement; payload and signatures are base64. */
export interface DsseEnvelope {
  payloadType: typeof IN_TOTO_PAYLOAD_TYPE;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** leash's signing key, held by the capability domain: ECDSA P-256 SHA-256, DER signatures. */
export interface DsseSigner {
  keyid: string;
  sign(data: Uint8Array): Uint8Array;
}

/** A public key leash's envelopes verify against (current and past keys). */
export interface VerificationKey {
  keyid: string;
  publicKey: KeyObject;
}

/**
 * DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
 * Lengths are byte counts in ASCII decimal; signing the PAE (not the bare payload) binds
 * the payload type, so a payload can't be replayed under another type.
 */
export function toPreAuthEncoding(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${body.length} `, "utf8");
  return Buffer.concat([head, body]);
}
