import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { processTreeCpuMicros } from "./process-tree-cpu.js";

export interface BenchServer {
  port: number;
  dir: string;
  /** CPU µs used so far by the server's processes (primary and workers), from /proc. */
  cpuMicros(): number;
  stop(): Promise<void>;
}

/**
 * Extra node flags for the server process, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" to profile leash under a benchmark's load (NODE_OPTIONS refuses
 * --cpu-prof).
 */
const SERVER_NODE_ARGS = (process.env["BENCH_SERVER_NODE_ARGS"] ?? "").split(" ").filter(Boolean);

/**
 * Writes `configYaml` to a temp dir and starts bench-server.js on it; resolves with its port.
 * `env` reaches the server; BENCH_WORKERS=N in it runs N workers like `leash serve --workers N`.
 */
export async function startBenchServer(
  configYaml: string,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "leash-bench-"));
  const file = join(dir, "leash.yaml");
  writeFileSync(file, configYaml);
  const child: ChildProcess = spawn(
    process.execPath,
    [...SERVER_NODE_ARGS, new URL("./bench-server.js", import.meta.url).pathname, file],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env },
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    dir,
    cpuMicros: () => processTreeCpuMicros(child.pid as number),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
