/**
 * `leash audit anchor` and `leash audit verify --anchor` on a real SQLite store through the
 * real CLI. What the store alone cannot show — its last records deleted together with the
 * checkpoints that covered them, a whole chain deleted, a chain rewritten and re-signed with
 * a replaced key — an anchor kept elsewhere does.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { createAuditLog } from "../src/audit/index.js";
import { createManualClock } from "../src/clock/index.js";
import type { Store } from "../src/store/index.js";
import { openExampleLog, srvRecord } from "./support/example-log.js";

const DAY = 86_400_000;
const dirs: string[] = [];
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const record = srvRecord;

/** A leash store with chain `srv` open for appends (a checkpoint every 10 records), and its CLI. */
async function loggedLeash() {
  const opened = await openExampleLog("leash-anchor-", Date.now() - 100 * DAY);
  dirs.push(opened.dir);
  stores.push(opened.store);
  const { clock, log } = opened;
  let next = 1;
  const append = async (n: number, atMs = clock.now()) => {
    clock.set(atMs);
    for (let end = next + n; next < end; next++) await log.append(record(next, atMs));
  };
  return { ...opened, append };
}

/** Anchors the log into `dir`/anchor.json through the CLI; returns the file. */
async function anchor(t: Awaited<ReturnType<typeof loggedLeash>>): Promise<string> {
  const run = await t.cliText("audit", "anchor", "--out", "anchor.json");
  assert.equal(run.code, 0, run.err);
  return join(t.dir, "anchor.json");
}

