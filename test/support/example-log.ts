import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuditLog, type DecisionRecord } from "../../src/audit/index.js";
import { createKeyRing } from "../../src/capability/index.js";
import { createManualClock } from "../../src/clock/index.js";
import { loadConfig } from "../../src/config/index.js";
import { loadMasterKey } from "../../src/sealing/index.js";
import { openStore } from "../../src/store/index.js";
import { runLeashCli, writeExampleConfig } from "./cli.js";
import { runSql } from "./run-sql.js";

/**
 * A leash on the shipped example config in a new temp dir (`prefix…`), its store open and
 * the chain `srv` written through the real audit log (a checkpoint every 10 records) on a
 * manual clock at `startMs`; with its CLI (`cli` adds --json) and its SQLite file (`sql`).
 * The caller closes `store` and removes `dir`.
 */
export async function openExampleLog(prefix: string, startMs: number) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const configFile = writeExampleConfig(dir);
  const env = { LEASH_MASTER_KEY: randomBytes(32).toString("base64") };
  const config = loadConfig(configFile);
  const store = await openStore(config.store);
  const clock = createManualClock(startMs);
  const ring = createKeyRing({
    store,
    kek: loadMasterKey({ envValue: env.LEASH_MASTER_KEY, stateDir: config.stateDir }),
    clock,
  });
  await ring.load();
  const log = await createAuditLog({
    store,
    chain: "srv",
    clock,
    checkpointEveryRecords: 10,
    signer: { kid: () => ring.current().kid, privateKey: () => ring.current().privateKey },
  });
  const cli = (...argv: string[]) =>
    runLeashCli([...argv, "--config", configFile, "--json"], env, dir);
  const cliText = (...argv: string[]) => runLeashCli([...argv, "--config", configFile], env, dir);
  const sql = (text: string) => runSql(join(dir, "state", "leash.db"), text);
  return {
    dir,
    configFile,
    env,
    store,
    clock,
    ring,
    kid: ring.current().kid,
    log,
    cli,
    cliText,
    sql,
  };
}

/** Record `i` of chain `srv`: an authorize of code.write at `ms`. */
export function srvRecord(
  i: number,
  ms: number,
  result: "allow" | "deny" = "allow",
): DecisionRecord {
  return {
    decision_id: result === "allow" ? `dec_srv_${i}` : `dec_srv_${i}_${result}`,
    timestamp: new Date(ms).toISOString(),
    type: "authorize",
    result,
    action: "code.write",
    latency_ms: 0.2,
  };
}
