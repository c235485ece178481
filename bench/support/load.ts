import { performance } from "node:perf_hooks";
import { RawHttpConnection, serializeRequest } from "./raw-http-connection.js";

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
  /** Why an open loop ended early (a stall left 64 requests in flight); its figures cover what was sent. */
  stopped?: string;
}

/** Every request as bytes, serialized before the clock starts. */
function serializeAll(port: number, requests: BenchRequest[]): Buffer[] {
  return requests.map((r) => serializeRequest(port, r.path, r.headers, r.body));
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
  const bytes = serializeAll(port, requests);
  const connections = Array.from({ length: concurrency }, () => new RawHttpConnection(port));
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const client = async (connection: RawHttpConnection) => {
    while (next < bytes.length) {
      const r = bytes[next++] as Buffer;
      const t0 = performance.now();
      try {
        const status = await connection.send(r);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch {
        errors++;
        return;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(connections.map(client));
  for (const c of connections) c.close();
  return summarize(latencies, (performance.now() - started) / 1000, statuses, errors);
}

/**
 * Open loop: requests sent at a fixed rate whatever the answers do; latency (from the moment
 * a request is written) under that load. A request due while every connection is busy opens
 * another, up to 64.
 */
export async function runFixedRate(
  port: number,
  requests: BenchRequest[],
  perSecond: number,
): Promise<LoadResult> {
  const bytes = serializeAll(port, requests);
  // FIFO: each request takes the connection idle longest, so the load spreads over every
  // connection opened, as requests from many CI jobs do (and over every worker of several).
  const idle: RawHttpConnection[] = [];
  const all: RawHttpConnection[] = [];
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let stopped: string | undefined;
  for (let i = 0; i < bytes.length; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    let connection = idle.shift();
    if (connection === undefined) {
      // The rate can't be kept: stop sending, let what is in flight finish, and say so.
      if (all.length === 64) {
        stopped = `64 requests in flight after ${i} of ${bytes.length}: the server fell behind`;
        break;
      }
      connection = new RawHttpConnection(port);
      all.push(connection);
    }
    const c = connection;
    const t0 = performance.now();
    pending.push(
      c.send(bytes[i] as Buffer).then(
        (status) => {
          latencies.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          idle.push(c);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  for (const c of all) c.close();
  const result = summarize(latencies, (performance.now() - started) / 1000, statuses, errors);
  return stopped === undefined ? result : { ...result, stopped };
}

export function formatRow(name: string, r: LoadResult & { cpuMicrosPerRequest?: number }): string {
  const cpu =
    r.cpuMicrosPerRequest === undefined
      ? ""
      : `  server CPU ${r.cpuMicrosPerRequest.toFixed(0).padStart(4)} µs/req`;
  const stopped = r.stopped === undefined ? "" : `  STOPPED: ${r.stopped}`;
  return `${name.padEnd(40)} ${r.perSecond.toFixed(0).padStart(7)}/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms${cpu}  (${r.requests} req, ${r.errors} errors)${stopped}`;
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
