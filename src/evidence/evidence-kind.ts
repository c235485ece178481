/** The kinds of raw evidence leash parses; the `kind` field of `POST /v1/attestations`. */
export type EvidenceKind =
  | "junit"
  | "npm-audit"
  | "osv"
  | "lockfile-diff"
  | "terraform-plan"
  | "drift-check";

/** Every kind, in a stable order (for validation at the HTTP edge and for docs). */
export const EVIDENCE_KINDS: readonly EvidenceKind[] = Object.freeze([
  "junit",
  "npm-audit",
  "osv",
  "lockfile-diff",
  "terraform-plan",
  "drift-check",
]);

/** What a caller should submit instead, per kind: the second half of every refusal message. */
export const EVIDENCE_HINTS: Readonly<Record<EvidenceKind, string>> = Object.freeze({
  junit: "submit the JUnit XML report your test runner wrote (e.g. jest-junit, pytest --junitxml)",
  "npm-audit": "submit the output of `npm audit --json` (npm 7 or later)",
  osv: "submit the output of `osv-scanner --format json`",
  "lockfile-diff":
    'submit {"lockfile":"package-lock.json"|"pnpm-lock.yaml","before":"<text>","after":"<text>"} with the lockfile texts unchanged',
  "terraform-plan":
    "run `terraform plan -out plan.out` then submit `terraform show -json plan.out`",
  "drift-check":
    "run `terraform plan -refresh-only -out drift.out` then submit `terraform show -json drift.out`",
});
