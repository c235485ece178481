import { type KeyObject, sign, verify } from "node:crypto";
import type { CheckpointRow } from "../store/index.js";

/** Signs checkpoints with a leash signing key (the one published in the JWKS). */
export interface CheckpointSigner {
  kid(): string;
  privateKey(): KeyObject;
}

const HEADER = { alg: "ES256", typ: "leash-checkpoint+jwt" };

/** A checkpoint: a compact JWS over (chain, seq, hash, time), so a rewritten chain no longer matches. */
export function signCheckpoint(
  signer: CheckpointSigner,
  chain: string,
  seq: number,
  hash: string,
  timeMs: number,
): CheckpointRow {
  const kid = signer.kid();
  const h = Buffer.from(JSON.stringify({ ...HEADER, kid })).toString("base64url");
  const p = Buffer.from(JSON.stringify({ chain, seq, hash, time_ms: timeMs })).toString(
    "base64url",
  );
  const sig = sign("sha256", Buffer.from(`${h}.${p}`), {
    key: signer.privateKey(),
    dsaEncoding: "ieee-p1363",
  });
  return { chain, seq, hash, timeMs, kid, signature: `${h}.${p}.${sig.toString("base64url")}` };
}

/** True when the checkpoint's signature verifies with `key` and its payload equals its columns. */
export function verifyCheckpointSignature(row: CheckpointRow, key: KeyObject): boolean {
  const [h, p, s] = row.signature.split(".");
  if (!h || !p || !s) return false;
  if (
    !verify(
      "sha256",
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(s, "base64url"),
    )
  )
    return false;
  try {
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    return (
      payload["chain"] === row.chain && payload["seq"] === row.seq && payload["hash"] === row.hash
    );
  } catch {
    return false;
  }
}

/** A checkpoint as it leaves the store (exports, anchors): snake_case, the signature as is. */
export interface CheckpointJson {
  chain: string;
  seq: number;
  hash: string;
  time_ms: number;
  kid: string;
  signature: string;
}

export function toCheckpointJson(cp: CheckpointRow): CheckpointJson {
  return {
    chain: cp.chain,
    seq: cp.seq,
    hash: cp.hash,
    time_ms: cp.timeMs,
    kid: cp.kid,
    signature: cp.signature,
  };
}

export function fromCheckpointJson(cp: CheckpointJson): CheckpointRow {
  return {
    chain: cp.chain,
    seq: cp.seq,
    hash: cp.hash,
    timeMs: cp.time_ms,
    kid: cp.kid,
    signature: cp.signature,
  };
}
