import type {
  ApprovalFacts,
  DriftCheckFacts,
  EvidenceItem,
  LockfileDiffFacts,
  ProvenanceFacts,
  TerraformPlanFacts,
  VulnerabilityScanFacts,
} from "../evidence/facts.js";
import { hasUnknownInstallScripts, stackOf } from "../evidence/index.js";
import type { AuthorizationRequest } from "./types.js";

/** Who vouches for one piece of evidence: the zone that attested it, or self-reported. */
export interface Attester {
  zone: string;
  self_reported: boolean;
}

/** Provenance is vouched for by its verifier: leash's own signature or a Sigstore bundle. */
export interface ProvenanceAttester {
  verified_by: string;
  self_reported: boolean;
}

export const ATTESTER_SETS = [
  "tests_passed",
  "lockfile_diffs",
  "lockfile_diffs_high_risk",
  "scans_clean",
  "scans_blocking",
  "plans",
  "plans_destructive",
  "drift_checks_clean",
  "approvals",
] as const;
type AttesterSet = (typeof ATTESTER_SETS)[number];

/** `context.evidence`: per kind and outcome, who vouches for evidence about this request. */
export type EvidenceContext = Record<AttesterSet, Attester[]> & {
  provenance: ProvenanceAttester[];
};

export interface SelectedEvidence {
  evidence: EvidenceContext;
  /** The commits under decision: the request's commit (else the capability's sha), or for deploy the provenance's. */
  commits: string[];
}

/**
 * Keeps the evidence whose subject matches the request and sorts it into attester sets.
 * Subject matching happens here; whether the attester is good enough (zone, self-reported)
 * is decided in the Cedar policy, where a reviewer reads it.
 */
export function selectEvidence(
  req: AuthorizationRequest,
  artifactDigest: string | null,
  nowMs: number,
): SelectedEvidence {
  const ev = emptyEvidence();
  const { principal } = req;
  const provenance = req.evidence.filter(
    (i): i is EvidenceItem & { facts: ProvenanceFacts } =>
      i.facts.kind === "provenance" && artifactDigest !== null && i.facts.digest === artifactDigest,
  );
  for (const item of provenance) {
    if (!isSourceRepository(item.facts, req)) continue;
    push(ev.provenance, { verified_by: item.facts.verifiedBy, self_reported: item.selfReported });
  }
  const head = req.commit ?? principal.sha;
  const commits =
    req.action === "deploy"
      ? provenance
          .filter((i) => !i.selfReported && isSourceRepository(i.facts, req))
          .map((i) => i.facts.commit)
      : [head];
  const own = req.evidence.filter((i) => i.repositoryId === principal.repositoryId);
  const changed = changedPackages(own, head, principal.zone);
  for (const item of own)
    sortItem(item, ev, { req, head, commits, changed, artifactDigest, nowMs });
  return { evidence: ev, commits: [...new Set(commits)] };
}

interface Match {
  req: AuthorizationRequest;
  /** The commit the change is: evidence describing or vouching for it must name it. */
  head: string;
  commits: string[];
  changed: Set<string> | null;
  artifactDigest: string | null;
  nowMs: number;
}

function sortItem(item: EvidenceItem, ev: EvidenceContext, m: Match): void {
  const who: Attester = { zone: item.zone, self_reported: item.selfReported };
  const f = item.facts;
  const forHead = item.subject.sha === m.head;
  switch (f.kind) {
    case "test-result":
      if (f.ok && item.subject.sha !== undefined && m.commits.includes(item.subject.sha)) {
        push(ev.tests_passed, who);
      }
      return;
    case "lockfile-diff":
      if (!forHead) return;
      // A partial computed diff left a lockfile out: it does not describe the change.
      if (!item.partial) push(ev.lockfile_diffs, who);
      if (isHighRisk(f)) push(ev.lockfile_diffs_high_risk, who);
      return;
    case "vulnerability-scan":
      if (forHead) push(isBlocking(f, m.changed) ? ev.scans_blocking : ev.scans_clean, who);
      return;
    case "terraform-plan":
      if (!forHead || !isAboutStack(f, m.req)) return;
      push(ev.plans, who);
      if (f.deletes.length > 0 || f.replaces.length > 0) push(ev.plans_destructive, who);
      return;
    case "drift-check":
      // A clean drift check justifies a change, so, like a scan, it must not be the actor's own.
      if (forHead && isAboutStack(f, m.req) && f.clean && item.zone !== m.req.principal.zone)
        push(ev.drift_checks_clean, who);
      return;
    case "approval":
      if (approves(f, m)) push(ev.approvals, who);
      return;
    default:
      return;
  }
}

