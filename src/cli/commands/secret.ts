import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createKeyRing } from "../../capability/index.js";
import { systemClock } from "../../clock/index.js";
import type { LeashConfig } from "../../config/index.js";
import { loadMasterKey, MASTER_KEY_FILE } from "../../sealing/index.js";
import { rewrapStore } from "../../secrets/index.js";
import { openStore } from "../../store/index.js";
import { capabilityTarget } from "../capability-target.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";
import { describeRefusal, getFromLeash, postToLeash, type ServerAnswer } from "../http-client.js";
import { recordAdminAction } from "../record-admin-action.js";
import { adminTarget } from "./revoke.js";

const HELP = `usage: leash secret put NAME (--from-file F | --from-env VAR) [--server URL] [--config FILE] [--json]
       leash secret get NAME --purpose TEXT [--server URL] [--capability CAP] [--json]
       leash secret list [--server URL] [--config FILE] [--json]
       leash secret rotate-master [--config FILE] [--json]

put    stores a new version of secret NAME (admin token: LEASH_ADMIN_TOKEN, or --config). The
       value comes from a file (one trailing newline dropped) or an environment variable,
       never from the command line, where every user could read it in ps.
get    leases NAME with this job's capability (LEASH_CAPABILITY) for the stated purpose and
       prints the value to stdout and nothing else. Exit 1 with the reasons when refused.
list   shows the names and versions leash holds (admin token).
rotate-master
       re-wraps every secret and signing key from the current master key (LEASH_MASTER_KEY,
       or the key file in the state folder) to LEASH_NEW_MASTER_KEY, in one transaction,
       against the store of --config. Stop leash first. With a key file, the new key is
       written to it once the store has committed.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "from-file": { type: "string" },
      "from-env": { type: "string" },
      purpose: { type: "string" },
      server: { type: "string" },
      capability: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const [sub, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}\n\n${HELP}`);
  const json = values.json === true;
  if (sub === "rotate-master") return rotateMaster(values.config, json, io);
  if (sub === "list") return listSecrets(values, json, io);
  if ((sub !== "put" && sub !== "get") || !name)
    throw new UsageError(`expected: leash secret put|get NAME, list or rotate-master\n\n${HELP}`);
  if (sub === "put") return putSecret(name, values, json, io);
  return getSecret(name, values, json, io);
}

type Flags = { server?: string | undefined; config?: string | undefined; json?: boolean };

async function putSecret(
  name: string,
  flags: Flags & { "from-file"?: string | undefined; "from-env"?: string | undefined },
  json: boolean,
  io: CliIo,
): Promise<number> {
  const value = readValue(flags["from-file"], flags["from-env"], io);
  const { server, adminToken } = adminTarget(flags.server, flags.config, io);
  const path = `v1/secrets/${encodeURIComponent(name)}`;
  const answer = await postToLeash(server, path, {
    method: "PUT",
    json: { value },
    bearer: adminToken,
  });
  if (answer.status !== 200 && answer.status !== 201) return refused(answer, io);
  const b = answer.body;
  io.out(
    json
      ? `${JSON.stringify(b)}\n`
      : `stored ${b["name"]} version ${b["version"]} (${b["fingerprint"]})\n`,
  );
  return EXIT.ok;
}

/** The value from exactly one source; errors name the source, never show the value. */
function readValue(file: string | undefined, envName: string | undefined, io: CliIo): string {
  if ((file === undefined) === (envName === undefined))
    throw new UsageError("give the value with exactly one of --from-file F or --from-env VAR");
  if (envName !== undefined) {
    const value = io.env[envName];
    if (!value) throw new UsageError(`--from-env ${envName}: the variable is not set or empty`);
    return value;
  }
  const path = resolve(io.cwd, file as string);
  if (!existsSync(path)) throw new UsageError(`--from-file ${file}: no such file`);
  // `echo token > f` adds a newline nobody means as part of the secret.
  return readFileSync(path, "utf8").replace(/\r?\n$/, "");
}

async function getSecret(
  name: string,
  flags: Flags & { purpose?: string | undefined; capability?: string | undefined },
  json: boolean,
  io: CliIo,
): Promise<number> {
  const { server, capability } = capabilityTarget(flags, io);
  const path = `v1/secrets/${encodeURIComponent(name)}/lease`;
  const body = flags.purpose === undefined ? {} : { purpose: flags.purpose };
  const answer = await postToLeash(server, path, { json: body, bearer: capability });
  if (answer.status !== 200 || typeof answer.body["value"] !== "string") return refused(answer, io);
  // stdout carries the value alone, so $(leash secret get …) is exactly the secret.
  io.out(json ? `${JSON.stringify(answer.body)}\n` : answer.body["value"]);
  return EXIT.ok;
}

