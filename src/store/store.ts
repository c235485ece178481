/**
 * The one storage contract. SQLite (embedded default) and PostgreSQL implement it and pass
 * the same contract suite (test/store-contract.ts). Domains depend on this interface only.
 */

export interface SigningKeyRow {
  kid: string;
  alg: string;
  /** Public JWK as JSON text. */
  publicJwk: string;
  /** Private key (PKCS#8 DER) sealed with the key-encryption key; never stored in the clear. */
  privateSealed: string;
  createdMs: number;
  /** When it stopped signing; null while current. */
  retiredMs: number | null;
}

export type RevocationKind = "capability" | "run" | "repository" | "subject";

export interface RevocationRow {
  kind: RevocationKind;
  /** capability id, `<repository_id>/<run_id>`, repository id, or subject. */
  value: string;
  revokedMs: number;
  reason: string;
}

/** What a capability is checked against: any matching revocation issued after it applies. */
export interface RevocationProbe {
  capabilityId: string;
  run: string;
  repositoryId: string;
  subject: string;
}

/** One chained decision record as stored. `body` is the canonical JSON of the record. */
export interface DecisionRow {
  chain: string;
  seq: number;
  decisionId: string;
  timeMs: number;
  type: string;
  result: string;
  action: string | null;
  repositoryId: string | null;
  capabilityId: string | null;
  body: string;
  prevHash: string;
  hash: string;
}

export interface DecisionQuery {
  chain?: string;
  sinceMs?: number;
  untilMs?: number;
  type?: string;
  result?: string;
  action?: string;
  repositoryId?: string;
  capabilityId?: string;
  /** Continue after this (chain, seq) for paging through everything in order. */
  afterSeq?: number;
  limit?: number;
}

export interface CheckpointRow {
  chain: string;
  seq: number;
  hash: string;
  timeMs: number;
  kid: string;
  /** Compact JWS over the checkpoint, by a leash signing key. */
  signature: string;
}

export interface AttestationRow {
  id: string;
  kind: string;
  zone: string;
  repositoryId: string;
  subjectSha: string | null;
  subjectDigest: string | null;
  /** DSSE envelope as JSON text. */
  envelope: string;
  /** Parsed facts as JSON text. */
  facts: string;
  createdMs: number;
  decisionId: string;
}

/** Evidence for one decision: any attestation of the repository about these subjects or of these kinds. */
export interface EvidenceMatch {
  shas: readonly string[];
  digests: readonly string[];
  kinds: readonly string[];
  /**
   * At most this many rows about the shas and digests (which ones is unspecified: past it
   * the caller refuses), and the newest this many of the kinds.
   */
  limit: number;
}

/** The rows found, newest first, and whether more rows about the subjects exist than `limit`. */
export interface EvidenceRows {
  rows: AttestationRow[];
  /** True when rows about the shas or digests were left out: the evidence is incomplete. */
  truncated: boolean;
}

export interface AttestationQuery {
  repositoryId: string;
  kinds?: readonly string[];
  sha?: string;
  digest?: string;
}

/** One brokered secret as stored: value sealed by its own data key, data key sealed by the master key. */
export interface SecretRow {
  name: string;
  /** The value, AES-256-GCM under the data key (AAD: name and version). */
  sealedValue: string;
  /** The data key, sealed with the master key (AAD: name and version). */
  sealedDataKey: string;
  version: number;
  createdMs: number;
  updatedMs: number;
}

/** What `listSecrets` shows: names and versions, never anything sealed. */
export interface SecretSummary {
  name: string;
  version: number;
  createdMs: number;
  updatedMs: number;
}

/** One release of a secret to a capability: the fingerprint of the value, never the value. */
export interface SecretLeaseRow {
  leaseId: string;
  name: string;
  capabilityId: string;
  repositoryId: string;
  purpose: string;
  fingerprint: string;
  createdMs: number;
  expiresMs: number;
  decisionId: string;
}

/**
 * Everything the master key sealed, re-wrapped under a new one: each secret's data key (at
 * the version it was read) and each signing key's private part. Applied all or nothing.
 */
export interface SealedRewrap {
  secrets: readonly { name: string; version: number; sealedDataKey: string }[];
  signingKeys: readonly { kid: string; privateSealed: string }[];
}

/**
 * What changed, for instances that cache it. Revocations are read from the store on every
 * check, so a `revocation` event is only a hint (e.g. to drop a negative cache); `keys` and
 * `policy` tell an instance to reload its signing keys or policies now rather than at the
 * next poll.
 */
export type StoreChannel = "revocation" | "keys" | "policy";

export interface Store {
  readonly kind: "sqlite" | "postgres";
  close(): Promise<void>;

  listSigningKeys(): Promise<SigningKeyRow[]>;
  /** Inserts `key` and retires every other current key, atomically. */
  rotateSigningKey(key: SigningKeyRow): Promise<void>;