test("anchor records each chain's newest signed checkpoint; the log verifies against it as it grows", async () => {
  const t = await loggedLeash();
  await t.append(25);
  const file = await anchor(t);
  const written = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(written.format, "leash-audit-anchor/v1");
  assert.deepEqual(
    written.checkpoints.map((c: { chain: string; seq: number }) => [c.chain, c.seq]),
    [["srv", 20]],
  );
  assert.deepEqual(Object.keys(written.keys), [t.kid]);
  assert.equal(written.keys[t.kid].d, undefined, "only the public key is in an anchor");

  await t.append(10);
  const verify = await t.cliText("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 0, verify.out);
  assert.match(verify.out, /^audit log intact \(and matches 1 anchored checkpoints\)$/m);
  assert.equal(
    JSON.parse((await t.cli("audit", "verify", "--anchor", "anchor.json")).out).anchored,
    1,
  );
});

test("the last records deleted with their checkpoints: verify alone can't tell, the anchor can", async () => {
  const t = await loggedLeash();
  await t.append(30);
  await anchor(t);
  t.sql("DELETE FROM decisions WHERE chain = 'srv' AND seq > 12");
  t.sql("DELETE FROM checkpoints WHERE chain = 'srv' AND seq > 12");
  assert.equal((await t.cli("audit", "verify")).code, 0, "the store alone still looks intact");
  const verify = await t.cli("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 1, verify.out);
  const { problem } = JSON.parse(verify.out);
  assert.equal(problem.chain, "srv");
  assert.equal(problem.seq, 13);
  assert.match(
    problem.what,
    /records 13\.\.30 are missing, though anchored .*: the log was truncated/,
  );
});

test("a whole chain deleted is caught by its anchor", async () => {
  const t = await loggedLeash();
  await t.append(10);
  await anchor(t);
  t.sql("DELETE FROM decisions WHERE chain = 'srv'");
  t.sql("DELETE FROM checkpoints WHERE chain = 'srv'");
  const verify = await t.cliText("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 1, verify.out);
  assert.match(verify.out, /TAMPERED: chain srv, record 10: the chain is gone, though anchored/);
});

test("a chain rewritten and re-signed with a replaced key is caught by its anchor", async () => {
  const t = await loggedLeash();
  await t.append(20);
  await anchor(t);
  // Whoever can write the store swaps the public key for one of their own, deletes the chain
  // and writes another history, with checkpoints their key signs.
  const forger = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = JSON.stringify(forger.publicKey.export({ format: "jwk" }));
  t.sql(`UPDATE signing_keys SET public_jwk = '${jwk}' WHERE kid = '${t.kid}'`);
  t.sql("DELETE FROM decisions WHERE chain = 'srv'");
  t.sql("DELETE FROM checkpoints WHERE chain = 'srv'");
  const forged = await createAuditLog({
    store: t.store,
    chain: "srv",
    clock: createManualClock(Date.now()),
    checkpointEveryRecords: 10,
    signer: { kid: () => t.kid, privateKey: () => forger.privateKey },
  });
  for (let i = 1; i <= 20; i++) await forged.append(record(i, Date.now(), "deny"));

  const verify = await t.cli("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 1, verify.out);
  const { problem } = JSON.parse(verify.out);
  assert.match(
    problem.what,
    new RegExp(`signing key ${t.kid} is not the one anchored .*: keys were replaced`),
  );
});

test("a chain rewritten and re-signed with leash's own key is caught by its anchor", async () => {
  const t = await loggedLeash();
  await t.append(20);
  await anchor(t);
  // Whoever holds the master key (or the instance itself) deletes the chain and writes
  // another history: every checkpoint verifies with the real key; only the anchor disagrees.
  t.sql("DELETE FROM decisions WHERE chain = 'srv'");
  t.sql("DELETE FROM checkpoints WHERE chain = 'srv'");
  const forged = await createAuditLog({
    store: t.store,
    chain: "srv",
    clock: createManualClock(Date.now()),
    checkpointEveryRecords: 10,
    signer: { kid: () => t.ring.current().kid, privateKey: () => t.ring.current().privateKey },
  });
  for (let i = 1; i <= 20; i++) await forged.append(record(i, Date.now(), "deny"));

  assert.equal((await t.cli("audit", "verify")).code, 0, "the store alone still looks intact");
  const verify = await t.cli("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 1, verify.out);
  const { problem } = JSON.parse(verify.out);
  assert.equal(problem.seq, 20);
  assert.equal(problem.decisionId, "dec_srv_20_deny");
  assert.match(
    problem.what,
    /the chain up to record 20 differs from anchored .*: the log was rewritten/,
  );
});

test("records pruned past the anchored one are accounted for by the recorded prune", async () => {
  const t = await loggedLeash();
  await t.append(25);
  await anchor(t);
  await t.append(5, Date.now() - DAY);
  const prune = await t.cli("audit", "prune", "--before", "90d", "--no-export");
  assert.equal(prune.code, 0, prune.err);
  assert.deepEqual(JSON.parse(prune.out).pruned, [{ chain: "srv", through_seq: 20, records: 20 }]);
  const verify = await t.cli("audit", "verify", "--anchor", "anchor.json");
  assert.equal(verify.code, 0, verify.out);
});

test("an edited anchor is refused with ERR_AUDIT_ANCHOR_INVALID (exit 1)", async () => {
  const t = await loggedLeash();
  await t.append(10);
  const file = await anchor(t);
  const edited = JSON.parse(readFileSync(file, "utf8"));
  edited.checkpoints[0].seq = 9;
  writeFileSync(join(t.dir, "edited.json"), JSON.stringify(edited));
  writeFileSync(join(t.dir, "not-json.json"), "{");
  for (const name of ["edited.json", "not-json.json"]) {
    const verify = await t.cliText("audit", "verify", "--anchor", name);
    assert.equal(verify.code, 1, verify.err);
    assert.match(
      verify.err,
      new RegExp(`ERR_AUDIT_ANCHOR_INVALID: ${name} is not a usable anchor`),
    );
    assert.equal(verify.out, "", "nothing is reported as verified");
  }
  const missing = await t.cliText("audit", "verify", "--anchor", "nowhere.json");
  assert.equal(missing.code, 2, missing.err);
  assert.match(missing.err, /--anchor nowhere\.json: the file can't be read/);
});

test("anchor refuses a log that does not verify, and an existing --out file, writing nothing", async () => {
  const t = await loggedLeash();
  await t.append(10);
  writeFileSync(join(t.dir, "anchor.json"), "keep me\n");
  const exists = await t.cliText("audit", "anchor", "--out", "anchor.json");
  assert.equal(exists.code, 2, exists.err);
  assert.match(exists.err, /the file exists; an anchor never overwrites one/);
  assert.equal(readFileSync(join(t.dir, "anchor.json"), "utf8"), "keep me\n");

  t.sql(`UPDATE decisions SET body = replace(body, '"allow"', '"deny"') WHERE seq = 5`);
  const tampered = await t.cliText("audit", "anchor", "--out", "other.json");
  assert.equal(tampered.code, 1, tampered.err);
  assert.match(
    tampered.err,
    /the log does not verify \(chain srv, record 5: .*\); nothing anchored/,
  );
  assert.equal(existsSync(join(t.dir, "other.json")), false);
});
