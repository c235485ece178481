/**
 * `leash serve --workers 2` as an operator runs it: the real CLI, two worker processes on one
 * port and one SQLite store, a real OIDC issuer. Each request goes over a fresh connection,
 * which the primary hands to the workers in turn, so every case reaches both.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { DEFAULT_POLICY_DIR } from "../src/policy/index.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { exchangeForm, writeServeConfig } from "./support/test-leash.js";

const BIN = new URL("../../bin/leash.cjs", import.meta.url).pathname;
const ADMIN = "lsa_workers_test_token";
const FREEZE = `@id("test.freeze")
@code("frozen")
@reason("writes are frozen for this test")
forbid (principal, action == Leash::Action::"code.write", resource);
`;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** One request on a connection of its own (no keep-alive), so the primary picks a worker. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = "",
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // /metrics answers text.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** stderr lines of the server, with a way to wait for the next one that matches. */
function watchLines(child: ChildProcess) {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
    lines.push(line);
    for (const w of [...waiters])
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  });
  return {
    lines,
    mark: () => lines.length,
    /** The first line after `mark` that matches (already seen, or the next to come). */
    next(pattern: RegExp, mark: number): Promise<string> {
      const seen = lines.slice(mark).find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, from: mark, resolve }));
    },
  };
}

