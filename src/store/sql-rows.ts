import type {
  AttestationRow,
  CheckpointRow,
  DecisionRow,
  RevocationKind,
  RevocationRow,
  SecretRow,
  SecretSummary,
  SigningKeyRow,
} from "./store.js";

/**
 * Row mappers: SQL snake_case columns → store types. Shared by both SQL stores; numbers go
 * through Number() because PostgreSQL returns BIGINT as text.
 */
type Raw = Record<string, unknown>;

const str = (v: unknown) => String(v);
const num = (v: unknown) => Number(v);
const optStr = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function toSigningKeyRow(r: unknown): SigningKeyRow {
  const x = r as Raw;
  return {
    kid: str(x["kid"]),
    alg: str(x["alg"]),
    publicJwk: str(x["public_jwk"]),
    privateSealed: str(x["private_sealed"]),
    createdMs: num(x["created_ms"]),
    retiredMs: x["retired_ms"] === null ? null : num(x["retired_ms"]),
  };
}

export function toRevocationRow(r: unknown): RevocationRow {
  const x = r as Raw;
  return {
    kind: str(x["kind"]) as RevocationKind,
    value: str(x["value"]),
    revokedMs: num(x["revoked_ms"]),
    reason: str(x["reason"]),
  };
}

export function toDecisionRow(r: unknown): DecisionRow {
  const x = r as Raw;
  return {
    chain: str(x["chain"]),
    seq: num(x["seq"]),
    decisionId: str(x["decision_id"]),
    timeMs: num(x["time_ms"]),
    type: str(x["type"]),
    result: str(x["result"]),
    action: optStr(x["action"]),
    repositoryId: optStr(x["repository_id"]),
    capabilityId: optStr(x["capability_id"]),
    body: str(x["body"]),
    prevHash: str(x["prev_hash"]),
    hash: str(x["hash"]),
  };
}

export function toCheckpointRow(r: unknown): CheckpointRow {
  const x = r as Raw;
  return {
    chain: str(x["chain"]),
    seq: num(x["seq"]),
    hash: str(x["hash"]),
    timeMs: num(x["time_ms"]),
    kid: str(x["kid"]),
    signature: str(x["signature"]),
  };
}

export function toAttestationRow(r: unknown): AttestationRow {
  const x = r as Raw;
  return {
    id: str(x["id"]),
    kind: str(x["kind"]),
    zone: str(x["zone"]),
    repositoryId: str(x["repository_id"]),
    subjectSha: optStr(x["subject_sha"]),
    subjectDigest: optStr(x["subject_digest"]),
    envelope: str(x["envelope"]),
    facts: str(x["facts"]),
    createdMs: num(x["created_ms"]),
    decisionId: str(x["decision_id"]),
  };
}

export function toSecretRow(r: unknown): SecretRow {
  const x = r as Raw;
  return {
    name: str(x["name"]),
    sealedValue: str(x["sealed_value"]),
    sealedDataKey: str(x["sealed_data_key"]),
    version: num(x["version"]),
    createdMs: num(x["created_ms"]),
    updatedMs: num(x["updated_ms"]),
  };
}

export function toSecretSummary(r: unknown): SecretSummary {
  const x = r as Raw;
  return {
    name: str(x["name"]),
    version: num(x["version"]),
    createdMs: num(x["created_ms"]),
    updatedMs: num(x["updated_ms"]),
  };
}
