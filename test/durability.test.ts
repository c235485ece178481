import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startTestIssuer } from "./support/oidc-issuer.js";
import { refuseInserts } from "./support/run-sql.js";
import { exchangeForm, postForm, startTestLeash, writeServeConfig } from "./support/test-leash.js";

const bin = new URL("../../bin/leash.cjs", import.meta.url).pathname;

test("a decision the caller has seen survives kill -9 of the server", async () => {
  const issuer = await startTestIssuer();
  const dir = mkdtempSync(join(tmpdir(), "leash-crash-"));
  try {
    const config = writeServeConfig(dir, issuer.url);
    const child = spawn(process.execPath, [bin, "serve", "--config", config, "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LEASH_ADMIN_TOKEN: "t" },
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await postForm(
        `${url}/v1/token`,
        exchangeForm(await issuer.sign(issuer.githubClaims()), "zone:editing"),
      );
      assert.equal(res.status, 200);
      seen.push(String(res.body["decision_id"]));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const db = new Database(join(dir, ".leash/leash.db"), { readonly: true });
    const stored = new Set(
      (db.prepare("SELECT decision_id FROM decisions").all() as { decision_id: string }[]).map(
        (r) => r.decision_id,
      ),
    );
    db.close();
    for (const id of seen) assert.ok(stored.has(id), `decision ${id} was answered but lost`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await issuer.close();
  }
});

test("when the decision record can't be written, the exchange issues nothing (fail closed)", async () => {
  const issuer = await startTestIssuer();
  const t = await startTestLeash({ issuer });
  try {
    // A real SQLite failure on the decisions table, as a full disk or a broken volume would give.
    refuseInserts(join(t.dir, "state/leash.db"), "decisions");
    const res = await t.exchange("editing");
    assert.equal(res.status, 503);
    assert.equal(res.body["code"], "ERR_AUDIT_WRITE_FAILED");
    assert.equal(res.body["access_token"], undefined);
  } finally {
    await t.close();
    await issuer.close();
  }
});
