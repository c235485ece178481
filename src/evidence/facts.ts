/**
 * The typed facts that evidence parsers produce and policy reads. Parsers turn raw,
 * untrusted input (JUnit XML, lockfiles, scan reports, plans) into exactly these shapes;
 * nothing downstream ever re-reads the raw text. Tagged by `kind`.
 */

/** JUnit XML → test results. `passed` = total − failures − errors − skipped. */
export interface TestResultFacts {
  kind: "test-result";
  total: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  /** true when total > 0 and there are no failures and no errors. */
  ok: boolean;
}

/** One package in a lockfile diff. */
export interface PackageChange {
  name: string;
  /** Version before (absent for an added package). */
  from?: string;
  /** Version after (absent for a removed package). */
  to?: string;
  /** A dependency the root project lists itself (not only pulled in transitively). */
  direct: boolean;
  /** The lockfile records an install script (`hasInstallScript` in npm v2/v3; `requiresBuild` in pnpm). */
  hasInstallScript: boolean;
  /** `to` is a higher semver major than `from`. */
  majorBump: boolean;
  /**
   * The version is unchanged (`from === to`) but what the lockfile pins for it is not: its
   * source (npm `resolved`, pnpm `resolution`), its integrity, or an install-time marker
   * (npm `hasInstallScript`/`bin`, pnpm `requiresBuild`/`hasBin`). Set by the lockfile parsers;
   * optional so facts built elsewhere need not carry it.
   */
  sourceChanged?: boolean;
}

/** Diff of two lockfiles (npm package-lock.json v2/v3 or pnpm-lock.yaml). */
export interface LockfileDiffFacts {
  kind: "lockfile-diff";
  lockfile: "package-lock.json" | "pnpm-lock.yaml";
  added: PackageChange[];
  removed: PackageChange[];
  changed: PackageChange[];
  /** Summary booleans the policy reads; "high risk" needs approval. */
  newDirect: number;
  newWithInstallScript: number;
  majorBumps: number;
  /** Changes with `sourceChanged` (same version, other bytes or markers). Set by the parsers. */
  sourceChanges?: number;
  /**
   * newDirect, newWithInstallScript, majorBumps or sourceChanges > 0, or install scripts are
   * not recorded and anything was added or changed. See docs/errors/evidence.md.
   */
  highRisk: boolean;
  /**
   * False when the lockfile format does not record install scripts (pnpm lockfile v9 dropped
   * `requiresBuild`), so every `hasInstallScript` is false and means "unknown", not "none";
   * the diff is then high-risk as soon as any package is added or changed.
   * Set by the evidence parsers; optional so facts built elsewhere need not carry it.
   */
  installScriptsRecorded?: boolean;
}

/**
 * `unknown` is kept for other producers; the npm audit and OSV parsers never report it: a finding
 * nothing scores (and any malicious-package finding) is `critical`, because unknown is not clean.
 */
export type Severity = "low" | "moderate" | "high" | "critical" | "unknown";

export interface VulnerabilityFinding {
  id: string;
  package: string;
  version?: string;
  severity: Severity;
}

/** npm audit JSON (v2 report format) or OSV-Scanner JSON → findings. */
export interface VulnerabilityScanFacts {
  kind: "vulnerability-scan";
  source: "npm-audit" | "osv";
  findings: VulnerabilityFinding[];
  counts: Record<Severity, number>;
}

/** `terraform show -json plan` → what the plan would do, by resource address. */
export interface TerraformPlanFacts {
  kind: "terraform-plan";
  creates: string[];
  updates: string[];
  deletes: string[];
  /** delete-then-create or create-then-delete. */
  replaces: string[];
  /** Resources that drifted outside Terraform (`resource_drift`), by address. */
  drifted: string[];
  /** The stack the plan is of (see `stackOf`); absent in facts stored before plans named one. */
  stack?: string;
}

/** `terraform plan -refresh-only -json` then `terraform show -json` → did anything drift? */
export interface DriftCheckFacts {
  kind: "drift-check";
  drifted: string[];
  clean: boolean;
  /** The stack that was checked (see `stackOf`); absent in facts stored before checks named one. */
  stack?: string;
}

/** A person's approval of one action on one resource, recorded by leash (never by an agent). */
export interface ApprovalFacts {
  kind: "approval";
  action: string;
  resourceType: string;
  resourceId: string;
  environment?: string;
  digest?: string;
  sha?: string;
  approver: string;
  expiresAtMs: number;
}

/** Verified build provenance for an artifact digest (leash-signed, or a verified Sigstore bundle). */
export interface ProvenanceFacts {
  kind: "provenance";
  /** `sha256:<hex>` of the artifact. */
  digest: string;
  sourceRepository: string;
  sourceRepositoryId?: string;
  /** The git commit the artifact was built from. */
  commit: string;
  builderId: string;
  verifiedBy: "leash" | "sigstore";
}

export type EvidenceFacts =
  | TestResultFacts
  | LockfileDiffFacts
  | VulnerabilityScanFacts
  | TerraformPlanFacts
  | DriftCheckFacts
  | ApprovalFacts
  | ProvenanceFacts;

/**
 * The attester zone of evidence leash computed itself from what it holds (the git gateway's
 * diff of the lockfiles a push changes). No capability has it (zones are a fixed list), and
 * only an in-process enforcement point can hand such evidence to a decision.
 */
export const COMPUTED_ZONE = "leash";

/**
 * One piece of evidence as the decision path hands it to policy: the facts plus who
 * produced them. `selfReported` is true for inline evidence nobody attested; the default
 * pack never lets it, or evidence from the actor's own zone, justify a write.
 */
export interface EvidenceItem {
  id: string;
  /** Zone of the capability that attested it ("" for self-reported; "admin" for approvals). */
  zone: string;
  repositoryId: string;
  selfReported: boolean;
  subject: { sha?: string; digest?: string };
  facts: EvidenceFacts;
  /** The file computed evidence (zone COMPUTED_ZONE) describes: a lockfile's path in the repository. */
  path?: string;
  /**
   * Computed evidence (zone COMPUTED_ZONE) that covers only part of the change: the gateway
   * could not read every lockfile a push changes. It may make a decision stricter (its
   * high-risk flag, its package names widen a scan's scope), never satisfy or scope one.
   */
  partial?: boolean;
}
