import { spawn } from "node:child_process";
import { constants } from "node:os";
import { createRedactor, type Redactor } from "./create-redactor.js";
import { type LeaseRelay, startLeaseRelay } from "./start-lease-relay.js";

/** Signals exec passes on to the child, so a cancelled job stops the agent, not just leash. */
export const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Where forwarded signals come from: `process` in the CLI. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface RunUnderLeashOptions {
  command: string;
  args: readonly string[];
  /** The already scrubbed environment; LEASH_CAPABILITY and LEASH_URL are added to it. */
  env: Readonly<Record<string, string>>;
  capability: string;
  /** The real leash; when given, the child's LEASH_URL is a relay in front of it. */
  leashUrl?: string | undefined;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  signals?: SignalSource;
  /**
   * Git configuration (`key` → `value`) that routes the child's git through the gateway,
   * given the LEASH_URL the child sees. Passed to git as GIT_CONFIG_COUNT/KEY_n/VALUE_n.
   */
  gitConfigForGateway?: (leashUrl: string) => ReadonlyArray<readonly [key: string, value: string]>;
}

export interface ExecOutcome {
  /** The child's exit code; 128 + signal number when a signal killed it; 127/126 if it never ran. */
  exitCode: number;
  signal: NodeJS.Signals | null;
  /** Whether a relay stood in front of leash (and so leased values were masked). */
  relayed: boolean;
}

/**
 * Runs an agent command with the scrubbed environment plus the capability, its output
 * redacted stream by stream, and signals forwarded. Resolves when the child has exited and
 * its output is flushed; never rejects for the child's own failure.
 */
export async function runUnderLeash(options: RunUnderLeashOptions): Promise<ExecOutcome> {
  // One redactor per stream (each holds its own partial tail), sharing the literals.
  const literals = [options.capability];
  const redactors: [Redactor, Redactor] = [
    createRedactor({ literals }),
    createRedactor({ literals }),
  ];
  const relay: LeaseRelay | undefined = options.leashUrl
    ? await startLeaseRelay({
        upstream: options.leashUrl,
        onLeasedValue: (value) => {
          for (const r of redactors) r.add(value);
        },
      })
    : undefined;
  try {
    const env = toChildEnv(options, relay?.url);
    return { ...(await runChild(options, env, redactors)), relayed: relay !== undefined };
  } finally {
    await relay?.close();
  }
}

function toChildEnv(options: RunUnderLeashOptions, relayUrl: string | undefined) {
  const env: Record<string, string> = { ...options.env, LEASH_CAPABILITY: options.capability };
  if (!relayUrl) return env;
  env["LEASH_URL"] = relayUrl;
  const git = options.gitConfigForGateway?.(relayUrl) ?? [];
  if (git.length > 0) {
    env["GIT_CONFIG_COUNT"] = String(git.length);
    git.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return env;
}

function runChild(
  options: RunUnderLeashOptions,
  env: Record<string, string>,
  [outRedactor, errRedactor]: [Redactor, Redactor],
): Promise<Omit<ExecOutcome, "relayed">> {
  const signals = options.signals ?? process;
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env,
    stdio: ["inherit", "pipe", "pipe"],
  });
  const forward = FORWARDED_SIGNALS.map((sig) => [sig, () => child.kill(sig)] as const);
  for (const [sig, listener] of forward) signals.on(sig, listener);
  const emit = (write: (t: string) => void, text: string) => {
    if (text) write(text);
  };
  child.stdout.on("data", (c: Buffer) => emit(options.stdout, outRedactor.push(c)));
  child.stderr.on("data", (c: Buffer) => emit(options.stderr, errRedactor.push(c)));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (exitCode: number, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const [sig, listener] of forward) signals.off(sig, listener);
      emit(options.stdout, outRedactor.end());
      emit(options.stderr, errRedactor.end());
      resolve({ exitCode, signal });
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      const missing = err.code === "ENOENT";
      options.stderr(
        `leash: exec: cannot run ${JSON.stringify(options.command)}: ${missing ? "command not found" : (err.code ?? "spawn failed")}\n`,
      );
      finish(missing ? 127 : 126, null);
    });
    child.on("close", (code, signal) => finish(code ?? signalExitCode(signal), signal));
  });
}

/** The shell convention: 128 + the signal's number. */
function signalExitCode(signal: NodeJS.Signals | null): number {
  return signal ? 128 + (constants.signals[signal] ?? 0) : 1;
}
