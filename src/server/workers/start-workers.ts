import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type RegistryContentType } from "prom-client";
import { isWorkerMessage, WORKER_INDEX_ENV, type WorkerMessage } from "./worker-messages.js";

export interface StartWorkersOptions {
  /** How many worker processes (≥ 2; one process needs no primary). */
  count: number;
  log: (line: string) => void;
  /** The environment the workers inherit (NODE_OPTIONS may set their V8 thread pool). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Wait before a worker that died while serving is started again; default 1 s. It doubles
   * with each death of a worker that had served less than 30 s, up to 30 s.
   */
  restartDelayMs?: number;
}

export interface RunningWorkers {
  /** Where the workers accept connections (they share one listening socket). */
  url: string;
  /** Reloads the policies in every worker: one reloads and announces, the others follow. */
  reloadPolicy(): void;
  /** Lets every worker finish its in-flight requests and exit; resolves when all have. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
/** A worker that served this long before it died is restarted after the first delay again. */
const STABLE_AFTER_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The primary of `leash serve --workers N`: forks N copies of this command (each a whole
 * leash on the shared store, with an audit chain of its own), resolves once all of them
 * listen, relays change announcements between them (the SQLite store has no LISTEN/NOTIFY)
 * and sums their metrics for GET /metrics. A worker that dies while serving is started
 * again; one that dies before it listens fails the start (its error is on stderr), and the
 * others are stopped. The primary itself opens no store and serves no request.
 */
export function startWorkers(opts: StartWorkersOptions): Promise<RunningWorkers> {
  const workers = new Map<number, Worker>();
  const ready = new Set<number>();
  // Per worker index: when it last began to listen, and how many deaths in a row came soon
  // after (a worker that crashes at once would otherwise be forked every second forever).
  const listeningSince = new Map<number, number>();
  const quickDeaths = new Map<number, number>();
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let started = false;
  let url = "";
  const connected = () => [...workers.values()].filter((w) => w.isConnected());
  const broadcast = (message: WorkerMessage) => {
    for (const w of connected()) w.send(message);
  };

  // One V8 helper thread per worker instead of the default four: with a worker on every
  // core, parallel GC helpers fight the other workers for CPU and stretch each pause
  // (measured with two workers on two cores: open-loop p99 at 1,000/s 3.3–6.2 ms with the
  // default pool, 3.1–3.9 ms with one helper; throughput unchanged).
  const flags = [...process.execArgv, ...(opts.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  if (!flags.some((a) => a.startsWith("--v8-pool-size")))
    cluster.setupPrimary({ execArgv: [...process.execArgv, "--v8-pool-size=1"] });

  return new Promise((resolve, reject) => {
    const onMessage = (index: number, worker: Worker, message: WorkerMessage) => {
      if (message.leash === "listening") {
        url = message.url;
        ready.add(index);
        listeningSince.set(index, Date.now());
        if (started) opts.log(`leash: worker ${index} is serving again\n`);
        else if (ready.size === opts.count) {
          started = true;
          resolve(running());
        }
      } else if (message.leash === "notify") {
        broadcast({ leash: "event", channel: message.channel });
      } else if (message.leash === "metrics-request") {
        void answerMetrics(aggregator, worker, message.id);
      }
    };
    const onExit = (index: number, code: number | null, signal: string | null) => {
      workers.delete(index);
      const wasServing = ready.delete(index);
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!started) {
        stopping = true;
        for (const w of workers.values()) w.kill("SIGTERM");
        reject(
          new Error(`worker ${index} exited (${how}) before it listened; see its error above`),
        );
        return;
      }
      const when = wasServing ? "" : " before it listened";
      const delayMs = nextRestartDelay(index);
      opts.log(
        `leash: worker ${index} exited (${how})${when}; starting it again in ${delayMs / 1000} s\n`,
      );
      setTimeout(() => !stopping && fork(index), delayMs);
    };
    const nextRestartDelay = (index: number): number => {
      const served = Date.now() - (listeningSince.get(index) ?? Date.now());
      listeningSince.delete(index);
      const deaths = served >= STABLE_AFTER_MS ? 1 : (quickDeaths.get(index) ?? 0) + 1;
      quickDeaths.set(index, deaths);
      const first = opts.restartDelayMs ?? 1000;
      return Math.min(first * 2 ** (deaths - 1), Math.max(first, MAX_RESTART_DELAY_MS));
    };
    const fork = (index: number) => {
      // The same `leash serve …` command line; the variable makes it a worker.
      const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
      workers.set(index, worker);
      worker.on("message", (m: unknown) => isWorkerMessage(m) && onMessage(index, worker, m));
      worker.on("exit", (code, signal) => onExit(index, code, signal));
      // A message to a worker whose channel just closed (it is exiting) fails with EPIPE;
      // its exit is handled above, so this must not crash the primary.
      worker.on("error", (err) => opts.log(`leash: worker ${index}: ${err.message}\n`));
    };
    const running = (): RunningWorkers => ({
      url,
      reloadPolicy() {
        const first = [...workers.keys()].sort((a, b) => a - b)[0];
        if (first !== undefined) workers.get(first)?.send({ leash: "reload-policy" });
      },
      stop() {
        stopping = true;
        return stopAll(workers);
      },
    });
    for (let i = 1; i <= opts.count; i++) fork(i);
  });
}

/** Collects every worker's registry (prom-client's cluster protocol) and sends the sum. */
async function answerMetrics(
  aggregator: AggregatorRegistry<RegistryContentType>,
  worker: Worker,
  id: number,
) {
  try {
    const body = await aggregator.clusterMetrics();
    worker.send({ leash: "metrics", id, body, contentType: aggregator.contentType });
  } catch (err) {
    const error = (err as Error).message;
    worker.send({ leash: "metrics", id, body: "", contentType: "", error });
  }
}

/** Asks every worker to shut down and waits; one still running after 10 s is killed. */
function stopAll(workers: Map<number, Worker>): Promise<void> {
  const exits = [...workers.values()].map(
    (w) =>
      new Promise<void>((done) => {
        if (w.isDead()) return done();
        const kill = setTimeout(() => w.kill("SIGKILL"), STOP_GRACE_MS);
        w.once("exit", () => {
          clearTimeout(kill);
          done();
        });
        if (w.isConnected()) w.send({ leash: "shutdown" } satisfies WorkerMessage);
        else w.kill("SIGTERM");
      }),
  );
  return Promise.all(exits).then(() => undefined);
}