async function listSecrets(flags: Flags, json: boolean, io: CliIo): Promise<number> {
  const { server, adminToken } = adminTarget(flags.server, flags.config, io);
  const answer = await getFromLeash(server, "v1/secrets", adminToken);
  if (answer.status !== 200) return refused(answer, io);
  const rows =
    (answer.body["secrets"] as { name: string; version: number; updated_at: string }[]) ?? [];
  io.out(
    json
      ? `${JSON.stringify(answer.body)}\n`
      : rows.map((r) => `${r.name}  version ${r.version}  updated ${r.updated_at}\n`).join(""),
  );
  return EXIT.ok;
}

/** A refusal to stderr, reasons one per line; exit 1 denied, 2 bad request, 3 server failure. */
function refused(answer: ServerAnswer, io: CliIo): number {
  io.err(`leash: ${describeRefusal(answer)}\n`);
  const reasons = answer.body["reasons"];
  if (Array.isArray(reasons))
    for (const r of reasons as { code: string; message: string }[])
      io.err(`leash: ${r.code}: ${r.message}\n`);
  if (answer.status >= 500) return EXIT.internal;
  return answer.status === 400 ? EXIT.usage : EXIT.denied;
}

async function rotateMaster(configFlag: string | undefined, json: boolean, io: CliIo) {
  const config = loadCliConfig(configFlag, io);
  const { oldKey, newKey, keyFile } = readRotationKeys(config, io);
  // With a key file, the new key is on disk (beside the old one) before the store commits,
  // so no crash can leave the store sealed under a key that exists nowhere.
  const staged = keyFile ? `${keyFile}.new` : undefined;
  if (staged) {
    rmSync(staged, { force: true });
    writeFileSync(staged, `${newKey.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  const store = await openStore(config.store);
  let count: Awaited<ReturnType<typeof rewrapStore>>;
  let decisionId: string;
  try {
    try {
      count = await rewrapStore(store, oldKey, newKey);
    } catch (err) {
      if (staged) rmSync(staged, { force: true });
      throw err;
    }
    if (keyFile && staged) installKeyFile(staged, keyFile);
    // Recorded once done, with the signing keys now sealed under the new key.
    const ring = createKeyRing({ store, kek: newKey, clock: systemClock });
    await ring.load();
    decisionId = await recordAdminAction({
      config,
      store,
      ring,
      clock: systemClock,
      action: "master_key.rotate",
      detail: {
        secrets: count.secrets,
        signing_keys: count.signingKeys,
        key_source: keyFile ? "file" : "env",
      },
    });
  } finally {
    await store.close();
  }
  reportRotation(count, keyFile, decisionId, json, io);
  return EXIT.ok;
}

/** rename(2) replaces the key file atomically: a reader sees the old key or the new one. */
function installKeyFile(staged: string, keyFile: string): void {
  try {
    renameSync(staged, keyFile);
  } catch {
    throw new Error(
      `the store is now sealed under the new key, which is in ${staged}; move it to ${keyFile} before starting leash`,
    );
  }
}

function readRotationKeys(config: LeashConfig, io: CliIo) {
  const current = io.env["LEASH_MASTER_KEY"] || undefined;
  const keyFile = current ? undefined : join(config.stateDir, MASTER_KEY_FILE);
  if (keyFile && !existsSync(keyFile))
    throw new UsageError(`no current master key: set LEASH_MASTER_KEY, or ${keyFile} must exist`);
  const next = io.env["LEASH_NEW_MASTER_KEY"];
  if (!next)
    throw new UsageError(
      "set LEASH_NEW_MASTER_KEY to the new master key (create one with: openssl rand -base64 32)",
    );
  const oldKey = loadMasterKey({ envValue: current, stateDir: config.stateDir });
  // A non-empty value is always taken from the variable, never from a file.
  const newKey = loadMasterKey({ envValue: next, stateDir: config.stateDir });
  return { oldKey, newKey, keyFile };
}

function reportRotation(
  count: { secrets: number; signingKeys: number },
  keyFile: string | undefined,
  decisionId: string,
  json: boolean,
  io: CliIo,
): void {
  const out = {
    rotated: true,
    secrets: count.secrets,
    signing_keys: count.signingKeys,
    decision_id: decisionId,
  };
  io.out(
    json
      ? `${JSON.stringify(keyFile ? { ...out, key_file: keyFile } : out)}\n`
      : `re-wrapped ${count.secrets} secret(s) and ${count.signingKeys} signing key(s) (recorded as ${decisionId})\n`,
  );
  io.err(
    keyFile
      ? `leash: the new master key is in ${keyFile}; start leash again\n`
      : "leash: now set LEASH_MASTER_KEY to the value of LEASH_NEW_MASTER_KEY on every instance and start them again; the old key opens nothing any more\n",
  );
}
