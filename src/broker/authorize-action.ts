import type { Capability } from "../capability/index.js";
import { sha256Hex, toCanonicalJson } from "../encoding/index.js";
import { COMPUTED_ZONE, type EvidenceItem } from "../evidence/index.js";
import {
  type PolicyDecision,
  type Principal,
  parseArtifactReference,
  type ResourceRef,
} from "../policy/index.js";
import { maskCredentials } from "../secrets/index.js";
import type { Subject } from "./attestation-statement.js";
import { authenticateCapability } from "./authenticate-capability.js";
import type { DpopInput } from "./check-dpop.js";
import type { Leash } from "./leash.js";
import { type Decided, type DraftRecord, recordDecision, startRecord } from "./record-decision.js";
import { recordableAttributes, recordableCommits } from "./recordable-request.js";
import { type EvidenceRef, resolveEvidence } from "./resolve-evidence.js";

export interface AuthorizeRequest {
  action: string;
  resource: ResourceRef;
  context: Record<string, unknown>;
  evidence: EvidenceRef[];
  /**
   * The commit under decision, set by leash's own enforcement points (the git gateway: the
   * commit a ref update pushes). Honoured only for an in-process caller holding an already
   * verified capability; never read from an agent's request.
   */
  commit?: string;
  /**
   * Evidence leash computed itself (zone "leash": the git gateway's diff of the lockfiles a
   * push changes). Like `commit`, honoured only for an in-process caller holding an already
   * verified capability; an agent's request can never carry it.
   */
  computed?: ComputedEvidence;
}

/** What an enforcement point inside leash computed for one decision, and what it could not. */
export interface ComputedEvidence {
  /** Items of zone COMPUTED_ZONE about the commit under decision. */
  items: EvidenceItem[];
  /** What could not be computed (a lockfile the parsers can't read) and why, for the record. */
  missing: { path: string; code: string; message: string }[];
}

export interface AuthorizeAnswer {
  decision: "allow" | "deny";
  mode: "enforce" | "observe";
  enforced: boolean;
  wouldDeny: boolean;
  reasons: { code: string; message: string }[];
  policies: string[];
}

/** Who asks: the capability token (and DPoP proof) as received, verified as the first step. */
export interface Caller {
  token: string | undefined;
  dpop: DpopInput | undefined;
}

/**
 * The decision an agent asks for before a sensitive action: authenticate the capability,
 * resolve and verify evidence, evaluate the active policy set (and the shadow set beside it),
 * apply the mode. Recorded whatever happens; an error anywhere is a deny.
 */
export async function authorizeAction(
  leash: Leash,
  caller: Caller | Capability,
  req: AuthorizeRequest,
): Promise<Decided<AuthorizeAnswer>> {
  const record = startRecord(leash, "authorize");
  record.action = req.action;
  const attrs = recordableAttributes(req.resource.attrs);
  const id = maskCredentials(req.resource.id);
  record.resource = { type: req.resource.type, id, ...(attrs ? { attrs } : {}) };
  const commits = recordableCommits(req.context);
  if (commits) record.detail = { ...record.detail, ...commits };
  return recordDecision(leash, record, async () => {
    const cap =
      "id" in caller ? caller : await authenticateCapability(leash, caller.token, caller.dpop);
    record.principal = toRecordPrincipal(cap);
    const resource = withConfigAttrs(leash, req.resource);
    // Only an enforcement point inside leash passes a verified capability instead of a token.
    const commit = "id" in caller ? req.commit : undefined;
    const subjects = subjectsOf(cap, commit, req.context);
    const computed = "id" in caller ? req.computed : undefined;
    const evidence = await resolveEvidence(leash, cap, req.evidence, subjects);
    evidence.push(...(computed?.items.filter((e) => e.zone === COMPUTED_ZONE) ?? []));
    noteEvidence(record, evidence, req.context);
    if (computed && computed.missing.length > 0)
      record.detail = { ...record.detail, not_computed: computed.missing };
    noteScrubbedEnvironment(record, req.context);
    const request = {
      principal: toPrincipal(cap),
      action: req.action,
      resource,
      context: req.context,
      evidence,
      ...(commit === undefined ? {} : { commit }),
    };
    const decision = leash.policy.active.evaluate(request);
    noteShadow(leash, record, request, decision);
    return applyMode(leash, record, req.action, decision);
  });
}

/**
 * Evidence is looked up by the commit under decision (the enforcement point's, else the
 * job's) and by the artifact digest a request names. An agent's `context.sha` is not a
 * subject: it only goes into the record.
 */
function subjectsOf(
  cap: Capability,
  commit: string | undefined,
  context: Record<string, unknown>,
): Subject[] {
  const sha = commit ?? cap.job.sha;
  const subjects: Subject[] = sha ? [{ sha }] : [];
  if (typeof context["artifact"] === "string") {
    const digest = parseArtifactReference(context["artifact"]).digest;
    if (digest) subjects.push({ digest });
  }
  return subjects;
}

/** Grant attributes of a Secret and the allowed hosts of a Host come from config, never from the caller. */
export function withConfigAttrs(leash: Leash, resource: ResourceRef): ResourceRef {
  if (resource.type === "Host")
    return {
      ...resource,
      attrs: { ...resource.attrs, allowed_hosts: leash.config.network.allowHosts },
    };
  if (resource.type !== "Secret") return resource;
  const grant = leash.config.secrets.find((g) => g.name === resource.id);
  return {
    ...resource,
    attrs: {
      ...resource.attrs,
      grant_zones: grant?.zones ?? [],
      grant_repository_ids: grant?.repositoryIds ?? [],
      grant_environments: grant?.environments ?? [],
    },
  };
}

