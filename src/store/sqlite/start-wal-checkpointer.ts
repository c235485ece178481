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
  let exited = false;
  worker.once("exit", () => {
    exited = true;
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        worker.once("exit", () => resolve());
        // Keep the process alive until the thread has closed its database and ended.
        worker.ref();
        worker.postMessage("close");
        // Only a worker that never answers is terminated (it holds no open statement then).
        setTimeout(() => void worker.terminate().finally(resolve), 5000).unref();
      }),
  };
}
