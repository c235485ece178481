import { secretError, verifySecretName, verifySecretValue } from "../secrets/index.js";
import type { SecretRow } from "../store/index.js";
import type { Leash } from "./leash.js";
import { type Decided, recordDecision, startRecord } from "./record-decision.js";

/** What an admin learns from a put: never the value, only which version holds it now. */
export interface PutSecretResult {
  name: string;
  version: number;
  fingerprint: string;
}

// Concurrent puts of one name race on the version; a few retries settle any realistic race.
const PUT_ATTEMPTS = 3;

/**
 * Stores `value` as the next version of secret `name`, sealed under a fresh data key. The
 * caller has checked the admin token. The record names the secret, its version and the
 * value's fingerprint — never the value. Throws nothing: refusals come back recorded.
 *
 * The put is a write like any other, so it must not outlive a decision that isn't on
 * record: when the record can't be written (or a step after the put failed), the put is
 * taken back — the previous version restored, or a new secret removed.
 */
export async function putSecret(
  leash: Leash,
  name: string,
  value: string,
): Promise<Decided<PutSecretResult>> {
  const record = startRecord(leash, "secret");
  record.action = "secret.write";
  record.principal = { zone: "admin" };
  record.resource = { type: "Secret", id: name };
  let written: StoredPut | undefined;
  const decided = await recordDecision(leash, record, async () => {
    verifySecretName(name);
    verifySecretValue(value);
    written = await storeNextVersion(leash, name, value);
    const version = written.put.version;
    const fingerprint = leash.secrets.fingerprint(value);
    record.result = "allow";
    record.detail = { name, version, fingerprint };
    return { name, version, fingerprint };
  });
  if (!decided.ok && written) await undoPut(leash, written, decided.decisionId);
  return decided;
}

/** A put as stored, with the row it replaced (none for a new secret). */
interface StoredPut {
  put: SecretRow;
  previous: SecretRow | undefined;
}

/**
 * Takes back a put whose decision isn't on record. If that fails too (the database is
 * down, or another put or a rewrap came first), the operator hears of it by name and
 * version only: the value never reaches a log.
 */
async function undoPut(leash: Leash, { put, previous }: StoredPut, decisionId: string) {
  const undone = await leash.store.undoSecretPut(put, previous).catch(() => false);
  if (undone) return;
  process.stderr.write(
    `leash: secret ${put.name} version ${put.version} was stored but its decision ${decisionId} ` +
      "was not recorded, and taking the put back failed; check the secret and put it again\n",
  );
}

/** Seals at the version after the stored one and stores it, unless another put got there first. */
async function storeNextVersion(leash: Leash, name: string, value: string): Promise<StoredPut> {
  for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
    const previous = await leash.store.getSecret(name);
    const version = (previous?.version ?? 0) + 1;
    const nowMs = leash.clock.now();
    const put: SecretRow = {
      ...leash.secrets.seal(name, value, version),
      createdMs: previous?.createdMs ?? nowMs,
      updatedMs: nowMs,
    };
    if (await leash.store.putSecret(put)) return { put, previous };
  }
  throw secretError(
    "ERR_SECRET_PUT_CONFLICT",
    `secret ${name} was changed by other puts at the same time; put it again`,
  );
}
