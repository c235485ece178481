import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.js";
import {
  type ExecOutcome,
  gitConfigForGateway,
  readJobRepository,
  runUnderLeash,
  type ScrubbedEnvironment,
  scrubEnvironment,
} from "../../gateway/exec/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";
import { fromExchangeFlags, obtainCapability } from "../obtain-capability.js";

const HELP = `usage: leash exec [--zone ZONE] [--actions a,b] [--pass NAME]... [--server URL]
                  [--config FILE] [--audience A] [--id-token-env NAME | --id-token-file F]
                  [--json] -- CMD [ARG]...

Runs CMD with a scrubbed environment, the capability in LEASH_CAPABILITY, and its output
redacted. Only an allowlist passes (PATH, HOME, LANG, LC_*, TERM, TZ, TMPDIR, CI, USER, SHELL,
the job's non-secret GITHUB_*/RUNNER_*/CI_* context) plus --pass names. A name that looks like
a credential is withheld even when --pass names it, unless exec.allow_env in the config named
by --config or LEASH_CONFIG lists it (a leash.yaml in the working directory is never read).
The names removed are printed to stderr, never their values.

The capability is LEASH_CAPABILITY if set; otherwise one is obtained for --zone exactly like
\`leash token\`. With a server (--server or LEASH_URL), the child's LEASH_URL is a local relay
that masks every secret value the child leases. stdout and stderr are masked for the
capability, leased values and well-known credential shapes. exec exits with CMD's exit code
(128+N when signal N killed it); SIGINT, SIGTERM and SIGHUP are passed on to CMD.
--json writes a one-line summary to stderr when CMD has exited (stdout belongs to CMD).
`;

/** Names exec sets itself in the child, so never reported as removed. */
const INJECTED = new Set(["LEASH_CAPABILITY", "LEASH_URL"]);

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseExecArgs(args);
  if (parsed.kind === "help") return showHelp(io, HELP);
  const { values, command, commandArgs, pass } = parsed;
  const configAllowed = readConfigAllowedPass(values.config, io);
  const server = values.server ?? io.env["LEASH_URL"];
  if (server !== undefined && !/^https?:\/\//.test(server)) {
    throw new UsageError("--server / LEASH_URL must be an http(s) URL");
  }
  const capability = await resolveCapability(values, server, io);
  if (capability.kind === "refused") return capability.exitCode;

  const scrubbed = scrubEnvironment(io.env, { pass, configAllowed });
  const removed = scrubbed.removed.filter((n) => !INJECTED.has(n));
  const names = { removed, refused: scrubbed.refused };
  reportScrubbedNames(names, io);
  if (server !== undefined) {
    const refusedCode = await recordExecStart(server, capability.value, command, names, io);
    if (refusedCode !== undefined) return refusedCode;
  }
  // The job's own repository goes through leash's git gateway (fetches and pushes).
  const repo = readJobRepository(io.env);
  const outcome = await runUnderLeash({
    command,
    args: commandArgs,
    env: scrubbed.env,
    capability: capability.value,
    leashUrl: server,
    cwd: io.cwd,
    stdout: io.out,
    stderr: io.err,
    ...(server && repo
      ? { gitConfigForGateway: () => gitConfigForGateway(server, capability.value, repo) }
      : {}),
  });
  if (values.json) io.err(`${JSON.stringify(toSummary(outcome, removed, scrubbed, capability))}\n`);
  return outcome.exitCode;
}

