/**
 * POST /v1/authorize with the default pack, every record chained and persisted, beside a
 * bare endpoint of the same HTTP stack, in one run: decisions/s and p50/p99 (closed loop),
 * p99 at 1,000/s (open loop, beside the bare endpoint's at that rate: the machine's floor);
 * once with one process and once with BENCH_WORKERS (default 2) workers, as `leash serve
 * --workers N` runs them. Raw Cedar vs leash in-process is
 * bench/authorize/cedar-bench.
 */
import { cpus } from "node:os";
import { benchConfigYaml, startBenchIssuer } from "../support/bench-issuer.js";
import {
  type BenchRequest,
  formatRow,
  measureServerCpu,
  runClosedLoop,
  runFixedRate,
} from "../support/load.js";
import { startBenchServer } from "../support/start-bench-server.js";

const N = Number(process.env["BENCH_REQUESTS"] ?? 8000);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 32);
const WORKERS = Number(process.env["BENCH_WORKERS"] ?? 2);
// 10 s at 1,000/s: over 5 s one scheduling hiccup of this shared VM moved the p99 by ms.
const PACED = Number(process.env["BENCH_PACED_REQUESTS"] ?? 10_000);
const BODY = JSON.stringify({
  action: "code.write",
  resource: {
    type: "Branch",
    id: "refs/heads/agent/fix",
    attrs: { paths: ["src/a.ts", "src/b.ts"] },
  },
});

const { issuer, tokens } = await startBenchIssuer(1);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
try {
  // One process, then the same leash as `leash serve --workers N` (default 2: one per core
  // here), each on a fresh store.
  for (const workers of [1, WORKERS]) await benchServer(workers);
  console.log("targets: >= 3000 decisions/s; p99 <= 5 ms at 1000/s");
} finally {
  await issuer.close();
}

async function benchServer(workers: number): Promise<void> {
  const env: Record<string, string> = workers > 1 ? { BENCH_WORKERS: String(workers) } : {};
  const server = await startBenchServer(benchConfigYaml(issuer.url), env);
  try {
    const capability = await exchange(server.port, tokens[0] as string);
    const authorize: BenchRequest = {
      path: "/v1/authorize",
      headers: { "content-type": "application/json", authorization: `Bearer ${capability}` },
      body: BODY,
    };
    const bare: BenchRequest = { ...authorize, path: "/bare" };
    const many = (r: BenchRequest, n: number) => Array.from({ length: n }, () => r);
    // Every request a different branch: a new Cedar input each time, so Cedar's answer cache
    // never helps (the worst case); `repeated` is one agent asking the same thing again.
    let branch = 0;
    const distinct = (n: number) =>
      Array.from({ length: n }, () => ({
        ...authorize,
        body: BODY.replace("refs/heads/agent/fix", `refs/heads/agent/fix-${branch++}`),
      }));
    // Warm-up, as long as a measured run: every worker's JIT reaches its steady state only
    // after a few thousand decisions of its own (measured: the first 8,000 with two workers
    // ran 20 % slower than the next).
    await runClosedLoop(server.port, distinct(N), CONCURRENCY);
    const floor = await measureServerCpu(server, () =>
      runClosedLoop(server.port, many(bare, N), CONCURRENCY),
    );
    const decisions = await measureServerCpu(server, () =>
      runClosedLoop(server.port, distinct(N), CONCURRENCY),
    );
    const repeated = await measureServerCpu(server, () =>
      runClosedLoop(server.port, many(authorize, N), CONCURRENCY),
    );
    // The same stack's floor at the same rate: what this machine's scheduling alone does to
    // the p99 (on a busy shared VM it can exceed the target before leash does any work).
    const pacedFloor = await runFixedRate(server.port, many(bare, PACED), 1000);
    const paced = await runFixedRate(server.port, distinct(PACED), 1000);
    const label = workers > 1 ? `${workers} workers` : "1 process";
    console.log(`-- ${label} --`);
    console.log(formatRow("bare endpoint (same stack)", floor));
    console.log(formatRow("POST /v1/authorize, distinct requests", decisions));
    console.log(formatRow("POST /v1/authorize, repeated request", repeated));
    console.log(formatRow("bare endpoint at 1000/s (open loop)", pacedFloor));
    console.log(formatRow("POST /v1/authorize at 1000/s (open loop)", paced));
    console.log(
      `server CPU per decision: ${decisions.cpuMicrosPerRequest.toFixed(0)} µs, of which the HTTP stack (bare) ${floor.cpuMicrosPerRequest.toFixed(0)} µs`,
    );
  } finally {
    await server.stop();
  }
}

async function exchange(port: number, token: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      scope: "zone:editing",
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`exchange failed: ${JSON.stringify(body)}`);
  return body.access_token;
}
