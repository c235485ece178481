/**
 * A leash server for benchmarks, in its own process so the load generator doesn't share its
 * event loop: the real app, plus `POST /bare` on the same HTTP stack as the floor to compare
 * against. Usage: node dist/bench/support/bench-server.js CONFIG_FILE
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLeash } from "../../src/broker/index.js";
import { loadConfig } from "../../src/config/index.js";
import { createApp } from "../../src/server/index.js";

const config = loadConfig(process.argv[2] as string);
const leash = await createLeash(config, { env: process.env });
const app = createApp(leash);
// The server's own CPU time, so a benchmark can report CPU per request independent of the
// load generator that shares the machine.
app.get("/bench/cpu", (c) => {
  const u = process.cpuUsage();
  return c.json({ micros: u.user + u.system });
});
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
    process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
  },
);
process.on("SIGTERM", () => {
  server.close();
  void leash.close().then(() => process.exit(0));
});
