/**
 * POST /v1/token on loopback against a real local issuer, every decision record persisted,
 * beside a bare endpoint of the same HTTP stack in the same run. Prints exchanges/s and
 * p50/p99 (closed loop), then p99 at half the measured rate (open loop).
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

const N = Number(process.env["BENCH_REQUESTS"] ?? 6000);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 32);

const { issuer, tokens } = await startBenchIssuer(N * 2 + 500);
const server = await startBenchServer(benchConfigYaml(issuer.url));
const form = (token: string): BenchRequest => ({
  path: "/v1/token",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: token,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    scope: "zone:editing",
  }).toString(),
});
const bare: BenchRequest = {
  path: "/bare",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: form(tokens[0] as string).body,
};

try {
  await runClosedLoop(server.port, tokens.slice(0, 500).map(form), CONCURRENCY); // warm-up: JWKS, JIT
  const floor = await measureServerCpu(server, () =>
    runClosedLoop(
      server.port,
      Array.from({ length: N }, () => bare),
      CONCURRENCY,
    ),
  );
  const exchange = await measureServerCpu(server, () =>
    runClosedLoop(server.port, tokens.slice(500, 500 + N).map(form), CONCURRENCY),
  );
  const half = Math.max(1, Math.round(exchange.perSecond / 2));
  const paced = await runFixedRate(
    server.port,
    tokens.slice(500 + N, 500 + N + Math.min(N, half * 4)).map(form),
    half,
  );
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`);
  console.log(formatRow("bare endpoint (same stack)", floor));
  console.log(formatRow("POST /v1/token", exchange));
  console.log(formatRow(`POST /v1/token at ${half}/s (open loop)`, paced));
  console.log(
    `ratio exchange/bare throughput: ${(exchange.perSecond / floor.perSecond).toFixed(2)}`,
  );
  console.log(
    `server CPU per exchange: ${exchange.cpuMicrosPerRequest.toFixed(0)} µs, of which the HTTP stack (bare) ${floor.cpuMicrosPerRequest.toFixed(0)} µs: one core sustains ~${(1e6 / exchange.cpuMicrosPerRequest).toFixed(0)}/s`,
  );
  console.log(`targets: >= 1500 exchanges/s; p99 <= 10 ms at half that rate`);
} finally {
  await server.stop();
  await issuer.close();
}
