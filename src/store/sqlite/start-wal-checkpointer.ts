import { Worker } from "node:worker_threads";

const CHECKPOINT_INTERVAL_MS = 1000;

/** A background checkpointer for one SQLite file; `stop` checkpoints once more and ends it. */
export function startWalCheckpointer(path: string): { stop(): Promise<void> } {
  const worker = new Worker(new URL("./wal-checkpoint-worker.js", import.meta.url), {
    workerData: { path, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // Never keeps a process alive on its own (a CLI command that opened the store can exit).
  worker.unref();
  worker.on("error", () => {});
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          void worker.terminate().finally(resolve);
        };
        worker.once("message", done);
        worker.once("exit", () => resolve());
        worker.postMessage("close");
        setTimeout(done, 2000).unref();
      }),
  };
}
