import { type CliIo, type Command, EXIT, processIo } from "./cli-io.js";
import { reportFailure } from "./report-failure.js";

/** One file per command, loaded only when run, so a hook or `leash token` starts fast. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  serve: { summary: "run the leash server", load: () => import("./commands/serve.js") },
  token: {
    summary: "trade this CI job's OIDC token for a capability",
    load: () => import("./commands/token.js"),
  },
  exec: { summary: "run an agent command under leash", load: () => import("./commands/exec.js") },
  hook: {
    summary: "decide an agent's tool call (Claude Code, Codex, Copilot hooks)",
    load: () => import("./commands/hook.js"),
  },
  revoke: {
    summary: "revoke capabilities by id, run, repository or subject",
    load: () => import("./commands/revoke.js"),
  },
  check: {
    summary: "ask leash whether an action is allowed (exit 0 allow, 1 deny)",
    load: () => import("./commands/check.js"),
  },
  attest: {
    summary: "submit CI output (tests, scans, lockfile diffs, plans) as signed evidence",
    load: () => import("./commands/attest.js"),
  },
  verify: {
    summary: "verify provenance (Sigstore or leash bundles) offline (exit 0 verified, 1 not)",
    load: () => import("./commands/verify.js"),
  },
  approve: {
    summary: "record an admin's approval of one action on one resource (evidence)",
    load: () => import("./commands/approve.js"),
  },
  deploy: {
    summary: "ask the deploy gate to promote an artifact digest to an environment",
    load: () => import("./commands/deploy.js"),
  },
  policy: {
    summary: "validate, test, reload or diff Cedar policies",
    load: () => import("./commands/policy.js"),
  },
  keys: {
    summary: "list or rotate leash's signing keys",
    load: () => import("./commands/keys.js"),
  },
  config: { summary: "check a leash.yaml", load: () => import("./commands/config.js") },
  migrate: {
    summary: "apply the store's schema migrations",
    load: () => import("./commands/migrate.js"),
  },
  secret: {
    summary: "store, lease, list brokered secrets; rotate the master key",
    load: () => import("./commands/secret.js"),
  },
  audit: {
    summary: "verify, anchor, query, export or prune the decision log",
    load: () => import("./commands/audit.js"),
  },
  report: {
    summary: "credential, permission, denial, latency, revocation and provenance figures",
    load: () => import("./commands/report.js"),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return `usage: leash <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun leash <command> --help for a command's options. Every command takes --json.\n`;
}

/** Dispatches to a command; returns the exit code. */
export async function main(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  io?: CliIo,
): Promise<number> {
  const cli: CliIo = io ?? processIo(env);
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    cli.out(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version") {
    cli.out("leash 0.1.0\n");
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    cli.err(`leash: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return EXIT.usage;
  }
  try {
    return await (await entry.load()).run(rest, cli);
  } catch (err) {
    return reportFailure(err, cli);
  }
}
