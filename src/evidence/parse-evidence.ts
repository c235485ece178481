import { diffNpmLockfiles } from "./diff-npm-lockfiles.js";
import { diffPnpmLockfiles } from "./diff-pnpm-lockfiles.js";
import { type EvidenceWhere, evidenceError, refuseEvidence } from "./evidence-error.js";
import { EVIDENCE_KINDS, type EvidenceKind } from "./evidence-kind.js";
import type { EvidenceFacts, LockfileDiffFacts } from "./facts.js";
import { readDriftCheck } from "./parse-drift-check.js";
import { parseJunitXml } from "./parse-junit-xml.js";
import { readNpmAudit } from "./parse-npm-audit.js";
import { readOsvScannerReport } from "./parse-osv-scanner-report.js";
import { parseStackName, type StackScope } from "./parse-stack-name.js";
import { readTerraformPlan } from "./parse-terraform-plan.js";
import {
  expectObject,
  type JsonObject,
  ownValue,
  parseJsonText,
  throwMalformed,
} from "./read-json.js";
import { MAX_EVIDENCE_BYTES, verifyEvidenceSize } from "./verify-evidence-size.js";

/** JSON kinds, each read from an already-parsed value. */
const JSON_READERS: Readonly<
  Record<Exclude<EvidenceKind, "junit">, (json: unknown) => EvidenceFacts>
> = {
  "npm-audit": readNpmAudit,
  osv: readOsvScannerReport,
  "lockfile-diff": readLockfileDiff,
  "terraform-plan": readTerraformPlan,
  "drift-check": readDriftCheck,
};

/** A lockfile-diff wrapper carries two lockfiles, each up to MAX_EVIDENCE_BYTES. */
const MAX_LOCKFILE_DIFF_BYTES = 2 * MAX_EVIDENCE_BYTES + 64 * 1024;

/**
 * Raw evidence of `kind` → facts. `content` is the raw text, or for JSON kinds the value already
 * parsed from the HTTP body. With a `scope`, a plan or drift check names the stack it describes
 * (the named one, else the repository's own). Throws ERR_EVIDENCE_UNKNOWN_KIND,
 * ERR_EVIDENCE_STACK_INVALID, ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_MALFORMED and the per-kind
 * codes; never returns partial facts.
 */
export function parseEvidence(
  kind: EvidenceKind,
  content: unknown,
  scope?: StackScope,
): EvidenceFacts {
  if (!EVIDENCE_KINDS.includes(kind)) {
    throw evidenceError(
      "ERR_EVIDENCE_UNKNOWN_KIND",
      `unknown evidence kind; use one of ${EVIDENCE_KINDS.join(", ")}.`,
      { kinds: [...EVIDENCE_KINDS] },
    );
  }
  // Before the content: a bad name is refused without reading a 10 MiB plan.
  const stack = scope === undefined ? undefined : parseStackName(kind, scope);
  const facts = parseContent(kind, content);
  if (stack !== undefined && (facts.kind === "terraform-plan" || facts.kind === "drift-check"))
    facts.stack = stack;
  return facts;
}

function parseContent(kind: EvidenceKind, content: unknown): EvidenceFacts {
  const where: EvidenceWhere = { kind };
  if (kind === "junit") {
    if (typeof content !== "string")
      throwMalformed(where, "expected the XML as text", { path: "" });
    return parseJunitXml(content);
  }
  const max = kind === "lockfile-diff" ? MAX_LOCKFILE_DIFF_BYTES : MAX_EVIDENCE_BYTES;
  if (typeof content === "string") return JSON_READERS[kind](parseJsonText(content, where, max));
  // Parsed JSON from the HTTP body: the same size bound, measured on its serialization.
  verifyEvidenceSize(serialize(content, where), where, max);
  return JSON_READERS[kind](content);
}

function serialize(content: unknown, where: EvidenceWhere): string {
  try {
    return JSON.stringify(content) ?? "";
  } catch {
    // Only a value nested deeper than the stack (or a cycle) gets here; no HTTP body is one.
    return throwMalformed(where, "the JSON nests too deeply to process", { path: "" });
  }
}

/** `{ lockfile, before, after }` → the differ the lockfile name picks. */
function readLockfileDiff(json: unknown): LockfileDiffFacts {
  const where: EvidenceWhere = { kind: "lockfile-diff" };
  const wrapper = expectObject(json, "", where);
  const after = readLockfileText(wrapper, "after", where);
  const before = readLockfileText(wrapper, "before", where) ?? "";
  if (after === undefined)
    return throwMalformed(where, "the `after` lockfile is missing", { path: "after" });
  const lockfile = ownValue(wrapper, "lockfile");
  if (lockfile === "package-lock.json") return diffNpmLockfiles(before, after);
  if (lockfile === "pnpm-lock.yaml") return diffPnpmLockfiles(before, after);
  throw refuseEvidence(
    "ERR_EVIDENCE_UNSUPPORTED_VERSION",
    where,
    "lockfile must be package-lock.json or pnpm-lock.yaml",
    { path: "lockfile" },
  );
}

function readLockfileText(
  wrapper: JsonObject,
  key: string,
  where: EvidenceWhere,
): string | undefined {
  const value = ownValue(wrapper, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    return throwMalformed(where, "expected the lockfile as text", { path: key });
  return value;
}
