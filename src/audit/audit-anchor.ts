import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { Store } from "../store/index.js";
import { auditError } from "./audit-errors.js";
import {
  type CheckpointJson,
  fromCheckpointJson,
  toCheckpointJson,
  verifyCheckpointSignature,
} from "./checkpoint.js";
import type { AuditProblem, AuditVerification } from "./verify-audit-log.js";

/**
 * An anchor: the newest signed checkpoint of every chain, with the public keys that signed
 * them, kept outside leash's store (object storage with a retention lock, a ticket, a
 * transparency log). The store alone cannot prove that nothing was cut off its end: whoever
 * can write to it can delete the last records together with the checkpoints covering them,
 * or a whole chain. An anchor taken earlier can — `leash audit verify --anchor FILE`.
 */
export interface AuditAnchor {
  format: typeof ANCHOR_FORMAT;
  created_at: string;
  checkpoints: CheckpointJson[];
  /** Public JWKs by kid: the anchor is checked with the keys it recorded, not the store's. */
  keys: Record<string, JsonWebKey>;
}

export const ANCHOR_FORMAT = "leash-audit-anchor/v1";

/** The anchor of the log as it is now: each chain's newest checkpoint and the keys that signed them. */
export async function createAuditAnchor(store: Store, nowMs: number): Promise<AuditAnchor> {
  const publicJwks = new Map(
    (await store.listSigningKeys()).map((k) => [k.kid, JSON.parse(k.publicJwk) as JsonWebKey]),
  );
  const checkpoints: CheckpointJson[] = [];
  const keys: Record<string, JsonWebKey> = {};
  for (const chain of await store.listChains()) {
    const cp = (await store.listCheckpoints(chain)).at(-1);
    const jwk = cp && publicJwks.get(cp.kid);
    if (!cp || !jwk) continue;
    checkpoints.push(toCheckpointJson(cp));
    keys[cp.kid] = jwk;
  }
  return { format: ANCHOR_FORMAT, created_at: new Date(nowMs).toISOString(), checkpoints, keys };
}

/**
 * Reads an anchor file's text; throws ERR_AUDIT_ANCHOR_INVALID, naming the file and what is
 * wrong, when it is not an anchor or a checkpoint in it is not signed by the key it names.
 */
export function parseAuditAnchor(text: string, file: string): AuditAnchor {
  const invalid = (what: string) =>
    auditError(
      "ERR_AUDIT_ANCHOR_INVALID",
      `${file} is not a usable anchor: ${what}; give a file written by leash audit anchor`,
    );
  let anchor: AuditAnchor;
  try {
    anchor = JSON.parse(text) as AuditAnchor;
  } catch {
    throw invalid("it is not JSON");
  }
  if (anchor?.format !== ANCHOR_FORMAT || !Array.isArray(anchor.checkpoints) || !anchor.keys)
    throw invalid(`its format is not ${ANCHOR_FORMAT}`);
  for (const cp of anchor.checkpoints) {
    const jwk = typeof cp?.kid === "string" ? anchor.keys[cp.kid] : undefined;
    const key = jwk && toPublicKey(jwk);
    if (!key || !verifyCheckpointSignature(fromCheckpointJson(cp), key))
      throw invalid(`the checkpoint of chain ${String(cp?.chain)} is not signed by its key`);
  }
  return anchor;
}

/**
 * What the anchor proves about a log that verified on its own: every chain it names still
 * exists, reaches the anchored record (or was pruned past it by a recorded prune, which the
 * verification already checked), and that record still has the anchored hash — so nothing
 * up to it was rewritten, and no tail beyond it was cut together with its checkpoints.
 * The store's signing keys must be the anchor's: replacing a key is how a rewrite is re-signed.
 */
export async function checkAuditAnchor(
  store: Store,
  verification: AuditVerification,
  anchor: AuditAnchor,
): Promise<AuditProblem | undefined> {
  const storeKeys = new Map((await store.listSigningKeys()).map((k) => [k.kid, k.publicJwk]));
  const when = `anchored ${anchor.created_at}`;
  for (const cp of anchor.checkpoints) {
    const at = (seq: number, what: string): AuditProblem => ({
      chain: cp.chain,
      seq,
      decisionId: undefined,
      what,
    });
    const stored = storeKeys.get(cp.kid);
    if (stored !== undefined && !sameKey(stored, anchor.keys[cp.kid]))
      return at(
        cp.seq,
        `signing key ${cp.kid} is not the one ${when} recorded: keys were replaced`,
      );
    const report = verification.chains.find((c) => c.chain === cp.chain);
    if (!report) return at(cp.seq, `the chain is gone, though ${when} it reached record ${cp.seq}`);
    if (report.prunedThrough >= cp.seq) continue;
    if (report.lastSeq < cp.seq)
      return at(
        report.lastSeq + 1,
        `records ${report.lastSeq + 1}..${cp.seq} are missing, though ${when}: the log was truncated`,
      );
    const [row] = await store.queryDecisions({ chain: cp.chain, afterSeq: cp.seq - 1, limit: 1 });
    if (row?.seq !== cp.seq || row.hash !== cp.hash)
      return {
        ...at(
          cp.seq,
          `the chain up to record ${cp.seq} differs from ${when}: the log was rewritten`,
        ),
        decisionId: row?.decisionId,
      };
  }
  return undefined;
}

function toPublicKey(jwk: JsonWebKey): KeyObject | undefined {
  try {
    return createPublicKey({ key: jwk, format: "jwk" });
  } catch {
    return undefined;
  }
}

/** Same public key: compared as keys, not as JSON text (member order may differ). */
function sameKey(storedJwk: string, anchored: JsonWebKey | undefined): boolean {
  const a = toPublicKey(JSON.parse(storedJwk) as JsonWebKey);
  const b = anchored && toPublicKey(anchored);
  return a !== undefined && b !== undefined && a.equals(b);
}
