import { posix } from "node:path";
import type { ComputedEvidence } from "../../broker/index.js";
import { sha256Hex, toCanonicalJson } from "../../encoding/index.js";
import { COMPUTED_ZONE, type EvidenceItem, type LockfileDiffFacts } from "../../evidence/index.js";

type Missing = ComputedEvidence["missing"][number];

/** The computed diff as evidence: zone "leash", about the pushed commit, never self-reported. */
export function toComputedItem(
  repositoryId: string,
  sha: string,
  path: string,
  facts: LockfileDiffFacts,
): EvidenceItem {
  return {
    id: toItemId(`${path}\0${toCanonicalJson(facts)}`),
    zone: COMPUTED_ZONE,
    repositoryId,
    selfReported: false,
    subject: { sha },
    facts,
    path,
  };
}

/**
 * A lockfile leash could not read, as evidence that the change is high-risk: partial (it
 * describes nothing, so it neither counts as the diff nor scopes a scan) and `highRisk`, so
 * it lands in `lockfile_diffs_high_risk` and any policy that reads that set asks for an
 * approval. Without it the decision would rest on the actor's own attested diff, whose
 * before and after the actor picks: padding, corrupting or renaming a lockfile would hide
 * an install script again.
 */
export function toUnreadLockfileItem(
  repositoryId: string,
  sha: string,
  missing: Missing,
): EvidenceItem {
  const facts: LockfileDiffFacts = {
    kind: "lockfile-diff",
    // The format leash would have parsed; `path` names the file (yarn.lock has no parser).
    lockfile:
      posix.basename(missing.path) === "pnpm-lock.yaml" ? "pnpm-lock.yaml" : "package-lock.json",
    added: [],
    removed: [],
    changed: [],
    newDirect: 0,
    newWithInstallScript: 0,
    majorBumps: 0,
    sourceChanges: 0,
    highRisk: true,
    // Nothing was read, so nothing is known about install scripts either.
    installScriptsRecorded: false,
  };
  return {
    id: toItemId(`${missing.path}\0unread\0${missing.code}`),
    zone: COMPUTED_ZONE,
    repositoryId,
    selfReported: false,
    subject: { sha },
    facts,
    path: missing.path,
    partial: true,
  };
}

const toItemId = (text: string) => `lkd_${sha256Hex(text).slice(0, 24)}`;
