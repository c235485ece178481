import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { createLeash, type Leash } from "../../broker/index.js";
import type { LeashConfig } from "../../config/index.js";
import {
  configForWorker,
  joinWorkers,
  startServer,
  startWorkers,
  type WorkerLink,
} from "../../server/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";

const HELP = `usage: leash serve [--config FILE] [--port N] [--host H] [--workers N|auto] [--json]

Runs leash: the token exchange, the decision API and the JWKS. State (the SQLite store,
generated keys, the admin token) lives in the config's state_dir (default .leash/ beside it).
--workers N (or server.workers) runs N processes on the one port and store, each with an
audit chain of its own (<instance_id>-w1…); auto is one per CPU core. Default 1.
--port and --host change where it listens, not server.public_url: that still follows the
config file, and commands given --config reach the server there.
`;

interface Listen {
  host: string;
  port: number;
  json: boolean;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      workers: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const config = loadCliConfig(values.config, io);
  const listen: Listen = {
    host: values.host ?? config.server.host,
    port: port ?? config.server.port,
    json: values.json === true,
  };
  const worker = joinWorkers(io.env);
  if (worker) return serveAsWorker(config, listen, worker, io);
  const workers =
    values.workers === undefined ? config.server.workers : parseWorkers(values.workers);
  // Listened for before anything starts: a SIGTERM during start-up would otherwise kill the
  // primary at once and leave the workers it forked running with nobody to stop them.
  const stop = stopRequested();
  return workers > 1
    ? serveWithWorkers(config, listen, workers, io, stop)
    : serveAlone(config, listen, io, stop);
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopRequested(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return n;
}

function parseWorkers(value: string): number {
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(
      `--workers takes a number from 1 to 64, or auto (got ${JSON.stringify(value)})`,
    );
  return n;
}

/** One process: the leash and its HTTP server. SIGHUP reloads policies. */
async function serveAlone(
  config: LeashConfig,
  listen: Listen,
  io: CliIo,
  stop: Promise<void>,
): Promise<number> {
  const leash = await createLeash(config, { env: io.env });
  const server = await startServer(leash, listen);
  announce(io, listen.json, server.url, config, leash, 1);
  return serveUntilStopped(
    io,
    stop,
    () => reloadPolicy(leash, io),
    async () => {
      await server.close();
      await leash.close();
    },
  );
}

/**
 * The primary: prepares the store once (migrations, first keys, admin token) so that the
 * workers never race to create them, then forks the workers and waits. SIGHUP reloads the
 * policies in every worker; SIGINT/SIGTERM lets them finish their requests.
 */
async function serveWithWorkers(
  config: LeashConfig,
  listen: Listen,
  count: number,
  io: CliIo,
  stop: Promise<void>,
): Promise<number> {
  const leash = await createLeash(config, { env: io.env });
  await leash.close();
  const workers = await startWorkers({ count, log: io.err, env: io.env });
  announce(io, listen.json, workers.url, config, leash, count);
  return serveUntilStopped(
    io,
    stop,
    () => workers.reloadPolicy(),
    () => workers.stop(),
  );
}

/** Reloads policies on SIGHUP until `stopped` (SIGINT or SIGTERM), then stops serving and exits 0. */
async function serveUntilStopped(
  io: CliIo,
  stopped: Promise<void>,
  reload: () => void,
  stop: () => Promise<void>,
): Promise<number> {
  process.on("SIGHUP", reload);
  await stopped;
  io.err("leash: shutting down\n");
  await stop();
  return EXIT.ok;
}

/** One worker: a whole leash with its own audit chain, on the port the primary shares. */
async function serveAsWorker(
  config: LeashConfig,
  listen: Listen,
  link: WorkerLink,
  io: CliIo,
): Promise<number> {
  const leash = await createLeash(configForWorker(config, link.index), {
    env: io.env,
    worker: link,
  });
  const server = await startServer(leash, listen);
  link.listening(server.url);
  link.onReloadPolicy(() => reloadPolicy(leash, io));
  // The primary handles SIGHUP; a terminal's SIGINT reaches the whole group, and the
  // primary's shutdown message follows, so both end the worker the same way.
  process.on("SIGHUP", () => {});
  await new Promise<void>((resolve) => {
    link.onShutdown(resolve);
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await server.close();
  await leash.close();
  link.close();
  return EXIT.ok;
}

function announce(
  io: CliIo,
  json: boolean,
  url: string,
  config: LeashConfig,
  leash: Leash,
  workers: number,
): void {
  const tokenFrom =
    leash.adminToken.source.kind === "env" ? "LEASH_ADMIN_TOKEN" : leash.adminToken.source.path;
  if (json) {
    io.out(
      `${JSON.stringify({ url, config: config.file, store: config.store.kind, workers, admin_token: tokenFrom })}\n`,
    );
    return;
  }
  const processes = workers > 1 ? `, ${workers} workers` : "";
  io.err(
    `leash listening on ${url} (config ${config.file}, store ${config.store.kind}${processes})\n`,
  );
  io.err(`admin token: ${tokenFrom}\n`);
}

/** A set that fails validation leaves the last good one in force. */
function reloadPolicy(leash: Leash, io: CliIo): void {
  try {
    const sets = leash.policy.reload();
    io.err(`leash: policies reloaded (${sets.digest.slice(0, 12)})\n`);
  } catch (err) {
    io.err(`leash: policy reload failed, keeping the last good set: ${(err as Error).message}\n`);
  }
}
