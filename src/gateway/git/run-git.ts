import { spawn } from "node:child_process";
import type { Readable } from "node:stream";

export interface RunGitOptions {
  /** The whole environment of the child: never the server's own (it may hold secrets). */
  env: Readonly<Record<string, string>>;
  /** Piped to the child's stdin; none = stdin closed. */
  stdin?: Readable;
  /** Stdout beyond this is an error, not a truncation. */
  maxStdoutBytes?: number;
  /** Killed (exit code -1) after this long; an unresponsive upstream must not hang a push. */
  timeoutMs?: number;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
}

const DEFAULT_MAX_STDOUT_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The environment every git leash runs gets: no system or user config (an `insteadOf` or a
 * credential helper there must not redirect leash's own fetches), no prompts, and only the
 * http(s) transports.
 */
export function toGitEnv(path: string, home: string): Record<string, string> {
  return {
    PATH: path,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "http:https",
    LC_ALL: "C",
  };
}

/**
 * Runs `git` with arguments (never through a shell) and collects stdout. Resolves with the
 * exit code; rejects only when git can't start or stdout overflows. Stderr is dropped: it
 * can echo URLs and input, and the caller answers with its own sentence.
 */
export function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  const max = opts.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      env: opts.env,
      stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "ignore"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout?.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        child.kill("SIGKILL");
        reject(new RangeError("git output exceeded its limit"));
        return;
      }
      chunks.push(chunk);
    });
    if (opts.stdin && child.stdin) {
      // A child that exits early (bad pack) closes stdin; that is its exit code's story.
      child.stdin.on("error", () => {});
      opts.stdin.on("error", (err) => child.kill("SIGKILL") && reject(err));
      opts.stdin.pipe(child.stdin);
    }
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(chunks) });
    });
  });
}
