/**
 * leash's in-process decision beside raw Cedar on the same requests, in one run:
 * (a) raw cedar-wasm on entities and context built once up front — `statefulIsAuthorized`
 *     on the whole default pack pre-parsed (the fair baseline), and `isAuthorized` with the
 *     policy text (what a naive integration pays);
 * (b) `evaluate()`: build entities and context, evaluate the action's partition, explain.
 * Prints decisions/s and the ratio (target: (b) ≤ 1.5× (a)). Figures only; nothing here
 * asserts on timings. Run: `npx tsc -b && node dist/bench/authorize/cedar-bench.js`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAuthorized, statefulIsAuthorized } from "@cedar-policy/cedar-wasm/nodejs";
import { createManualClock } from "../../src/clock/index.js";
import type { EvidenceItem } from "../../src/evidence/facts.js";
import {
  type AuthorizationRequest,
  createPolicyEngine,
  DEFAULT_POLICY_DIR,
  loadPolicySet,
  type Principal,
} from "../../src/policy/index.js";

const ROUNDS = Number(process.env["LEASH_BENCH_ROUNDS"] ?? 3000);
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const DIGEST = `sha256:${"e3".repeat(32)}`;

const base: Principal = {
  capabilityId: "cap_bench",
  zone: "editing",
  actions: ["code.write", "dependency.change", "artifact.publish", "deploy"],
  repository: "acme/app",
  repositoryId: "101",
  ownerId: "7",
  ref: "refs/heads/main",
  sha: SHA,
  workflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
  jobWorkflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
  event: "workflow_dispatch",
  environment: "staging",
  runnerEnvironment: "github-hosted",
  runId: "1",
};

function item(
  id: string,
  zone: string,
  subject: EvidenceItem["subject"],
  facts: EvidenceItem["facts"],
): EvidenceItem {
  return { id, zone, repositoryId: "101", selfReported: false, subject, facts };
}
const tests = item(
  "att_t",
  "validation",
  { sha: SHA },
  {
    kind: "test-result",
    total: 120,
    passed: 120,
    failures: 0,
    errors: 0,
    skipped: 0,
    ok: true,
  },
);
const provenance = item(
  "att_p",
  "publishing",
  { digest: DIGEST },
  {
    kind: "provenance",
    digest: DIGEST,
    sourceRepository: "acme/app",
    sourceRepositoryId: "101",
    commit: SHA,
    builderId: "https://leash.dev/builder@v1",
    verifiedBy: "leash",
  },
);
const diff = item(
  "att_d",
  "editing",
  { sha: SHA },
  {
    kind: "lockfile-diff",
    lockfile: "package-lock.json",
    added: [],
    removed: [],
    changed: [
      {
        name: "undici",
        from: "6.1.0",
        to: "6.2.0",
        direct: true,
        hasInstallScript: false,
        majorBump: false,
      },
    ],
    newDirect: 0,
    newWithInstallScript: 0,
    majorBumps: 0,
    highRisk: false,
  },
);
const scan = item(
  "att_s",
  "validation",
  { sha: SHA },
  {
    kind: "vulnerability-scan",
    source: "npm-audit",
    findings: [],
    counts: { low: 0, moderate: 0, high: 0, critical: 0, unknown: 0 },
  },
);

/** A mix shaped like agent traffic: mostly allows, some forbids and default denies. */
const requests: AuthorizationRequest[] = [
  {
    principal: base,
    action: "repo.read",
    resource: { type: "Repository", id: "acme/app", attrs: {} },
    context: {},
    evidence: [],
  },
  {
    principal: base,
    action: "code.write",
    resource: {
      type: "Branch",
      id: "refs/heads/agent/fix",
      attrs: { paths: ["src/a.ts", "test/a.test.ts"] },
    },
    context: {},
    evidence: [],
  },
  {
    principal: base,
    action: "code.write",
    resource: { type: "Branch", id: "refs/heads/main", attrs: { paths: ["src/a.ts"] } },
    context: {},
    evidence: [],
  },
  {
    principal: base,
    action: "dependency.change",
    resource: { type: "Repository", id: "acme/app", attrs: {} },
    context: {},
    evidence: [diff, scan],
  },
  {
    principal: base,
    action: "artifact.publish",
    resource: { type: "Artifact", id: DIGEST, attrs: {} },
    context: {},
    evidence: [tests],
  },
  {
    principal: base,
    action: "artifact.publish",
    resource: { type: "Artifact", id: DIGEST, attrs: {} },
    context: {},
    evidence: [],
  },
  {
    principal: base,
    action: "deploy",
    resource: { type: "Environment", id: "staging", attrs: {} },
    context: { artifact: `ghcr.io/acme/app@${DIGEST}` },
    evidence: [provenance, tests],
  },
  {
    principal: base,
    action: "deploy",
    resource: { type: "Environment", id: "staging", attrs: {} },
    context: { artifact: "ghcr.io/acme/app:1.2" },
    evidence: [],
  },
];

