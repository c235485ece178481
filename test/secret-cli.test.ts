/**
 * `leash secret` end to end: put and get against a real server, and `rotate-master` offline
 * against the store, with the master key from LEASH_MASTER_KEY or from the key file.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLeash, putSecret, readSecretForLeash } from "../src/broker/index.js";
import { loadConfig } from "../src/config/index.js";
import { hasCode } from "../src/errors/index.js";
import { runLeashCli, writeExampleConfig } from "./support/cli.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { ADMIN_TOKEN, startTestLeash, type TestLeash } from "./support/test-leash.js";

const VALUE = "ghs_cliSecretValue_5b1f0e9d7c";

describe("leash secret put / get", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let env: Record<string, string>;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({
      issuer,
      extra: { secrets: [{ name: "GH_TOKEN", zones: ["editing"], repository_ids: ["74"] }] },
    });
    const cap = String((await t.exchange("editing")).body["access_token"]);
    env = { LEASH_URL: t.url, LEASH_ADMIN_TOKEN: ADMIN_TOKEN, LEASH_CAPABILITY: cap };
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  test("put --from-env stores it; get prints the value and nothing else", async () => {
    const put = await runLeashCli(["secret", "put", "GH_TOKEN", "--from-env", "V"], {
      ...env,
      V: VALUE,
    });
    assert.equal(put.code, 0, put.err);
    assert.match(put.out, /^stored GH_TOKEN version 1 \(hmac-sha256:[0-9a-f]{64}\)\n$/);
    assert.ok(!put.out.includes(VALUE));
    const get = await runLeashCli(["secret", "get", "GH_TOKEN", "--purpose", "push tags"], env);
    assert.deepEqual([get.code, get.out, get.err], [0, VALUE, ""]);
  });

  test("put --from-file drops one trailing newline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leash-secret-"));
    try {
      writeFileSync(join(dir, "v"), `${VALUE}-2\n`);
      const put = await runLeashCli(
        ["secret", "put", "GH_TOKEN", "--from-file", "v", "--json"],
        env,
        dir,
      );
      assert.equal(put.code, 0, put.err);
      assert.equal(JSON.parse(put.out).version, 2);
      const get = await runLeashCli(["secret", "get", "GH_TOKEN", "--purpose", "p"], env);
      assert.equal(get.out, `${VALUE}-2`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const failures: [string, string[], Record<string, string>, number, RegExp][] = [
    ["get without a purpose", ["secret", "get", "GH_TOKEN"], {}, 1, /purpose_missing/],
    [
      "get of a secret not granted",
      ["secret", "get", "OTHER", "--purpose", "p"],
      {},
      1,
      /secret_not_granted/,
    ],
    [
      "put with both sources",
      ["secret", "put", "GH_TOKEN", "--from-env", "V", "--from-file", "f"],
      { V: "x" },
      2,
      /exactly one/,
    ],
    [
      "put from an unset variable",
      ["secret", "put", "GH_TOKEN", "--from-env", "NOPE"],
      {},
      2,
      /NOPE/,
    ],
    [
      "put with a wrong admin token",
      ["secret", "put", "GH_TOKEN", "--from-env", "V"],
      { V: "x", LEASH_ADMIN_TOKEN: "wrong" },
      1,
      /ERR_ADMIN_UNAUTHENTICATED/,
    ],
  ];
  for (const [what, argv, extra, code, stderr] of failures) {
    test(`${what}: exit ${code}, the reason on stderr, nothing on stdout`, async () => {
      const run = await runLeashCli(argv, { ...env, ...extra });
      assert.equal(run.code, code);
      assert.match(run.err, stderr);
      assert.equal(run.out, "");
    });
  }

  test("list shows names and versions", async () => {
    const list = await runLeashCli(["secret", "list", "--json"], env);
    assert.equal(list.code, 0, list.err);
    assert.deepEqual(
      JSON.parse(list.out).secrets.map((s: { name: string; version: number }) => [
        s.name,
        s.version,
      ]),
      [["GH_TOKEN", 2]],
    );
  });
});

describe("leash secret rotate-master", () => {
  const key = () => randomBytes(32).toString("base64");
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A fresh folder with a leash.yaml whose store and state live inside it. */
  function newConfig(): { dir: string; configFile: string } {
    const dir = mkdtempSync(join(tmpdir(), "leash-rotate-"));
    dirs.push(dir);
    return { dir, configFile: writeExampleConfig(dir) };
  }

  /** Seeds the store through the real composition root: a signing key and one secret. */
  async function seed(configFile: string, env: Record<string, string>, name: string) {
    const leash = await createLeash(loadConfig(configFile), { env });
    try {
      assert.ok((await putSecret(leash, name, `${VALUE}-${name}`)).ok);
    } finally {
      await leash.close();
    }
  }
  async function open(configFile: string, env: Record<string, string>, name: string) {
    const leash = await createLeash(loadConfig(configFile), { env });
    try {
      return await readSecretForLeash(leash, name);
    } finally {
      await leash.close();
    }
  }

  test("with LEASH_MASTER_KEY: everything opens with the new key and nothing with the old", async () => {
    const { configFile } = newConfig();
    const oldKey = key();
    const newKey = key();
    await seed(configFile, { LEASH_MASTER_KEY: oldKey }, "A");
    const run = await runLeashCli(["secret", "rotate-master", "--config", configFile, "--json"], {
      LEASH_MASTER_KEY: oldKey,
      LEASH_NEW_MASTER_KEY: newKey,
    });
    assert.equal(run.code, 0, run.err);
    const { decision_id, ...counts } = JSON.parse(run.out);
    assert.deepEqual(counts, { rotated: true, secrets: 1, signing_keys: 1 });
    assert.match(run.err, /set LEASH_MASTER_KEY/);
    // The rotation is a decision of the log like any other, and the log still verifies.
    const recorded = await runLeashCli(
      ["audit", "query", "--decision", decision_id, "--config", configFile, "--json"],
      { LEASH_MASTER_KEY: newKey },
    );
    assert.equal(recorded.code, 0, recorded.err);
    const lines = recorded.out.trim().split("\n");
    assert.equal(lines.length, 1, recorded.out);
    const record = JSON.parse(lines[0] as string);
    assert.equal(record.type, "admin");
    assert.equal(record.action, "master_key.rotate");
    assert.equal(record.principal.via, "cli");
    assert.deepEqual(record.detail, { secrets: 1, signing_keys: 1, key_source: "env" });
    assert.doesNotMatch(recorded.out, new RegExp(`${oldKey}|${newKey}`.replace(/\+/g, "\\+")));
    const verify = await runLeashCli(["audit", "verify", "--config", configFile, "--json"], {
      LEASH_MASTER_KEY: newKey,
    });
    assert.equal(verify.code, 0, verify.out);
    assert.equal(await open(configFile, { LEASH_MASTER_KEY: newKey }, "A"), `${VALUE}-A`);
    // The signing keys moved too: leash does not even start with the old key.
    await assert.rejects(open(configFile, { LEASH_MASTER_KEY: oldKey }, "A"), (e) =>
      hasCode(e, "ERR_SEALING_UNSEAL_FAILED"),
    );
    // A second run with the now-stale key changes nothing and says why.
    const again = await runLeashCli(["secret", "rotate-master", "--config", configFile], {
      LEASH_MASTER_KEY: oldKey,
      LEASH_NEW_MASTER_KEY: key(),
    });
    assert.equal(again.code, 2);
    assert.match(again.err, /ERR_SEALING_UNSEAL_FAILED/);
    assert.equal(await open(configFile, { LEASH_MASTER_KEY: newKey }, "A"), `${VALUE}-A`);
  });

  test("with the key file: the new key replaces the file (0600) after the store commits", async () => {
    const { dir, configFile } = newConfig();
    await seed(configFile, {}, "B");
    const keyFile = join(dir, "state", "master.key");
    const newKey = key();
    const run = await runLeashCli(["secret", "rotate-master", "--config", configFile], {
      LEASH_NEW_MASTER_KEY: newKey,
    });
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^re-wrapped 1 secret\(s\) and 1 signing key\(s\) \(recorded as dec_\S+\)\n$/,
    );
    assert.equal(readFileSync(keyFile, "utf8").trim(), newKey);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(existsSync(`${keyFile}.new`), false);
    assert.equal(await open(configFile, {}, "B"), `${VALUE}-B`);
  });

  const usage: [string, Record<string, string>][] = [
    ["no new key", { LEASH_MASTER_KEY: key() }],
    ["no current key and no key file", { LEASH_NEW_MASTER_KEY: key() }],
    [
      "a new key that is not 32 bytes",
      { LEASH_MASTER_KEY: key(), LEASH_NEW_MASTER_KEY: "c2hvcnQ=" },
    ],
  ];
  for (const [what, env] of usage) {
    test(`${what} is a usage error (exit 2) and writes nothing`, async () => {
      const { dir, configFile } = newConfig();
      const run = await runLeashCli(["secret", "rotate-master", "--config", configFile], env);
      assert.equal(run.code, 2, run.err);
      assert.equal(existsSync(join(dir, "state")), false);
    });
  }
});
