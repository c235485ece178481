import { parseArgs } from "node:util";
import { createLeash } from "../../broker/index.js";
import { startServer } from "../../server/index.js";
import { type CliIo, EXIT, showHelp } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";

const HELP = `usage: leash serve [--config FILE] [--port N] [--host H] [--json]

Runs leash: the token exchange, the decision API and the JWKS. State (the SQLite store,
generated keys, the admin token) lives in the config's state_dir (default .leash/ beside it).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const config = loadCliConfig(values.config, io);
  const host = values.host ?? config.server.host;
  const port = values.port !== undefined ? Number(values.port) : config.server.port;
  const leash = await createLeash(config, { env: io.env });
  const server = await startServer(leash, { host, port });
  const tokenFrom =
    leash.adminToken.source.kind === "env" ? "LEASH_ADMIN_TOKEN" : leash.adminToken.source.path;
  if (values.json)
    io.out(
      `${JSON.stringify({ url: server.url, config: config.file, store: config.store.kind, admin_token: tokenFrom })}\n`,
    );
  else {
    io.err(
      `leash listening on ${server.url} (config ${config.file}, store ${config.store.kind})\n`,
    );
    io.err(`admin token: ${tokenFrom}\n`);
  }
  // SIGHUP reloads policies; a set that fails validation leaves the last good one in force.
  process.on("SIGHUP", () => {
    try {
      const sets = leash.policy.reload();
      io.err(`leash: policies reloaded (${sets.digest.slice(0, 12)})\n`);
    } catch (err) {
      io.err(`leash: policy reload failed, keeping the last good set: ${(err as Error).message}\n`);
    }
  });
  await waitForSignal();
  io.err("leash: shutting down\n");
  await server.close();
  await leash.close();
  return EXIT.ok;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
