import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openPostgresStore, openSqliteStore, type Store } from "../../src/store/index.js";
import { authorizeOn, exchangeOn, revokeOn } from "./bench-http.js";

export interface Distribution {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

export function toDistribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/**
 * Revocation propagation: a capability from A is used on B, revoked on A, then B is asked
 * back to back until it refuses. Milliseconds from sending the revoke to B's first refusal.
 */
export async function measureRevocation(
  a: number,
  b: number,
  adminToken: string,
  oidcTokens: readonly string[],
): Promise<Distribution> {
  const ms: number[] = [];
  for (const oidc of oidcTokens) {
    const cap = await exchangeOn(a, oidc);
    if ((await authorizeOn(b, cap.token)) !== 200) throw new Error("B refused a fresh capability");
    const t0 = performance.now();
    const revoked = revokeOn(a, adminToken, cap.id);
    // Poll B while the revoke is in flight: the clock stops at B's first refusal.
    let polls = 0;
    while ((await authorizeOn(b, cap.token)) === 200) {
      if (++polls > 10_000) throw new Error("B never refused the revoked capability");
    }
    ms.push(performance.now() - t0);
    await revoked;
  }
  return toDistribution(ms);
}

/**
 * What the per-request revocation check costs: `findRevocations` back to back, in process,
 * against a store holding `rows` revocations. Microseconds per call.
 */
export async function measureRevocationReads(
  postgresUrl: string,
  rows: number,
  calls: number,
): Promise<{ sqlite: Distribution; postgres: Distribution }> {
  const dir = mkdtempSync(join(tmpdir(), "leash-bench-rev-"));
  const sqlite = await openSqliteStore(join(dir, "leash.db"));
  const postgres = await openPostgresStore(postgresUrl, { poolSize: 4 });
  try {
    return {
      sqlite: await timeReads(sqlite, rows, calls),
      postgres: await timeReads(postgres, rows, calls),
    };
  } finally {
    await sqlite.close();
    await postgres.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeReads(store: Store, rows: number, calls: number): Promise<Distribution> {
  for (let i = 0; i < rows; i++)
    await store.insertRevocation({ kind: "run", value: `74/${i}`, revokedMs: i, reason: "bench" });
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await store.findRevocations({
      capabilityId: `cap_${i}`,
      run: `74/${rows + i}`,
      repositoryId: "74",
      subject: "repo:acme/app:ref:refs/heads/agent/fix",
    });
    us.push((performance.now() - t0) * 1000);
  }
  return toDistribution(us);
}