/** Splits at the first `--`: leash's options before it, the command after. */
function parseExecArgs(args: string[]) {
  const dashes = args.indexOf("--");
  const { values } = parseArgs({
    args: dashes === -1 ? args : args.slice(0, dashes),
    options: {
      zone: { type: "string" },
      actions: { type: "string" },
      pass: { type: "string", multiple: true },
      server: { type: "string" },
      config: { type: "string" },
      audience: { type: "string", default: "leash" },
      "id-token-env": { type: "string" },
      "id-token-file": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return { kind: "help" } as const;
  const [command, ...commandArgs] = dashes === -1 ? [] : args.slice(dashes + 1);
  if (!command) throw new UsageError(`no command: put it after --\n\n${HELP}`);
  const pass = values.pass ?? [];
  for (const name of pass) {
    if (!VARIABLE_NAME.test(name)) throw new UsageError(`--pass: ${name} is not a variable name`);
  }
  return { kind: "run", values, command, commandArgs, pass } as const;
}

/**
 * The credential-looking names leash.yaml's `exec.allow_env` lets --pass pass. Read only from
 * a config named explicitly (--config or LEASH_CONFIG), never from a leash.yaml found in the
 * working directory: that is the agent's checkout, which its own branch may have changed.
 */
function readConfigAllowedPass(flag: string | undefined, io: CliIo): string[] {
  const path = flag ?? io.env["LEASH_CONFIG"];
  return path ? loadConfig(resolve(io.cwd, path)).exec.allowEnv : [];
}

type ResolvedCapability =
  | { kind: "resolved"; value: string; source: "env" | "exchange"; id?: unknown }
  | { kind: "refused"; exitCode: number };

/** LEASH_CAPABILITY when set; else the same exchange `leash token` does. */
async function resolveCapability(
  values: {
    zone?: string | undefined;
    actions?: string | undefined;
    audience?: string | undefined;
    "id-token-env"?: string | undefined;
    "id-token-file"?: string | undefined;
  },
  server: string | undefined,
  io: CliIo,
): Promise<ResolvedCapability> {
  const fromEnv = io.env["LEASH_CAPABILITY"]?.trim();
  if (fromEnv) return { kind: "resolved", value: fromEnv, source: "env" };
  if (!values.zone) throw new UsageError("LEASH_CAPABILITY is not set: pass --zone to obtain one");
  if (!server) throw new UsageError("no server: pass --server URL or set LEASH_URL");
  const result = await obtainCapability(
    fromExchangeFlags(server, { ...values, zone: values.zone }),
    io,
  );
  if (result.kind === "issued") {
    const id = result.body["capability_id"];
    return { kind: "resolved", value: result.capability, source: "exchange", id };
  }
  io.err(`leash: ${describeRefusal(result.answer)}\n`);
  return { kind: "refused", exitCode: result.answer.status >= 500 ? EXIT.internal : EXIT.denied };
}

/**
 * Puts the start of the run on the record before the command runs: a `command.run` decision
 * whose record carries the withheld variable names. A deny, or a leash that can't record it,
 * means the command does not run (fail closed). Returns the exit code of a refusal.
 */
async function recordExecStart(
  server: string,
  capability: string,
  command: string,
  names: { removed: readonly string[]; refused: readonly string[] },
  io: CliIo,
): Promise<number | undefined> {
  const body = {
    action: "command.run",
    resource: { type: "Path", id: command.slice(0, 1024), attrs: {} },
    context: { phase: "exec", scrubbed_env: names.removed, refused_env: names.refused },
  };
  let answer: Awaited<ReturnType<typeof postToLeash>>;
  try {
    answer = await postToLeash(server, "v1/authorize", { json: body, bearer: capability });
  } catch {
    io.err("leash: exec: leash could not be reached to record the run; nothing was run\n");
    return EXIT.internal;
  }
  if (answer.status === 200 && answer.body["decision"] === "allow") return undefined;
  io.err(
    `leash: exec: ${answer.status === 200 ? "denied" : describeRefusal(answer)}; nothing was run\n`,
  );
  for (const r of (answer.body["reasons"] as { code: string; message: string }[] | undefined) ??
    []) {
    io.err(`leash: ${r.code}: ${r.message}\n`);
  }
  return answer.status >= 500 ? EXIT.internal : EXIT.denied;
}

/**
 * Tells the job which variables the agent did not get: names only, never values. This is the
 * one place exec prints them; `recordExecStart` puts them on the record.
 */
export function reportScrubbedNames(
  names: { removed: readonly string[]; refused: readonly string[] },
  io: CliIo,
): void {
  if (names.removed.length > 0) {
    io.err(`leash: exec: removed from the environment: ${names.removed.join(", ")}\n`);
  }
  for (const name of names.refused) {
    io.err(
      `leash: exec: --pass ${name} refused: it looks like a credential and config does not allow it\n`,
    );
  }
}

function toSummary(
  outcome: ExecOutcome,
  removed: readonly string[],
  scrubbed: ScrubbedEnvironment,
  capability: Extract<ResolvedCapability, { kind: "resolved" }>,
): Record<string, unknown> {
  return {
    exit_code: outcome.exitCode,
    signal: outcome.signal,
    removed,
    refused: scrubbed.refused,
    passed: Object.keys(scrubbed.env).sort(),
    capability_source: capability.source,
    ...(capability.id === undefined ? {} : { capability_id: capability.id }),
    relayed: outcome.relayed,
  };
}
