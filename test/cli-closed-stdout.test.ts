/**
 * The installed CLI (`bin/leash.cjs`) when its reader stops early, as in
 * `leash audit export --format jsonl | head`: the closed pipe is no failure of the command.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runLeashCli, writeExampleConfig } from "./support/cli.js";

const BIN = new URL("../../bin/leash.cjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "leash-closed-stdout-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with its stdout closed before it writes; resolves with its exit code and stderr. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.destroy();
  let err = "";
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, err })));
}

test("audit export into a closed pipe exits 0, with nothing on stderr", async () => {
  const configFile = writeExampleConfig(dir);
  // A few records to export: each key rotation is recorded on the chain <instance_id>-cli.
  for (let i = 0; i < 3; i++) {
    const rotated = await runLeashCli(["keys", "rotate", "--config", configFile], {});
    assert.equal(rotated.code, 0, rotated.err);
  }
  const run = await runWithClosedStdout([
    "audit",
    "export",
    "--format",
    "jsonl",
    "--config",
    configFile,
  ]);
  assert.deepEqual(run, { code: 0, err: "" });
});

test("--help into a closed pipe exits 0, with nothing on stderr", async () => {
  assert.deepEqual(await runWithClosedStdout(["--help"]), { code: 0, err: "" });
});
