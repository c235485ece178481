import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

/** One request of a benchmark: method, path, headers, body. */
export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<number, number>;
}

function send(agent: Agent, port: number, r: BenchRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: r.path,
        agent,
        headers: { ...r.headers, "content-length": Buffer.byteLength(r.body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}

function summarize(
  latencies: number[],
  seconds: number,
  statuses: Record<number, number>,
  errors: number,
): LoadResult {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    statuses,
  };
}

/** Closed loop: `concurrency` clients, each sending the next request as soon as one returns. */
export async function runClosedLoop(
  port: number,
  requests: BenchRequest[],
  concurrency: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++] as BenchRequest;
      const t0 = performance.now();
      try {
        const status = await send(agent, port, r);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return summarize(latencies, (performance.now() - started) / 1000, statuses, errors);
}

/** Open loop: requests sent at a fixed rate whatever the answers do; latency under that load. */
export async function runFixedRate(
  port: number,
  requests: BenchRequest[],
  perSecond: number,
): Promise<LoadResult> {
  // FIFO: each request takes the connection idle longest, so the load spreads over every
  // connection opened, as requests from many CI jobs do. Node's default (LIFO) sends nearly
  // all of a light load down one or two connections, i.e. to one worker of several.
  const agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: "fifo" });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      send(agent, port, requests[i] as BenchRequest).then(
        (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(performance.now() - t0);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return summarize(latencies, (performance.now() - started) / 1000, statuses, errors);
}

export function formatRow(name: string, r: LoadResult & { cpuMicrosPerRequest?: number }): string {
  const cpu =
    r.cpuMicrosPerRequest === undefined
      ? ""
      : `  server CPU ${r.cpuMicrosPerRequest.toFixed(0).padStart(4)} µs/req`;
  return `${name.padEnd(40)} ${r.perSecond.toFixed(0).padStart(7)}/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms${cpu}  (${r.requests} req, ${r.errors} errors)`;
}

/** Server CPU microseconds spent while `run` executes, per request it sent. */
export async function measureServerCpu<T extends LoadResult>(
  server: { cpuMicros(): number },
  run: () => Promise<T>,
): Promise<T & { cpuMicrosPerRequest: number }> {
  const before = server.cpuMicros();
  const result = await run();
  const after = server.cpuMicros();
  return { ...result, cpuMicrosPerRequest: (after - before) / result.requests };
}
