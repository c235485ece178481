import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { AGENTS, type Agent, runHook } from "../../gateway/hooks/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";

const HELP = `usage: leash hook claude|codex|copilot [--event NAME] [--workspace DIR] [--timeout-ms N]

Agent tool-call hook: reads the agent's hook JSON on stdin (PreToolUse, PermissionRequest,
PostToolUse; Copilot's preToolUse/postToolUse), asks leash (LEASH_URL, LEASH_CAPABILITY)
about the call and prints the answer in the agent's own format. Never answers "ask"; when
leash can't be reached, it denies. PostToolUse is recorded and never blocked. Exit 0 with
the answer on stdout (a hook that fails would let the call through); 2 on bad usage.
The workspace root is --workspace, else LEASH_WORKSPACE, CLAUDE_PROJECT_DIR, GITHUB_WORKSPACE,
else the git working tree of the call's cwd. See docs/hooks.md.
`;

/** Imports node built-ins and gateway/hooks only: this runs before every tool call. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      event: { type: "string" },
      workspace: { type: "string" },
      "timeout-ms": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const agent = positionals[0];
  if (!agent || !(AGENTS as readonly string[]).includes(agent))
    throw new UsageError(`name the agent: claude, codex or copilot\n\n${HELP}`);
  const timeoutMs = Number(values["timeout-ms"] ?? io.env["LEASH_HOOK_TIMEOUT_MS"] ?? 10_000);
  const answer = await runHook({
    agent: agent as Agent,
    stdin: await readStdin(),
    env: io.env,
    cwd: io.cwd,
    event: values.event,
    workspace: values.workspace,
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 10_000,
  });
  io.out(answer.stdout);
  return answer.exitCode === 0 ? EXIT.ok : EXIT.denied;
}

/** The agent writes the whole hook JSON and closes stdin: one synchronous read is cheapest. */
async function readStdin(): Promise<string> {
  try {
    return readFileSync(0, "utf8");
  } catch {
    // A non-blocking stdin (EAGAIN) is read as a stream instead.
    if (process.stdin.isTTY) return "";
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
}
