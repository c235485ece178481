import type { Zone } from "../zones/index.js";
import type { ClaimPattern } from "./compile-pattern.js";

/** A trust rule as compiled from config: who (issuer + claims) may get what (zone, actions, TTL). */
export interface TrustRule {
  name: string;
  /** The configured issuer's name. */
  issuer: string;
  claims: ReadonlyArray<readonly [claim: string, pattern: ClaimPattern]>;
  zone: Zone;
  actions: readonly string[];
  ttlSeconds: number;
  /** Events let through to a write zone despite the built-in guard (e.g. `workflow_run`). */
  allowEvents: readonly string[];
  allowSelfHosted: boolean;
  /** `dpop`: the capability must be sender-constrained. */
  proof: "bearer" | "dpop";
}

/** What a matched rule grants. */
export interface Grant {
  rule: string;
  zone: Zone;
  actions: string[];
  ttlSeconds: number;
  requireDpop: boolean;
}
