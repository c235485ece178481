/**
 * The report's stable JSON shape (docs/report.md). Fields are only ever added; a figure with
 * no samples is null, never 0, so a dashboard can tell "none" from "nothing measured".
 */
export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schema_version: typeof REPORT_SCHEMA_VERSION;
  generated_at: string;
  window: { since: string; until: string };
  records: number;
  credential_lifetime: CredentialLifetime;
  permission_surface: { by_rule: RuleSurface[] };
  denied_actions: DeniedActions;
  policy_latency: { by_stage: StageLatency[] };
  revocation_time: RevocationTime;
  provenance_coverage: ProvenanceCoverage;
}

export interface CredentialLifetime {
  by_zone: { zone: string; capabilities: number; median_seconds: number; max_seconds: number }[];
  write_capable: { capabilities: number; within_15_minutes: number; share: number | null };
}

export interface RuleSurface {
  rule: string;
  zones: string[];
  capabilities: number;
  granted: string[];
  used: string[];
  /** Granted but never asked for by any capability from this rule: the grants to cut. */
  unused: string[];
  /** Requests per action (any result) by capabilities from this rule. */
  uses: Record<string, number>;
}

export type DenialCategory = "writes" | "secret_reads" | "promotions";

export interface DeniedActions {
  /** Distinct `repository_id/run_id` seen in exchange records. */
  runs: number;
  denied: Record<DenialCategory, number>;
  /** Denials per 1,000 runs; null when there were no runs. */
  per_1000_runs: Record<DenialCategory, number | null>;
  /** Observe-mode decisions that enforce mode would have denied. */
  would_deny: Record<DenialCategory, number>;
}

export type LatencyStage = "exchange" | "edit" | "publish" | "deploy" | "other";

export interface StageLatency {
  stage: LatencyStage;
  decisions: number;
  p50_ms: number;
  p99_ms: number;
}

export interface RevocationTime {
  revocations: number;
  /** Revocations followed by at least one refusal of a capability they cover. */
  observed: number;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface ProvenanceCoverage {
  deploys: number;
  verified: number;
  unverified: number;
  /** Records written before deploys carried `provenance_verified`. */
  unknown: number;
  share: number | null;
}
