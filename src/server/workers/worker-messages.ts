import type { LeashConfig } from "../../config/index.js";
import type { StoreChannel } from "../../store/index.js";

/**
 * What the primary of `leash serve --workers N` and its workers say to each other over the
 * cluster IPC channel. No token, secret or key ever crosses it: only channel names, URLs and
 * metric text.
 */
export type WorkerMessage =
  /** worker → primary: it accepts connections at `url`. */
  | { leash: "listening"; url: string }
  /** worker → primary: announce `channel` to every worker; primary → workers: it changed. */
  | { leash: "notify"; channel: StoreChannel }
  | { leash: "event"; channel: StoreChannel }
  /** worker → primary: the aggregated metrics, please; primary → worker: here they are. */
  | { leash: "metrics-request"; id: number }
  | { leash: "metrics"; id: number; contentType: string; body: string; error?: string }
  /** primary → one worker: reload the policies (SIGHUP); the reload is then announced. */
  | { leash: "reload-policy" }
  /** primary → workers: finish in-flight requests, close, exit. */
  | { leash: "shutdown" };

/** The environment variable that tells a forked process which worker it is (1…N). */
export const WORKER_INDEX_ENV = "LEASH_WORKER_INDEX";

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { leash?: unknown }).leash === "string"
  );
}

/**
 * Worker `index`'s config: the shared one with an audit chain of its own
 * (`<instance_id>-w<index>`), since two processes can't append to one hash chain.
 */
export function configForWorker(config: LeashConfig, index: number): LeashConfig {
  return {
    ...config,
    server: { ...config.server, instanceId: `${config.server.instanceId}-w${index}` },
  };
}