export function applyMode(
  leash: Leash,
  record: DraftRecord,
  action: string,
  decision: PolicyDecision,
): AuthorizeAnswer {
  const observe =
    leash.config.policy.mode === "observe" || leash.config.policy.observeActions.includes(action);
  const denied = decision.decision === "deny";
  const answer: AuthorizeAnswer = {
    decision: observe ? "allow" : decision.decision,
    mode: observe ? "observe" : "enforce",
    enforced: !observe,
    wouldDeny: observe && denied,
    reasons: decision.reasons,
    policies: decision.policies,
  };
  Object.assign(record, {
    result: answer.decision,
    mode: answer.mode,
    enforced: answer.enforced,
    would_deny: answer.wouldDeny,
    // A reason may quote the resource id, which the caller chose (see maskCredentials).
    reasons: decision.reasons.map((r) => ({ ...r, message: maskCredentials(r.message) })),
    policies: decision.policies,
    policy_set_digest: decision.policySetDigest,
    ...(denied ? { code: decision.reasons[0]?.code ?? "denied" } : {}),
  });
  return answer;
}

/** The candidate set decides beside the active one; only disagreements are worth a line. */
export function noteShadow(
  leash: Leash,
  record: DraftRecord,
  request: Parameters<Leash["policy"]["active"]["evaluate"]>[0],
  active: PolicyDecision,
): void {
  const shadow = leash.policy.shadow;
  if (!shadow) return;
  let result: string;
  try {
    result = shadow.evaluate(request).decision;
  } catch {
    result = "error";
  }
  record.shadow = {
    decision: result,
    policy_set_digest: shadow.digest,
    disagrees: result !== active.decision,
  };
}

export function noteEvidence(
  record: DraftRecord,
  evidence: EvidenceItem[],
  context: Record<string, unknown>,
): void {
  record.evidence = evidence.map((e) => ({
    id: e.id,
    kind: e.facts.kind,
    zone: e.zone,
    ...(e.subject.digest ? { digest: e.subject.digest } : {}),
    ...(e.zone === COMPUTED_ZONE ? toComputedNote(e) : {}),
  }));
  if (typeof context["artifact"] === "string")
    record.artifacts = [maskCredentials(context["artifact"])];
  if (record.action === "deploy") {
    record.detail = { ...record.detail, provenance_verified: hasProvenance(evidence, context) };
  }
}

/**
 * What leash computed, as the record keeps it: the facts' SHA-256 (the facts themselves are
 * rebuilt from the commits at any time), the lockfile it describes and its verdict.
 */
function toComputedNote(e: EvidenceItem): Record<string, unknown> {
  const factsDigest = `sha256:${sha256Hex(toCanonicalJson(e.facts))}`;
  return {
    facts_digest: factsDigest,
    ...(e.path === undefined ? {} : { path: e.path }),
    ...(e.facts.kind === "lockfile-diff" ? { high_risk: e.facts.highRisk } : {}),
    ...(e.partial ? { partial: true } : {}),
  };
}

/** For the provenance-coverage figure: verified (not self-reported) provenance for the artifact's digest. */
function hasProvenance(evidence: EvidenceItem[], context: Record<string, unknown>): boolean {
  const raw = context["artifact"];
  const digest = typeof raw === "string" ? parseArtifactReference(raw).digest : null;
  return evidence.some(
    (e) => !e.selfReported && e.facts.kind === "provenance" && e.facts.digest === digest,
  );
}

/** The capability as the policy sees it. */
export function toPrincipal(cap: Capability): Principal {
  const j = cap.job;
  return {
    capabilityId: cap.id,
    zone: cap.zone,
    actions: cap.actions,
    repository: j.repository,
    repositoryId: j.repositoryId,
    ownerId: j.ownerId,
    ref: j.ref,
    sha: j.sha,
    workflowRef: j.workflowRef,
    jobWorkflowRef: j.jobWorkflowRef,
    event: j.event,
    ...(j.environment ? { environment: j.environment } : {}),
    runnerEnvironment: j.runnerEnvironment,
    runId: j.runId,
  };
}

/** The capability as the decision record keeps it (claims, never the token). */
export function toRecordPrincipal(cap: Capability): Record<string, unknown> {
  const j = cap.job;
  return {
    capability_id: cap.id,
    zone: cap.zone,
    subject: cap.subject,
    repository: j.repository,
    repository_id: j.repositoryId,
    ref: j.ref,
    sha: j.sha,
    run_id: j.runId,
    job_workflow_ref: j.jobWorkflowRef,
    environment: j.environment,
  };
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * `leash exec` reports the environment variables it withheld from the agent. Only names are
 * kept, and only well-formed ones: the rest of a caller's context is never copied into a
 * record, since an agent could put anything there.
 */
function noteScrubbedEnvironment(record: DraftRecord, context: Record<string, unknown>): void {
  const names = (key: string) => {
    const v = context[key];
    return Array.isArray(v)
      ? v.filter((n): n is string => typeof n === "string" && VARIABLE_NAME.test(n)).slice(0, 256)
      : [];
  };
  const removed = names("scrubbed_env");
  const refused = names("refused_env");
  if (removed.length > 0 || refused.length > 0)
    record.detail = { ...record.detail, scrubbed_env: removed, refused_env: refused };
}
