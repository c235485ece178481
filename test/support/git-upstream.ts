/**
 * A real git upstream for tests: `git http-backend` run as CGI behind node:http on
 * 127.0.0.1, serving bare repositories under its own temp dir with receive-pack enabled.
 * It counts push requests (so a test can prove none arrived) and can demand one exact
 * `Authorization` value, as a forge demands its token.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface GitUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The directory holding the bare repositories (`<root>/<owner>/<name>.git`). */
  readonly root: string;
  /** How many `git-receive-pack` POSTs arrived (pushes that reached the upstream). */
  readonly receivePackPosts: number;
  /** When set, every request must carry exactly this `Authorization` value, else 401. */
  requireAuthorization: string | undefined;
  /** A bare repository `<name>.git` whose `main` holds `files` in one commit. */
  createRepository(name: string, files: Record<string, string>): Promise<void>;
  /** The refs of a bare repository: ref name → object id. */
  refs(name: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for test git commands: no user or system config, no prompts. */
export function testGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Agent",
    GIT_AUTHOR_EMAIL: "agent@example.test",
    GIT_COMMITTER_NAME: "Agent",
    GIT_COMMITTER_EMAIL: "agent@example.test",
    LC_ALL: "C",
    ...extra,
  };
}

/** Runs git asynchronously (the servers under test share this process's event loop). */
export function git(args: string[], cwd: string, env = testGitEnv()): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Starts the upstream on 127.0.0.1, port 0, with an empty root in a new temp dir. */
export async function startGitUpstream(): Promise<GitUpstream> {
  const root = mkdtempSync(join(tmpdir(), "leash-upstream-"));
  const state = { posts: 0, requireAuthorization: undefined as string | undefined };
  const server = createServer((req, res) => {
    if (state.requireAuthorization && req.headers.authorization !== state.requireAuthorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="upstream"' }).end();
      return;
    }
    if (req.method === "POST" && req.url?.endsWith("/git-receive-pack")) state.posts++;
    runBackend(root, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    root,
    get receivePackPosts() {
      return state.posts;
    },
    get requireAuthorization() {
      return state.requireAuthorization;
    },
    set requireAuthorization(v: string | undefined) {
      state.requireAuthorization = v;
    },
    createRepository: (name, files) => createRepository(root, name, files),
    async refs(name) {
      const out = await git(
        ["for-each-ref", "--format=%(refname) %(objectname)"],
        repoDir(root, name),
      );
      return Object.fromEntries(
        out.stdout
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => l.split(" ") as [string, string]),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

function repoDir(root: string, name: string): string {
  return join(root, `${name}.git`);
}

async function createRepository(
  root: string,
  name: string,
  files: Record<string, string>,
): Promise<void> {
  const bare = repoDir(root, name);
  const work = mkdtempSync(join(tmpdir(), "leash-seed-"));
  try {
    await must(git(["init", "--quiet", "--bare", "--initial-branch=main", bare], root));
    await must(git(["init", "--quiet", "--initial-branch=main", work], root));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    await must(git(["add", "-A"], work));
    await must(git(["commit", "--quiet", "-m", "seed"], work));
    await must(git(["push", "--quiet", bare, "main"], work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function must(run: Promise<GitRun>): Promise<GitRun> {
  const r = await run;
  if (r.code !== 0) throw new Error(`git failed: ${r.stderr}`);
  return r;
}

/** One CGI request to git http-backend (RFC 3875): environment in, headers and body out. */
function runBackend(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://upstream");
  const env: Record<string, string> = {
    ...testGitEnv(),
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.receivepack",
    GIT_CONFIG_VALUE_0: "true",
    GATEWAY_INTERFACE: "CGI/1.1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: "127.0.0.1",
    CONTENT_TYPE: req.headers["content-type"] ?? "",
  };
  if (req.headers["content-length"]) env["CONTENT_LENGTH"] = req.headers["content-length"];
  if (req.headers["git-protocol"]) env["GIT_PROTOCOL"] = String(req.headers["git-protocol"]);
  if (req.headers["content-encoding"])
    env["HTTP_CONTENT_ENCODING"] = req.headers["content-encoding"];
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "ignore"] });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {});
  relayCgiOutput(child.stdout, res);
}

function relayCgiOutput(out: NodeJS.ReadableStream, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  let started = false;
  out.on("data", (chunk: Buffer) => {
    if (started) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    started = true;
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "status") status = Number.parseInt(value, 10);
      else headers[key] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  out.on("end", () => res.end());
}