/**
 * Times each variant in interleaved slices, so load from other processes on a small machine
 * falls on all of them alike. Returns decisions/s per variant.
 */
function measure(variants: [label: string, run: () => void][]): number[] {
  const SLICES = 10;
  const perSlice = Math.max(1, Math.floor(ROUNDS / SLICES));
  for (const [, run] of variants) for (let i = 0; i < Math.min(perSlice, 100); i++) run();
  const ns = variants.map(() => 0);
  for (let s = 0; s < SLICES; s++) {
    variants.forEach(([, run], v) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < perSlice; i++) run();
      ns[v] = (ns[v] ?? 0) + Number(process.hrtime.bigint() - start);
    });
  }
  const decisions = SLICES * perSlice * requests.length;
  return variants.map(([label], v) => {
    const us = (ns[v] ?? 0) / 1e3 / decisions;
    const perSecond = 1e6 / us;
    console.log(
      `${label.padEnd(46)} ${perSecond.toFixed(0).padStart(8)} decisions/s ${us.toFixed(1).padStart(7)} µs/decision`,
    );
    return perSecond;
  });
}

function main(): void {
  const set = loadPolicySet({ dirs: [DEFAULT_POLICY_DIR] });
  const clock = createManualClock(Date.parse("2025-01-01T00:00:00Z"));
  // The comparison with raw Cedar runs without the answer cache (every call evaluates);
  // the cached figure is printed beside it.
  const engine = createPolicyEngine(set, { clock, answerCacheEntries: 0 });
  const cachedEngine = createPolicyEngine(set, { clock });
  const prebuilt = requests.map((r) => {
    const built = engine.toCedarRequest(r, false);
    if (built === null) throw new Error(`no partition for ${r.action}`);
    return built;
  });
  const policyText = readdirSync(DEFAULT_POLICY_DIR)
    .filter((n) => n.endsWith(".cedar"))
    .map((n) => readFileSync(join(DEFAULT_POLICY_DIR, n), "utf8"))
    .join("\n");
  for (let i = 0; i < requests.length; i++) {
    const raw = statefulIsAuthorized({ ...prebuilt[i]!, preparsedPolicySetId: set.wholeSetId });
    const ours = engine.evaluate(requests[i]!);
    if (raw.type !== "success" || raw.response.decision !== ours.decision) {
      throw new Error(`decisions differ for request ${i} (${requests[i]!.action})`);
    }
  }
  console.log(
    `cedar-bench: ${requests.length} requests × ${ROUNDS} rounds, ${set.policies.length} policies, ${set.digest.slice(0, 19)}…`,
  );
  const trimmed = requests.map((r) => engine.toCedarRequest(r, true)!);
  const [raw = 0, rawTrimmed = 0, ours = 0, cached = 0] = measure([
    [
      "raw statefulIsAuthorized (whole set)",
      () => {
        for (const r of prebuilt)
          statefulIsAuthorized({ ...r, preparsedPolicySetId: set.wholeSetId });
      },
    ],
    [
      "raw statefulIsAuthorized (whole set, trimmed)",
      () => {
        for (const r of trimmed)
          statefulIsAuthorized({ ...r, preparsedPolicySetId: set.wholeSetId });
      },
    ],
    [
      "leash evaluate (build + partition + explain)",
      () => {
        for (const r of requests) engine.evaluate(r);
      },
    ],
    [
      "leash evaluate, repeated requests (answer cache)",
      () => {
        for (const r of requests) cachedEngine.evaluate(r);
      },
    ],
  ]);
  const slow = Math.max(1, Math.floor(ROUNDS / 20));
  const start = process.hrtime.bigint();
  for (let i = 0; i < slow; i++)
    for (const r of prebuilt) isAuthorized({ ...r, policies: { staticPolicies: policyText } });
  const textRate = (slow * requests.length) / (Number(process.hrtime.bigint() - start) / 1e9);
  console.log(
    `${"raw isAuthorized (policy text per call)".padEnd(44)} ${textRate.toFixed(0).padStart(8)} decisions/s`,
  );
  console.log(`ratio leash/raw (time per decision): ${(raw / ours).toFixed(2)}× (target ≤ 1.5×)`);
  console.log(`ratio leash/raw on the same trimmed entities: ${(rawTrimmed / ours).toFixed(2)}×`);
  console.log(
    `answer cache: a repeated request is ${(cached / ours).toFixed(0)}× faster than evaluating it`,
  );
}

main();
