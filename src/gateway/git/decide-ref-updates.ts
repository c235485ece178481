import { authorizeAction, type ComputedEvidence, type Leash } from "../../broker/index.js";
import type { Capability } from "../../capability/index.js";
import type { RepositoryConfig } from "../../config/index.js";
import type { ResourceRef } from "../../policy/index.js";
import type { RefUpdate } from "./inspect-ref-updates.js";
import { isLockfilePath } from "./lockfile-paths.js";

/** Why a ref update was refused: the first denied question, as git will show it. */
export interface Refusal {
  action: string;
  code: string;
  message: string;
  decisionId: string;
}

export interface RefVerdict {
  update: RefUpdate;
  allowed: boolean;
  refusal: Refusal | undefined;
  /** Every decision asked for this ref, in order. */
  decisionIds: string[];
}

/** Infrastructure code: Terraform in HCL or JSON syntax. */
export function isInfraPath(path: string): boolean {
  return path.endsWith(".tf") || path.endsWith(".tf.json");
}

/**
 * Asks policy about every ref update: `code.write` on the branch with its operation, force
 * and paths; also `dependency.change` when a lockfile changes (with leash's own diff of the
 * lockfiles, from `lockfileDiffs`) and `infra.change` on the repository's stack when
 * Terraform does. Each question is its own decision record. An update is allowed only when
 * every question is; an error is a refusal (fail closed).
 */
export async function decideRefUpdates(
  leash: Leash,
  cap: Capability,
  repo: RepositoryConfig,
  updates: readonly RefUpdate[],
  lockfileDiffs: ReadonlyMap<RefUpdate, ComputedEvidence> = new Map(),
): Promise<RefVerdict[]> {
  const verdicts: RefVerdict[] = [];
  for (const update of updates) {
    const verdict: RefVerdict = { update, allowed: true, refusal: undefined, decisionIds: [] };
    for (const [action, resource] of questionsFor(repo, update)) {
      const computed = action === "dependency.change" ? lockfileDiffs.get(update) : undefined;
      const decided = await authorizeAction(leash, cap, {
        action,
        resource,
        // The commits the ref moves between, for the record (a create has no old one).
        context: {
          ...(update.operation === "delete" ? {} : { sha: update.newId }),
          ...(update.operation === "create" ? {} : { old_sha: update.oldId }),
        },
        evidence: [],
        // The commit under decision is the pushed one: evidence about the job's own commit
        // (its base) must not decide what the push brings.
        ...(update.operation === "delete" ? {} : { commit: update.newId }),
        ...(computed ? { computed } : {}),
      });
      verdict.decisionIds.push(decided.decisionId);
      const refusal = explainUnreadLockfiles(toRefusal(action, decided), computed);
      if (refusal && verdict.allowed) Object.assign(verdict, { allowed: false, refusal });
    }
    verdicts.push(verdict);
  }
  return verdicts;
}

function questionsFor(repo: RepositoryConfig, u: RefUpdate): [string, ResourceRef][] {
  const branch: ResourceRef = {
    type: "Branch",
    id: u.ref,
    attrs: { repository_id: repo.id, paths: u.paths, operation: u.operation, force: u.force },
  };
  const questions: [string, ResourceRef][] = [["code.write", branch]];
  if (u.paths.some(isLockfilePath)) questions.push(["dependency.change", branch]);
  if (u.paths.some(isInfraPath))
    questions.push([
      "infra.change",
      { type: "Stack", id: repo.name, attrs: { repository_id: repo.id } },
    ]);
  return questions;
}

function toRefusal(
  action: string,
  decided: Awaited<ReturnType<typeof authorizeAction>>,
): Refusal | undefined {
  const { decisionId } = decided;
  if (!decided.ok) {
    return { action, code: decided.error.code, message: decided.error.message, decisionId };
  }
  if (decided.value.decision === "allow") return undefined;
  const reason = decided.value.reasons[0] ?? { code: "denied", message: `${action} was denied` };
  return { action, code: reason.code, message: reason.message, decisionId };
}

/**
 * Where leash could not diff a lockfile itself, the refusal says which one and why: a missing
 * diff is then the agent's to attest, and the change needs an admin approval whatever that
 * diff says (what leash could not read counts as high-risk).
 */
function explainUnreadLockfiles(
  refusal: Refusal | undefined,
  computed: ComputedEvidence | undefined,
): Refusal | undefined {
  if (!refusal || !computed || computed.missing.length === 0) return refusal;
  const why = computed.missing.map((m) => `${m.path} (${m.code}: ${m.message})`).join("; ");
  if (refusal.code === "lockfile_diff_missing")
    return {
      ...refusal,
      message: `${refusal.message}; leash could not diff ${why}, so the change also needs an admin approval`,
    };
  if (refusal.code === "high_risk_needs_approval")
    return {
      ...refusal,
      message: `${refusal.message}; leash could not read ${why}, which counts as high-risk`,
    };
  return refusal;
}
