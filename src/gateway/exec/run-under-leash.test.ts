import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type RunUnderLeashOptions, runUnderLeash } from "./run-under-leash.js";

const CAPABILITY = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJjYXBfMSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

describe("runUnderLeash", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "leash-run-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function options(script: string, extra: Partial<RunUnderLeashOptions> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const opts: RunUnderLeashOptions = {
      command: process.execPath,
      args: ["-e", script],
      env: { PATH: process.env["PATH"] ?? "" },
      capability: CAPABILITY,
      cwd: dir,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      ...extra,
    };
    return { opts, out: () => out.join(""), err: () => err.join("") };
  }

  test("the child sees exactly the given env plus LEASH_CAPABILITY; both streams are masked", async () => {
    const run = options(
      "console.log(Object.keys(process.env).sort().join(',')); console.log(process.env.LEASH_CAPABILITY); console.error('cap=' + process.env.LEASH_CAPABILITY)",
    );
    const outcome = await runUnderLeash(run.opts);
    assert.deepEqual(outcome, { exitCode: 0, signal: null, relayed: false });
    const [keys, cap] = run.out().split("\n");
    assert.equal(keys, "LEASH_CAPABILITY,PATH");
    assert.equal(cap, "[REDACTED:secret]");
    assert.equal(run.err(), "cap=[REDACTED:secret]\n");
  });

  test("gitConfigForGateway becomes GIT_CONFIG_* for the child, pointed at the relay", async () => {
    const run = options(
      "const e = process.env; console.log(e.GIT_CONFIG_COUNT, e.GIT_CONFIG_KEY_0, e.GIT_CONFIG_VALUE_0 === e.LEASH_URL + '/git/')",
      {
        leashUrl: "http://127.0.0.1:9",
        gitConfigForGateway: (url) => [["url.gateway.insteadOf", `${url}/git/`]],
      },
    );
    const outcome = await runUnderLeash(run.opts);
    assert.equal(outcome.relayed, true);
    assert.equal(run.out(), "1 url.gateway.insteadOf true\n");
  });

  test("forwarded signals reach the child, and are no longer listened for afterwards", async () => {
    const signals = new EventEmitter();
    const run = options(
      "process.on('SIGHUP', () => { console.log('hup'); process.exit(3); }); console.log('ready'); setInterval(() => {}, 1000)",
      {
        signals: {
          on: (s, l) => signals.on(s, l),
          off: (s, l) => signals.off(s, l),
        },
        stdout: (t) => {
          if (t.includes("ready")) signals.emit("SIGHUP");
        },
      },
    );
    const outcome = await runUnderLeash(run.opts);
    assert.equal(outcome.exitCode, 3);
    assert.equal(signals.listenerCount("SIGHUP") + signals.listenerCount("SIGTERM"), 0);
  });

  test("a signal death is 128 + the signal number", async () => {
    const outcome = await runUnderLeash(options("process.kill(process.pid, 'SIGTERM')").opts);
    assert.deepEqual(outcome, { exitCode: 143, signal: "SIGTERM", relayed: false });
  });

  test("a command that cannot be found exits 127", async () => {
    const run = options("", { command: join(dir, "missing") });
    assert.equal((await runUnderLeash(run.opts)).exitCode, 127);
    assert.match(run.err(), /command not found/);
  });
});
