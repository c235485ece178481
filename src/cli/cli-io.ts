/** What a command may touch: its environment and the two output streams. Nothing reads process.argv below main. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

/** The io of a real process: its cwd, stdout and stderr. */
export function processIo(env: Readonly<Record<string, string | undefined>>): CliIo {
  // A reader that stops early (`leash audit export … | head`) closes the pipe. The rest of the
  // output then has nowhere to go, which is no failure of the command: drop it, don't crash.
  let stdoutClosed = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    stdoutClosed = true;
  });
  return {
    env,
    cwd: process.cwd(),
    out: (t) => void (stdoutClosed || process.stdout.write(t)),
    err: (t) => void process.stderr.write(t),
  };
}

/** Exit codes: 0 ok/allow, 1 denied or verification failed, 2 usage/config error, 3 internal error. */
export const EXIT = { ok: 0, denied: 1, usage: 2, internal: 3 } as const;

export type Command = (args: string[], io: CliIo) => Promise<number>;

/** A usage error: printed with the command's help, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Prints a command's help to stdout; exit 0. */
export function showHelp(io: CliIo, help: string): number {
  io.out(help);
  return EXIT.ok;
}
