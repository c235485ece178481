import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Store, StoreChannel } from "../../store/index.js";
import { isWorkerMessage, WORKER_INDEX_ENV, type WorkerMessage } from "./worker-messages.js";

/** A worker's line to the primary of `leash serve --workers N`. */
export interface WorkerLink {
  /** 1…N: names this worker's audit chain. */
  readonly index: number;
  /**
   * The store with change announcements between the workers when it has none of its own
   * (SQLite; PostgreSQL's LISTEN/NOTIFY already reaches every instance on every host).
   */
  linkStore(store: Store): Store;
  /**
   * Offers this worker's registry to the primary's collections and returns the renderer of
   * GET /metrics: every worker's metrics summed (a scrape lands on one worker at random).
   */
  shareMetrics(registry: Registry): () => Promise<{ contentType: string; body: string }>;
  listening(url: string): void;
  onReloadPolicy(fn: () => void): void;
  onShutdown(fn: () => void): void;
  /** Ends the IPC channel, so the worker's process can exit. */
  close(): void;
}

const METRICS_TIMEOUT_MS = 5000;

/** The link when this process is a worker the primary forked; undefined otherwise. */
export function joinWorkers(
  env: Readonly<Record<string, string | undefined>>,
): WorkerLink | undefined {
  const index = Number(env[WORKER_INDEX_ENV]);
  if (!cluster.isWorker || !Number.isInteger(index) || index < 1) return undefined;
  const listeners = new Map<string, Set<(m: WorkerMessage) => void>>();
  const on = (kind: WorkerMessage["leash"], fn: (m: WorkerMessage) => void) => {
    const set = listeners.get(kind) ?? new Set();
    set.add(fn);
    listeners.set(kind, set);
    return () => void set.delete(fn);
  };
  process.on("message", (m: unknown) => {
    if (isWorkerMessage(m)) for (const fn of listeners.get(m.leash) ?? []) fn(m);
  });
  const send = (m: WorkerMessage) => void process.send?.(m);
  let nextId = 0;
  return {
    index,
    linkStore: (store) => (store.subscribe ? store : withAnnouncements(store, on, send)),
    shareMetrics(registry) {
      // prom-client's worker side: answers the primary's collection with this registry.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([registry]);
      return () => {
        const id = nextId++;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            off();
            reject(new Error("the primary did not answer with the metrics"));
          }, METRICS_TIMEOUT_MS);
          const off = on("metrics", (m) => {
            if (m.leash !== "metrics" || m.id !== id) return;
            clearTimeout(timer);
            off();
            if (m.error) reject(new Error(`collecting the workers' metrics failed: ${m.error}`));
            else resolve({ contentType: m.contentType, body: m.body });
          });
          send({ leash: "metrics-request", id });
        });
      };
    },
    listening: (url) => send({ leash: "listening", url }),
    onReloadPolicy: (fn) => void on("reload-policy", fn),
    onShutdown: (fn) => void on("shutdown", fn),
    close: () => {
      if (process.connected) process.disconnect();
    },
  };
}

/** subscribe/notify over the primary, which sends every announcement to every worker. */
function withAnnouncements(
  store: Store,
  on: (kind: WorkerMessage["leash"], fn: (m: WorkerMessage) => void) => () => void,
  send: (m: WorkerMessage) => void,
): Store {
  return {
    ...store,
    async subscribe(channel: StoreChannel, onEvent: () => void) {
      const off = on("event", (m) => m.leash === "event" && m.channel === channel && onEvent());
      return async () => off();
    },
    async notify(channel: StoreChannel) {
      send({ leash: "notify", channel });
    },
  };
}
