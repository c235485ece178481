import { secretError, verifySecretName, verifySecretValue } from "../secrets/index.js";
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
  return recordDecision(leash, record, async () => {
    verifySecretName(name);
    verifySecretValue(value);
    const version = await storeNextVersion(leash, name, value);
    const fingerprint = leash.secrets.fingerprint(value);
    record.result = "allow";
    record.detail = { name, version, fingerprint };
    return { name, version, fingerprint };
  });
}

/** Seals at the version after the stored one and stores it, unless another put got there first. */
async function storeNextVersion(leash: Leash, name: string, value: string): Promise<number> {
  for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
    const current = await leash.store.getSecret(name);
    const version = (current?.version ?? 0) + 1;
    const nowMs = leash.clock.now();
    const stored = await leash.store.putSecret({
      ...leash.secrets.seal(name, value, version),
      createdMs: current?.createdMs ?? nowMs,
      updatedMs: nowMs,
    });
    if (stored) return version;
  }
  throw secretError(
    "ERR_SECRET_PUT_CONFLICT",
    `secret ${name} was changed by other puts at the same time; put it again`,
  );
}
