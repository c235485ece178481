import type { AuditLog } from "../audit/index.js";
import type { KeyRing } from "../capability/index.js";
import type { Clock } from "../clock/index.js";
import type { LeashConfig } from "../config/index.js";
import type { OidcVerifier } from "../identity/index.js";
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
  /** leash's own issuer name (its public URL): `iss` and `aud` of every capability. */
  issuer: string;
  close(): Promise<void>;
}
