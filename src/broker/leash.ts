import type { AuditLog, DecisionRecord } from "../audit/index.js";
import type { KeyRing } from "../capability/index.js";
import type { Clock } from "../clock/index.js";
import type { LeashConfig } from "../config/index.js";
import type { OidcVerifier } from "../identity/index.js";
import type { LeashMetrics, ObservedOutcome } from "../metrics/index.js";
import type { ProvenanceVerifier } from "../provenance/index.js";
import type { SecretSealer } from "../secrets/index.js";
import type { Store } from "../store/index.js";
import type { AdminToken } from "./admin-token.js";
import type { PolicyHolder } from "./policy-holder.js";

/** Everything a use case needs, built once by the composition root and passed in. */
export interface Leash {
  config: LeashConfig;
  clock: Clock;
  store: Store;
  keyRing: KeyRing;
  oidc: OidcVerifier;
  audit: AuditLog;
  adminToken: AdminToken;
  policy: PolicyHolder;
  /** Sigstore and leash-key verifier over the pinned trust material, built once at startup. */
  provenance: ProvenanceVerifier;
  /** This instance's Prometheus metrics (GET /metrics). */
  metrics?: LeashMetrics;
  /** Called once per decision record, after it was written or failed to be; must not throw. */
  observe?(record: DecisionRecord, outcome: ObservedOutcome): void;
  /** Seals, opens and fingerprints brokered secrets with the master key (held inside, never exposed). */
  secrets: SecretSealer;
  /** leash's own issuer name (its public URL): `iss` and `aud` of every capability. */
  issuer: string;
  close(): Promise<void>;
}
