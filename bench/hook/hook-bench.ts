/**
 * One agent hook round trip as the agent pays it: spawn the installed `bin/leash.cjs hook
 * claude` with a PreToolUse JSON on stdin, against a running leash (its own process, real
 * issuer, real capability), until it exits; beside the floor `node -e ''` (Node's own start).
 * Runs interleaved, N each, and prints mean/p50/p99 and the ratio. Target: ≤ 2× the floor.
 * Usage: node dist/bench/hook/hook-bench.js   (BENCH_RUNS=N, default 40)
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { benchConfigYaml, startBenchIssuer } from "../support/bench-issuer.js";
import { startBenchServer } from "../support/start-bench-server.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 40);
const BIN = fileURLToPath(new URL("../../../bin/leash.cjs", import.meta.url));

const { issuer, tokens } = await startBenchIssuer(1);
const server = await startBenchServer(benchConfigYaml(issuer.url));
const ws = mkdtempSync(join(tmpdir(), "leash-hook-bench-"));
mkdirSync(join(ws, ".git"));
writeFileSync(join(ws, ".git", "HEAD"), "ref: refs/heads/agent/fix\n");

/** Spawns `args` with `stdin`, resolves with the wall time in ms and the exit code. */
function timed(
  args: string[],
  stdin: string,
  env: Record<string, string>,
): Promise<{ ms: number; out: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, out })
        : reject(new Error(`exit ${code}`)),
    );
  });
}

function summary(ms: number[]): { mean: number; p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p50: at(0.5), p99: at(0.99) };
}

const row = (name: string, r: ReturnType<typeof summary>) =>
  `${name.padEnd(34)} mean ${r.mean.toFixed(1).padStart(6)} ms   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms`;

try {
  const res = await fetch(`http://127.0.0.1:${server.port}/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: tokens[0] as string,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      scope: "zone:editing",
    }),
  });
  const capability = String(((await res.json()) as Record<string, unknown>)["access_token"]);
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: ws,
    LEASH_URL: `http://127.0.0.1:${server.port}`,
    LEASH_CAPABILITY: capability,
    LEASH_WORKSPACE: ws,
  };
  const input = JSON.stringify({
    session_id: "bench",
    hook_event_name: "PreToolUse",
    cwd: ws,
    tool_name: "Bash",
    tool_input: {
      command: "npm test && git push origin HEAD:refs/heads/agent/fix",
      description: "test and push",
    },
  });
  const first = await timed([BIN, "hook", "claude"], input, env);
  if (!first.out.includes('"allow"')) throw new Error(`the hook did not allow: ${first.out}`);
  // The hook's own cost without leash's: the same call against a closed port (a deny).
  const closed = { ...env, LEASH_URL: "http://127.0.0.1:9" };
  const floor: number[] = [];
  const hook: number[] = [];
  const local: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push((await timed(["-e", ""], "", env)).ms);
    hook.push((await timed([BIN, "hook", "claude"], input, env)).ms);
    local.push((await timed([BIN, "hook", "claude"], input, closed)).ms);
  }
  const f = summary(floor);
  const h = summary(hook);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, ${RUNS} runs each, interleaved`,
  );
  console.log(row("node -e '' (floor)", f));
  console.log(row("leash hook claude (2 decisions)", h));
  console.log(row("same, leash unreachable (deny)", summary(local)));
  console.log(
    `ratio hook/floor: mean ${(h.mean / f.mean).toFixed(2)}×, p50 ${(h.p50 / f.p50).toFixed(2)}×  (target ≤ 2×)`,
  );
} finally {
  await server.stop();
  await issuer.close();
  rmSync(ws, { recursive: true, force: true });
}
