import type { Registry } from "prom-client";
import { createAuditLog } from "../audit/index.js";
import { createKeyRing } from "../capability/index.js";
import { type Clock, systemClock } from "../clock/index.js";
import { type LeashConfig, withWebhookTokenFromEnv } from "../config/index.js";
import { createOidcVerifier } from "../identity/index.js";
import { createLeashMetrics } from "../metrics/index.js";
import { createProvenanceVerifier, loadTrustMaterial } from "../provenance/index.js";
import { loadMasterKey } from "../sealing/index.js";
import { createSecretSealer } from "../secrets/index.js";
import { openStore, type Store } from "../store/index.js";
import { loadAdminToken } from "./admin-token.js";
import type { Leash } from "./leash.js";
import { createPolicyHolder } from "./policy-holder.js";
import { watchStoreChanges } from "./watch-store-changes.js";

export interface CreateLeashOptions {
  env: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  /** Tests hand in a store they opened; otherwise the config's store is opened. */
  store?: Store;
  fetch?: typeof fetch;
  /** How often keys (and, without notifications, policies) are re-checked; default 5 s. */
  storePollIntervalMs?: number;
  /** A worker of `leash serve --workers N`: its line to the other workers (see server/workers). */
  worker?: {
    /** The store, given change announcements between the workers when it has none. */
    linkStore(store: Store): Store;
    /** Shares this registry with the other workers; renders GET /metrics summed over all. */
    shareMetrics(registry: Registry): () => Promise<{ contentType: string; body: string }>;
  };
}

/**
 * The composition root: opens the store, unseals (or creates) signing keys, starts the
 * audit chain, and wires the OIDC verifier. Fails to start — rather than serving — when the
 * master key can't unseal the keys in the store.
 */
export async function createLeash(fromFile: LeashConfig, opts: CreateLeashOptions): Promise<Leash> {
  const config = withWebhookTokenFromEnv(fromFile, opts.env);
  const clock = opts.clock ?? systemClock;
  const opened = opts.store ?? (await openStore(config.store));
  const store = opts.worker ? opts.worker.linkStore(opened) : opened;
  try {
    const kek = loadMasterKey({
      envValue: opts.env["LEASH_MASTER_KEY"],
      stateDir: config.stateDir,
    });
    const keyRing = createKeyRing({ store, kek, clock });
    await keyRing.load();
    const audit = await createAuditLog({
      store,
      chain: config.server.instanceId,
      clock,
      signer: { kid: () => keyRing.current().kid, privateKey: () => keyRing.current().privateKey },
    });
    const oidc = createOidcVerifier({
      issuers: config.issuers,
      clock,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    const policy = createPolicyHolder(config.policy, clock);
    const adminToken = loadAdminToken(opts.env["LEASH_ADMIN_TOKEN"], config.stateDir);
    const provenance = createProvenanceVerifier(
      loadTrustMaterial({
        trustedRootPaths: config.provenance.trustedRoots,
        ...(config.provenance.npmRegistryKeys
          ? { npmRegistryKeysPath: config.provenance.npmRegistryKeys }
          : {}),
      }),
      {
        leashKeys: () =>
          keyRing.allPublicKeys().map((k) => ({ keyid: k.kid, publicKey: k.publicKey })),
      },
    );
    // Last, so nothing after it can fail and leave its timer running.
    const watch = await watchStoreChanges({
      store,
      keyRing,
      policy,
      policyDirs: config.policy.dirs,
      ...(opts.storePollIntervalMs ? { intervalMs: opts.storePollIntervalMs } : {}),
    });
    const metrics = createLeashMetrics(opts.worker?.shareMetrics);
    return {
      config,
      clock,
      store,
      keyRing,
      oidc,
      audit,
      adminToken,
      policy: watch.policy,
      provenance,
      metrics,
      observe: metrics.observe,
      secrets: createSecretSealer(kek),
      issuer: config.server.publicUrl,
      async close() {
        await watch.close();
        await audit.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