function workerPids(primary: number): number[] {
  return readFileSync(`/proc/${primary}/task/${primary}/children`, "utf8")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], (err, stdout, stderr) =>
      resolve({
        code: err ? Number(err.code ?? 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

describe("leash serve --workers 2", () => {
  let issuer: TestIssuer;
  let dir: string;
  let config: string;
  let child: ChildProcess;
  let url: string;
  let stderr: ReturnType<typeof watchLines>;

  before(async () => {
    issuer = await startTestIssuer();
    dir = mkdtempSync(join(tmpdir(), "leash-workers-"));
    cpSync(DEFAULT_POLICY_DIR, join(dir, "policies"), { recursive: true });
    config = writeServeConfig(dir, issuer.url, { policy: { dirs: ["policies"] } });
    child = spawn(
      process.execPath,
      [BIN, "serve", "--config", config, "--workers", "2", "--json"],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, LEASH_ADMIN_TOKEN: ADMIN },
      },
    );
    stderr = watchLines(child);
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
      child.once("exit", (code) =>
        reject(new Error(`serve exited ${code}: ${stderr.lines.join("\n")}`)),
      );
    });
    const announced = JSON.parse(line) as { url: string; workers: number };
    assert.equal(announced.workers, 2);
    url = announced.url;
  });

  after(async () => {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const capability = async () => {
    const form = exchangeForm(await issuer.sign(issuer.githubClaims()), "zone:editing");
    const res = await send(
      `${url}/v1/token`,
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams(form).toString(),
    );
    assert.equal(res.status, 200, res.text);
    return String(res.body["access_token"]);
  };
  const authorize = (cap: string, branch = "refs/heads/agent/fix") =>
    send(
      `${url}/v1/authorize`,
      "POST",
      { "content-type": "application/json", authorization: `Bearer ${cap}` },
      JSON.stringify({
        action: "code.write",
        resource: { type: "Branch", id: branch, attrs: { paths: ["src/a.ts"] } },
      }),
    );
  const admin = { "content-type": "application/json", authorization: `Bearer ${ADMIN}` };
  const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

  it("serves from both workers, each on an audit chain of its own, and the log verifies", async () => {
    assert.equal(workerPids(child.pid as number).length, 2);
    const cap = await capability();
    const answers = await times(12, (i) => authorize(cap, `refs/heads/agent/fix-${i}`));
    for (const a of answers) assert.equal(a.body["decision"], "allow", a.text);
    const verify = await runCli(["audit", "verify", "--config", config, "--json"]);
    assert.equal(verify.code, 0, verify.stdout);
    const report = JSON.parse(verify.stdout) as { ok: boolean; chains: { chain: string }[] };
    assert.ok(report.ok);
    assert.deepEqual(
      report.chains.map((c) => c.chain),
      ["default-w1", "default-w2"],
    );
  });

  it("GET /metrics answers every worker's decisions summed, whichever worker is asked", async () => {
    const scrapes = await times(4, () => send(`${url}/metrics`, "GET", {}));
    const authorizeCount = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith('leash_decisions_total{type="authorize"'))
        .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    for (const s of scrapes) {
      assert.equal(s.status, 200);
      assert.equal(authorizeCount(s.text), 12);
    }
  });

  it("a policy reload through one worker reaches the other", async () => {
    const cap = await capability();
    writeFileSync(join(dir, "policies", "freeze.cedar"), FREEZE);
    const mark = stderr.mark();
    const reload = await send(`${url}/v1/policy/reload`, "POST", admin, "{}");
    assert.equal(reload.status, 200, reload.text);
    await stderr.next(/reloaded on another instance's announcement/, mark);
    for (const a of await times(6, () => authorize(cap))) {
      assert.equal(a.body["decision"], "deny", a.text);
      assert.equal((a.body["reasons"] as { code: string }[])[0]?.code, "frozen");
    }
  });

  it("SIGHUP to the primary reloads the policies of every worker", async () => {
    const cap = await capability();
    unlinkSync(join(dir, "policies", "freeze.cedar"));
    const mark = stderr.mark();
    child.kill("SIGHUP");
    await stderr.next(/^leash: policies reloaded \(/, mark);
    await stderr.next(/reloaded on another instance's announcement/, mark);
    for (const a of await times(6, () => authorize(cap)))
      assert.equal(a.body["decision"], "allow", a.text);
  });

  it("a revocation made through one worker is refused by every worker", async () => {
    const cap = await capability();
    const id = JSON.parse(Buffer.from(cap.split(".")[1] as string, "base64url").toString()).jti;
    const revoke = await send(
      `${url}/v1/revoke`,
      "POST",
      admin,
      JSON.stringify({ capability_id: id }),
    );
    assert.equal(revoke.status, 200, revoke.text);
    for (const a of await times(6, () => authorize(cap))) {
      assert.equal(a.status, 401, a.text);
      assert.equal(a.body["code"], "ERR_CAPABILITY_REVOKED");
    }
  });

  it("a worker that dies is started again, later each time it dies soon after, and continues its chain", async () => {
    const before = workerPids(child.pid as number);
    const victim = before[0];
    const mark = stderr.mark();
    process.kill(victim as number, "SIGKILL");
    const died = await stderr.next(
      /worker \d exited \(signal SIGKILL\); starting it again in 1 s/,
      mark,
    );
    const index = /worker (\d)/.exec(died)?.[1];
    await stderr.next(new RegExp(`worker ${index} is serving again`), mark);
    // Dying again soon after its restart doubles the wait: a worker that crashes at once is
    // not forked every second forever.
    const again = stderr.mark();
    const restarted = workerPids(child.pid as number).find((pid) => !before.includes(pid));
    process.kill(restarted as number, "SIGKILL");
    await stderr.next(
      new RegExp(`worker ${index} exited \\(signal SIGKILL\\); starting it again in 2 s`),
      again,
    );
    await stderr.next(new RegExp(`worker ${index} is serving again`), again);
    const cap = await capability();
    for (const a of await times(6, () => authorize(cap)))
      assert.equal(a.body["decision"], "allow", a.text);
    const verify = await runCli(["audit", "verify", "--config", config, "--json"]);
    assert.equal(verify.code, 0, verify.stdout);
  });

  it("SIGTERM ends the primary and every worker, exit 0", async () => {
    const pids = workerPids(child.pid as number);
    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    assert.equal(await exit, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
  });

  it("refuses a worker count that is not 1–64 or auto, as a usage error (exit 2)", async () => {
    for (const bad of ["0", "65", "two"]) {
      const r = await runCli(["serve", "--config", config, "--workers", bad]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--workers takes a number from 1 to 64, or auto/);
    }
  });
});

describe("leash serve --workers 2 never leaves workers without a primary", () => {
  let issuer: TestIssuer;
  let dir: string;
  let config: string;
  before(async () => {
    issuer = await startTestIssuer();
    dir = mkdtempSync(join(tmpdir(), "leash-workers-orphans-"));
    config = writeServeConfig(dir, issuer.url);
  });
  after(async () => {
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = () =>
    spawn(process.execPath, [BIN, "serve", "--config", config, "--workers", "2", "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LEASH_ADMIN_TOKEN: ADMIN },
    });
  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.once("exit", (code, signal) => r({ code, signal })),
    );
  /** Polls until `check` holds, up to 20 s. */
  const eventually = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(), what);
  };
  const gone = (pid: number) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };

  it("a SIGTERM while the workers are still starting stops them too, exit 0", async () => {
    const child = serve();
    const exit = exited(child);
    const primary = child.pid as number;
    let pids: number[] = [];
    await eventually(() => {
      pids = workerPids(primary);
      return pids.length === 2;
    }, "the primary forked two workers");
    child.kill("SIGTERM");
    const { code, signal } = await exit;
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    await eventually(() => pids.every(gone), "no worker outlives the primary");
  });

  // Node's cluster workers exit when their IPC channel closes; leash relies on it.
  it("workers whose primary is killed stop by themselves", async () => {
    const child = serve();
    const exit = exited(child);
    await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });
    const pids = workerPids(child.pid as number);
    assert.equal(pids.length, 2);
    child.kill("SIGKILL");
    await exit;
    await eventually(() => pids.every(gone), "each worker left once its primary was gone");
  });
});
