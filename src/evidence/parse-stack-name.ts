import { evidenceError } from "./evidence-error.js";
import type { EvidenceKind } from "./evidence-kind.js";
import type { DriftCheckFacts, TerraformPlanFacts } from "./facts.js";

/** The kinds that describe one Terraform stack, and so name it. */
export const STACK_KINDS: ReadonlySet<EvidenceKind> = new Set(["terraform-plan", "drift-check"]);

/** Longest stack name: room for a GitHub `owner/name` (39 + 1 + 100 characters) and more. */
export const MAX_STACK_NAME_LENGTH = 256;

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Which stack a plan or drift check describes, as the attesting caller says. */
export interface StackScope {
  /** As the caller named it (`stack` of `POST /v1/attestations`, `--stack`); absent: the repository's. */
  stack?: string | undefined;
  /** The attesting capability's repository (`owner/name`), which names its own stack. */
  repository: string;
}

/**
 * The stack evidence of `kind` describes: the named one, else the repository's own; undefined
 * for kinds that describe none. Throws ERR_EVIDENCE_STACK_INVALID for a name that is not 1–256
 * characters of letters, digits, `_ . -` in `/`-separated segments, and for a stack named on a
 * kind that has none (rather than dropping what the caller meant to bind).
 */
export function parseStackName(kind: EvidenceKind, scope: StackScope): string | undefined {
  if (!STACK_KINDS.has(kind)) {
    if (scope.stack === undefined) return undefined;
    throw evidenceError(
      "ERR_EVIDENCE_STACK_INVALID",
      `${kind} evidence describes no Terraform stack; send stack only with terraform-plan or drift-check.`,
      { kind },
    );
  }
  if (scope.stack === undefined) return scope.repository;
  if (!isStackName(scope.stack)) {
    // The name is not echoed: it is whatever the caller sent, control characters included.
    throw evidenceError(
      "ERR_EVIDENCE_STACK_INVALID",
      `the stack name must be 1-${MAX_STACK_NAME_LENGTH} characters: letters, digits, '_', '.', '-' in '/'-separated segments (none '.' or '..'); name it as infra.change asks about it (the Stack id, e.g. production), or leave stack out for the repository's own stack (its owner/name).`,
      { kind, length: scope.stack.length },
    );
  }
  return scope.stack;
}

function isStackName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_STACK_NAME_LENGTH) return false;
  // Stacks compare as written, never as paths: dot segments would only mislead a reader.
  return name.split("/").every((s) => SEGMENT.test(s) && s !== "." && s !== "..");
}

/**
 * The stack a plan or drift check describes: the one its facts name, else the repository's own,
 * named by the repository's `owner/name` (the `Stack` id the git gateway asks about). Facts
 * stored before plans named a stack describe the repository's own stack.
 */
export function stackOf(facts: TerraformPlanFacts | DriftCheckFacts, repository: string): string {
  return facts.stack ?? repository;
}
