import type { AuthorizationAnswer } from "./cedar.js";
import type { EngineConfig } from "./compile-engine-config.js";
import type { ActionPartition, PermitPlan } from "./partition-policy-set.js";
import type { PolicyInfo } from "./read-policy-annotations.js";
import { type MessageValues, renderMessage } from "./render-message.js";
import type { RequestFacts } from "./to-cedar-request.js";
import type { AuthorizationRequest, PolicyDecision, Reason } from "./types.js";

type Response = Extract<AuthorizationAnswer, { type: "success" }>["response"];

export interface ExplainInput {
  partition: ActionPartition;
  response: Response;
  req: AuthorizationRequest;
  facts: RequestFacts;
  config: EngineConfig;
  digest: string;
}

/**
 * Turns Cedar's answer on a partition into leash's decision. A forbid that holds (or fails
 * to evaluate: fail closed) denies with its @reason; otherwise a permit whose clauses all
 * hold allows; otherwise the deny lists, per applicable permit, the clauses that failed.
 */
export function explainDecision(input: ExplainInput): PolicyDecision {
  const { partition, response } = input;
  const held = new Set(response.diagnostics.reason);
  const errored = new Set(response.diagnostics.errors.map((e) => e.policyId));
  const values = () => toMessageValues(input);
  const brokenForbid = partition.forbids.find((f) => errored.has(f.id));
  if (brokenForbid !== undefined) {
    return decide(
      input,
      "deny",
      [brokenForbid.id],
      [{ code: "policy_error", message: `policy ${brokenForbid.id} failed to evaluate; denied` }],
    );
  }
  const forbids = partition.forbids.filter((f) => held.has(f.id));
  if (forbids.length > 0) {
    const v = values();
    return decide(
      input,
      "deny",
      ids(forbids),
      forbids.map((f) => reasonOf(f, "denied", v)),
    );
  }
  const permits = partition.permits.filter((p) => p.clauseIds.every((id) => held.has(id)));
  const applicable = permits.filter((p) => p.scopeId === undefined || held.has(p.scopeId));
  if (applicable.length > 0) {
    const v = values();
    const infos = applicable.map((p) => p.info);
    return decide(
      input,
      "allow",
      ids(infos),
      infos.map((f) => reasonOf(f, "allowed", v)),
    );
  }
  return explainDefaultDeny(input, held, values());
}

function explainDefaultDeny(
  input: ExplainInput,
  held: ReadonlySet<string>,
  values: MessageValues,
): PolicyDecision {
  const inScope = input.partition.permits.filter(
    (p) => p.scopeId === undefined || held.has(p.scopeId),
  );
  if (inScope.length === 0) {
    const { action, resource } = input.req;
    const message = `no policy permits ${action} on ${resource.type} ${resource.id}`;
    return decide(input, "deny", [], [{ code: "no_permit", message }]);
  }
  const reasons: Reason[] = [];
  for (const plan of inScope) {
    for (const r of failedRequirements(plan, held)) {
      const message = renderMessage(r.message, values);
      if (!reasons.some((x) => x.code === r.code && x.message === message)) {
        reasons.push({ code: r.code, message });
      }
    }
  }
  return decide(input, "deny", ids(inScope.map((p) => p.info)), reasons);
}

function failedRequirements(plan: PermitPlan, held: ReadonlySet<string>): Reason[] {
  return plan.clauseIds.flatMap((id, i) =>
    held.has(id) ? [] : [plan.info.requirements[i] as Reason],
  );
}

function reasonOf(info: PolicyInfo, fallback: string, values: MessageValues): Reason {
  return { code: info.code ?? fallback, message: renderMessage(info.reason, values) };
}

function decide(
  input: ExplainInput,
  decision: "allow" | "deny",
  policies: string[],
  reasons: Reason[],
): PolicyDecision {
  return { decision, policies, reasons, policySetDigest: input.digest };
}

function ids(infos: readonly PolicyInfo[]): string[] {
  return infos.map((i) => i.id);
}

function toMessageValues({ req, facts, config }: ExplainInput): MessageValues {
  const { principal, resource } = req;
  const repositoryId = resource.attrs["repository_id"];
  return {
    action: req.action,
    resource_type: resource.type,
    resource_id: resource.id,
    resource_repository_id:
      typeof repositoryId === "string" ? repositoryId : principal.repositoryId,
    repository: principal.repository,
    repository_id: principal.repositoryId,
    zone: principal.zone,
    sha: short(principal.sha),
    commit: facts.commits.length === 0 ? "(no commit known)" : facts.commits.map(short).join(", "),
    artifact: facts.artifact.raw === "" ? "(none)" : facts.artifact.raw,
    artifact_name: facts.artifact.name === "" ? "NAME" : facts.artifact.name,
    artifact_digest: facts.artifact.digest ?? "(not pinned)",
    environment: principal.environment || "(none)",
    control_paths: (facts.controlPaths ?? []).join(", "),
    owned_branches: config.ownedBranches.join(", "),
  };
}

function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 7) : sha;
}
