/**
 * A leash server for benchmarks, in its own process so the load generator doesn't share its
 * event loop: the real app, plus `POST /bare` on the same HTTP stack as the floor to compare
 * against. BENCH_WORKERS=N runs N worker processes the way `leash serve --workers N` does
 * (the same primary and worker link). Usage: node dist/bench/support/bench-server.js CONFIG
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLeash } from "../../src/broker/index.js";
import { loadConfig } from "../../src/config/index.js";
import {
  configForWorker,
  createApp,
  joinWorkers,
  startWorkers,
  type WorkerLink,
} from "../../src/server/index.js";

const config = loadConfig(process.argv[2] as string);
const count = Number(process.env["BENCH_WORKERS"] ?? 1);
const link = joinWorkers(process.env);
if (count > 1 && !link) await runPrimary();
else await runServer(link);

async function runPrimary(): Promise<void> {
  // As `leash serve` does: the store, keys and token are made once, before any worker starts.
  await (await createLeash(config, { env: process.env })).close();
  const workers = await startWorkers({
    count,
    log: (l) => void process.stderr.write(l),
    env: process.env,
  });
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(workers.url).port) })}\n`);
  process.on("SIGTERM", () => void workers.stop().then(() => process.exit(0)));
}

async function runServer(worker: WorkerLink | undefined): Promise<void> {
  const own = worker ? configForWorker(config, worker.index) : config;
  const leash = await createLeash(own, { env: process.env, ...(worker ? { worker } : {}) });
  const app = createApp(leash);
  // The floor: same stack, body read the way leash's routes read it, no decision.
  app.post("/bare", async (c) => {
    const chunks: Buffer[] = [];
    for await (const chunk of (c.env as { incoming: AsyncIterable<Buffer> }).incoming)
      chunks.push(chunk);
    Buffer.concat(chunks).toString("utf8");
    return c.json({ ok: true });
  });
  const server = serve(
    { fetch: app.fetch, hostname: "127.0.0.1", port: config.server.port },
    (info: AddressInfo) => {
      if (worker) worker.listening(`http://127.0.0.1:${info.port}`);
      else process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
    },
  );
  const stop = () => {
    server.close();
    void leash.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  worker?.onShutdown(stop);
}