/**
 * A plan or drift check is about a decision on the `Stack` it describes, and no other: a plan
 * of staging must not justify a change to production, nor a drift check of one stack vouch for
 * another. Another stack's plan is not about this decision even when destructive; the stack
 * under decision still needs its own plan, which counts whatever it deletes. Names compare
 * without regard to case, as `policy.production_stacks` globs do (and repository names on
 * the forges): `Production` is the production stack, for its evidence as for its approval.
 */
function isAboutStack(f: TerraformPlanFacts | DriftCheckFacts, req: AuthorizationRequest): boolean {
  if (req.resource.type !== "Stack") return false;
  return stackOf(f, req.principal.repository).toLowerCase() === req.resource.id.toLowerCase();
}

/**
 * An approval counts for exactly the action and resource it names, and only until it
 * expires; one naming a sha, only for that commit under decision. A deploy approval must
 * name the artifact's digest: a commit sha doesn't pin what is deployed (the deploy job's
 * own sha least of all).
 */
function approves(f: ApprovalFacts, m: Match): boolean {
  const { req } = m;
  const target =
    req.resource.type === "Environment" ? req.resource.id : req.resource.attrs["environment"];
  const digest = req.resource.type === "Artifact" ? req.resource.id : m.artifactDigest;
  const deploy = req.action === "deploy";
  return (
    f.action === req.action &&
    f.resourceType === req.resource.type &&
    f.resourceId === req.resource.id &&
    (f.environment === undefined || f.environment === target) &&
    (deploy ? f.digest !== undefined : true) &&
    (f.digest === undefined || f.digest === digest) &&
    (f.sha === undefined || (deploy ? m.commits.includes(f.sha) : f.sha === m.head)) &&
    f.expiresAtMs > m.nowMs
  );
}

/**
 * Names of packages added or changed by the lockfile diffs for `sha`, or null (no scoping:
 * every high or critical finding blocks). Scoping narrows what blocks, so it needs a diff
 * from a zone other than the actor's (leash's own computed diff is one): the actor could
 * diff its new lockfile against itself and leave nothing in scope. A partial computed diff
 * left a lockfile out, so it can't scope either. Once a scoping diff exists, the actor's
 * diffs and partial ones may only add names.
 */
function changedPackages(items: EvidenceItem[], sha: string, actor: string): Set<string> | null {
  const diffs = items.filter(
    (i) => i.subject.sha === sha && i.facts.kind === "lockfile-diff" && !i.selfReported,
  );
  if (!diffs.some((i) => i.zone !== actor && !i.partial)) return null;
  const facts = diffs.map((i) => i.facts as LockfileDiffFacts);
  return new Set(facts.flatMap((d) => [...d.added, ...d.changed].map((p) => p.name)));
}

/** High-risk as the parser says, or — for a diff stored before the parser knew — with install scripts unknown. */
function isHighRisk(f: LockfileDiffFacts): boolean {
  return f.highRisk || hasUnknownInstallScripts(f);
}

/**
 * High, critical — or unknown: a finding nothing scored (a scan stored before the parser
 * scored CVSS vectors, a third party's) must not pass as clean — in a changed package; with
 * no diff to scope it, in any package.
 */
function isBlocking(f: VulnerabilityScanFacts, changed: Set<string> | null): boolean {
  return f.findings.some(
    (x) => BLOCKING_SEVERITIES.has(x.severity) && (changed === null || changed.has(x.package)),
  );
}

const BLOCKING_SEVERITIES: ReadonlySet<string> = new Set(["high", "critical", "unknown"]);

function isSourceRepository(f: ProvenanceFacts, req: AuthorizationRequest): boolean {
  const { principal } = req;
  if (f.sourceRepositoryId !== undefined) return f.sourceRepositoryId === principal.repositoryId;
  return f.sourceRepository === principal.repository;
}

/** Adds `who` unless an equal record is there (sets stay small: one per attester). */
function push<T extends Attester | ProvenanceAttester>(set: T[], who: T): void {
  const same = (x: T) =>
    x.self_reported === who.self_reported &&
    ("zone" in x && "zone" in who ? x.zone === who.zone : true) &&
    ("verified_by" in x && "verified_by" in who ? x.verified_by === who.verified_by : true);
  if (!set.some(same)) set.push(who);
}

function emptyEvidence(): EvidenceContext {
  const ev = { provenance: [] } as unknown as EvidenceContext;
  for (const name of ATTESTER_SETS) ev[name] = [];
  return ev;
}
