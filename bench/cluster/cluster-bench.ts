/**
 * The authorize benchmark (POST /v1/authorize, code.write on an owned branch, default pack,
 * every record persisted) against SQLite, one instance on PostgreSQL, and two instances on
 * one PostgreSQL with the load split across both — in one run — then revocation propagation
 * between the two (revoke on A, poll B until refused) and the cost of the per-request
 * revocation read. Usage: node dist/bench/cluster/cluster-bench.js
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { cpus } from "node:os";
import { startBenchIssuer } from "../support/bench-issuer.js";
import { type BenchRequest, formatRow, type LoadResult, runClosedLoop } from "../support/load.js";
import { type BenchServer, startBenchServer } from "../support/start-bench-server.js";
import { AUTHORIZE_BODY, exchangeOn } from "./bench-http.js";
import {
  clusterConfigYaml,
  createSchema,
  dropSchema,
  measureDecisionBytes,
  PG_URL,
  schemaUrl,
} from "./cluster-config.js";
import {
  type Distribution,
  measureRevocation,
  measureRevocationReads,
} from "./measure-revocation.js";

const N = Number(process.env["BENCH_REQUESTS"] ?? 10000);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 32);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const TRIALS = Number(process.env["BENCH_REVOCATION_TRIALS"] ?? 50);
const ADMIN_TOKEN = `lsa_bench_${randomBytes(16).toString("hex")}`;
const ENV = {
  LEASH_MASTER_KEY: randomBytes(32).toString("base64"),
  LEASH_ADMIN_TOKEN: ADMIN_TOKEN,
};

const run = randomBytes(4).toString("hex");
const schemas = [`leash_bench_one_${run}`, `leash_bench_two_${run}`, `leash_bench_reads_${run}`];
const { issuer, tokens } = await startBenchIssuer(4 + TRIALS);
const servers: BenchServer[] = [];
const start = async (yaml: string) => {
  const s = await startBenchServer(yaml, ENV);
  servers.push(s);
  return s;
};

try {
  for (const s of schemas) await createSchema(s);
  const sqlite = await start(
    clusterConfigYaml(issuer.url, "sqlite:state/leash.db", "bench-sqlite"),
  );
  const one = await start(
    clusterConfigYaml(issuer.url, schemaUrl(schemas[0] as string), "bench-pg-1"),
  );
  const a = await start(
    clusterConfigYaml(issuer.url, schemaUrl(schemas[1] as string), "bench-pg-a"),
  );
  const b = await start(
    clusterConfigYaml(issuer.url, schemaUrl(schemas[1] as string), "bench-pg-b"),
  );

  const targets = [
    await prepareTarget([sqlite.port], tokens[0] as string),
    await prepareTarget([one.port], tokens[1] as string),
    await prepareTarget([a.port, b.port], tokens[2] as string),
  ];
  // Interleaved rounds: a noisy neighbour slows every target alike, and the median round is reported.
  const rounds: LoadResult[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: LoadResult[] = [];
    for (const t of targets) round.push(await t.run(Math.round(N / ROUNDS)));
    rounds.push(round);
  }
  const revocation = await measureRevocation(a.port, b.port, ADMIN_TOKEN, tokens.slice(4));
  const reads = await measureRevocationReads(schemaUrl(schemas[2] as string), 1000, 5000);
  print(rounds, revocation, reads);
  const size = await measureDecisionBytes(schemas[1] as string);
  console.log(
    `decision log on PostgreSQL: ${size.records} records, ${size.bytesPerRecord.toFixed(0)} bytes each on disk (table + indexes), body ${size.bodyBytes.toFixed(0)} bytes`,
  );
} finally {
  await Promise.all(
    servers.map(async (s) => {
      await s.stop();
      rmSync(s.dir, { recursive: true, force: true });
    }),
  );
  for (const s of schemas) await dropSchema(s).catch(() => {});
  await issuer.close();
}

/** Exchanges a capability and warms up; `run(n)` then sends n authorizations split over `ports`. */
async function prepareTarget(ports: number[], oidc: string) {
  const cap = await exchangeOn(ports[0] as number, oidc);
  const request: BenchRequest = {
    path: "/v1/authorize",
    headers: { "content-type": "application/json", authorization: `Bearer ${cap.token}` },
    body: AUTHORIZE_BODY,
  };
  const many = (n: number) => Array.from({ length: n }, () => request);
  const share = Math.floor(CONCURRENCY / ports.length);
  const run = async (n: number) =>
    mergeResults(
      await Promise.all(ports.map((p) => runClosedLoop(p, many(n / ports.length), share))),
    );
  await run(1000); // warm-up: JIT, pools, statement plans
  return { run };
}

/** Throughput adds up over the instances; p50/p99 are the worse instance's (no raw samples here). */
function mergeResults(parts: LoadResult[]): LoadResult {
  const requests = parts.reduce((n, p) => n + p.requests, 0);
  const seconds = Math.max(...parts.map((p) => p.seconds));
  const statuses: Record<number, number> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p.statuses))
      statuses[Number(k)] = (statuses[Number(k)] ?? 0) + v;
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50Ms: Math.max(...parts.map((p) => p.p50Ms)),
    p99Ms: Math.max(...parts.map((p) => p.p99Ms)),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    statuses,
  };
}

function print(
  rounds: LoadResult[][],
  revocation: Distribution,
  reads: { sqlite: Distribution; postgres: Distribution },
): void {
  const names = [
    "authorize, SQLite (1 instance)",
    "authorize, PostgreSQL (1 instance)",
    "authorize, PostgreSQL (2 instances)",
  ];
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const ratio = (i: number, j: number) =>
    rounds.map((r) => (r[i]?.perSecond ?? 0) / (r[j]?.perSecond ?? 1));
  const show = (xs: number[]) =>
    `${median(xs).toFixed(2)} (rounds: ${xs.map((x) => x.toFixed(2)).join(", ")})`;
  const shown = PG_URL.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
  console.log(`postgres: ${shown}; ${N} authorizations per target, concurrency ${CONCURRENCY}`);
  console.log(`${ROUNDS} interleaved rounds; the median round of each target:`);
  names.forEach((name, i) => {
    const results = rounds.map((r) => r[i] as LoadResult);
    const mid = median(results.map((x) => x.perSecond));
    console.log(formatRow(name, results.find((x) => x.perSecond === mid) as LoadResult));
  });
  console.log(`ratio PostgreSQL 1 instance / SQLite: ${show(ratio(1, 0))}`);
  console.log(`ratio PostgreSQL 2 instances / 1 instance: ${show(ratio(2, 1))}`);
  console.log(`ratio PostgreSQL 2 instances / SQLite: ${show(ratio(2, 0))}`);
  console.log(
    `revocation A -> B (revoke sent to first refusal, ${revocation.samples} trials): p50 ${revocation.p50.toFixed(1)} ms  p99 ${revocation.p99.toFixed(1)} ms  max ${revocation.max.toFixed(1)} ms`,
  );
  for (const [name, d] of Object.entries(reads))
    console.log(
      `revocation read per request (${name}, 1000 rows): p50 ${d.p50.toFixed(0)} µs  p99 ${d.p99.toFixed(0)} µs`,
    );
  console.log("targets: PostgreSQL 1 instance >= 0.60 × SQLite; revocation p99 <= 1000 ms");
}