  /** Records `key` as used until `expiresMs`; false when it was already used (a replay). Atomic across instances. */
  claimOnce(key: string, expiresMs: number, nowMs: number): Promise<boolean>;

  insertRevocation(row: RevocationRow): Promise<void>;
  findRevocations(probe: RevocationProbe): Promise<RevocationRow[]>;

  /**
   * Appends chained records, and the attestations their decisions produced, in one
   * transaction (group commit); all or none. Evidence is stored only this way, so it can
   * be used exactly when the decision that vouches for it is on record, and never otherwise.
   */
  appendDecisions(
    rows: readonly DecisionRow[],
    attestations?: readonly AttestationRow[],
  ): Promise<void>;
  lastDecision(chain: string): Promise<DecisionRow | undefined>;
  getDecision(decisionId: string): Promise<DecisionRow | undefined>;
  queryDecisions(query: DecisionQuery): Promise<DecisionRow[]>;
  /** Every chain with records or checkpoints, in order. */
  listChains(): Promise<string[]>;

  insertCheckpoint(row: CheckpointRow): Promise<void>;
  listCheckpoints(chain: string): Promise<CheckpointRow[]>;
  /** The chain's newest checkpoint (highest seq), if any. */
  lastCheckpoint(chain: string): Promise<CheckpointRow | undefined>;
  /**
   * Deletes a chain's records up to `throughSeq` and its checkpoints before it, in one
   * transaction; the checkpoint at `throughSeq` stays, to anchor what remains. Only
   * `leash audit prune` calls it, once the prune itself is recorded.
   */
  pruneChain(
    chain: string,
    throughSeq: number,
  ): Promise<{ decisions: number; checkpoints: number }>;

  getAttestation(id: string): Promise<AttestationRow | undefined>;
  findAttestations(query: AttestationQuery): Promise<AttestationRow[]>;
  /**
   * One round trip for the decision path: rows about any sha or digest (any `limit` + 1 of
   * them, `truncated` when that many exist: then which ones came back is unspecified, and
   * the decision must be refused) and the newest `limit` rows of any kind; returned newest
   * first, each row once.
   */
  findEvidenceAttestations(repositoryId: string, match: EvidenceMatch): Promise<EvidenceRows>;

  /**
   * Stores `row` as version 1 of a new secret, or as the next version of an existing one
   * (stored version = `row.version - 1`; `createdMs` is kept). False, and nothing written,
   * when the version does not follow (a concurrent put won).
   */
  putSecret(row: SecretRow): Promise<boolean>;
  /**
   * Takes back `put` (a row `putSecret` stored) when its decision could not be recorded:
   * puts `previous` back, or removes the secret when there was none. False, and nothing
   * written, unless the stored row is still exactly `put` (same version and sealed data key:
   * a later put or a master-key rewrap is left alone).
   */
  undoSecretPut(put: SecretRow, previous: SecretRow | undefined): Promise<boolean>;
  getSecret(name: string): Promise<SecretRow | undefined>;
  /** Names and versions only, sorted by name. */
  listSecrets(): Promise<SecretSummary[]>;
  insertLease(row: SecretLeaseRow): Promise<void>;
  /** Every secret with its sealed parts, for re-wrapping under a new master key. */
  listSealedSecrets(): Promise<SecretRow[]>;
  /**
   * Replaces every sealed data key and signing key in one transaction. False, and nothing
   * written, unless `rewrap` names exactly the secrets (at their stored versions) and signing
   * keys in the store: anything sealed meanwhile would be left under the old key.
   */
  replaceSealed(rewrap: SealedRewrap): Promise<boolean>;

  /**
   * Calls `onEvent` when any instance on this store announces a change on `channel`
   * (PostgreSQL: LISTEN/NOTIFY on a dedicated connection that reconnects by itself; after a
   * reconnect every subscriber is called once, since events may have been missed).
   * Resolves to an unsubscribe function. Absent on stores with a single instance (SQLite).
   * An optimization only: correctness never depends on an event arriving, so callers keep
   * a polling fallback. PostgreSQL also announces `keys` from `rotateSigningKey` and
   * `revocation` from `insertRevocation` itself, in the same transaction.
   */
  subscribe?(channel: StoreChannel, onEvent: () => void): Promise<() => Promise<void>>;
  /** Announces a change on `channel` to every subscribed instance (e.g. after a policy reload). */
  notify?(channel: StoreChannel): Promise<void>;
}

/** The secret broker's part of a store: each implementation builds it in a file of its own. */
export type SecretMethods = Pick<
  Store,
  | "putSecret"
  | "undoSecretPut"
  | "getSecret"
  | "listSecrets"
  | "insertLease"
  | "listSealedSecrets"
  | "replaceSealed"
>;
