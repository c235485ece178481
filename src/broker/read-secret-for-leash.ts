import { secretError, verifySecretName } from "../secrets/index.js";
import type { Leash } from "./leash.js";
import { recordDecision, startRecord } from "./record-decision.js";

/**
 * A secret for leash's own use — today the upstream credential of `repositories[].credential`
 * that the git gateway pushes and fetches with. No capability: never reachable from an
 * agent's request, only from leash's own code. Recorded like every release (name, purpose,
 * fingerprint). Throws ERR_SECRET_NOT_FOUND, ERR_SEALING_UNSEAL_FAILED or the store's error;
 * the caller fails closed.
 */
export async function readSecretForLeash(
  leash: Leash,
  name: string,
  purpose = "leash internal use",
): Promise<string> {
  const record = startRecord(leash, "secret");
  record.action = "secret.read";
  record.principal = { zone: "leash", internal: true };
  record.resource = { type: "Secret", id: name };
  record.detail = { name, purpose };
  const decided = await recordDecision(leash, record, async () => {
    verifySecretName(name);
    const stored = await leash.store.getSecret(name);
    if (!stored) {
      throw secretError(
        "ERR_SECRET_NOT_FOUND",
        `leash holds no secret ${name}; store it with leash secret put ${name}`,
      );
    }
    const value = leash.secrets.open(stored);
    record.result = "allow";
    record.detail = {
      ...record.detail,
      version: stored.version,
      fingerprint: leash.secrets.fingerprint(value),
    };
    return value;
  });
  if (!decided.ok) throw decided.error;
  return decided.value;
}
