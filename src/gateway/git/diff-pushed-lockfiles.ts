import { posix } from "node:path";
import type { ComputedEvidence } from "../../broker/index.js";
import { LeashError } from "../../errors/index.js";
import {
  diffNpmLockfiles,
  diffPnpmLockfiles,
  type EvidenceItem,
  type LockfileDiffFacts,
  MAX_EVIDENCE_BYTES,
} from "../../evidence/index.js";
import type { RefUpdate } from "./inspect-ref-updates.js";
import { isLockfilePath } from "./lockfile-paths.js";
import { readDefaultBranchTip } from "./read-default-branch-tip.js";
import { type LockfileBlob, readLockfileBlob } from "./read-lockfile-blob.js";
import { toComputedItem, toUnreadLockfileItem } from "./to-computed-lockfile-item.js";

/** Most lockfiles leash diffs for one push; past it the rest are not diffed (fall back). */
export const MAX_LOCKFILES_PER_PUSH = 32;
/** Most lockfile bytes (both sides, every ref) leash reads for one push. */
export const MAX_LOCKFILE_BYTES_PER_PUSH = 64 * 1024 * 1024;

/** What one push may still spend on diffing lockfiles; shared by its ref updates. */
export interface LockfileBudget {
  files: number;
  bytes: number;
}

export const newLockfileBudget = (): LockfileBudget => ({
  files: MAX_LOCKFILES_PER_PUSH,
  bytes: MAX_LOCKFILE_BYTES_PER_PUSH,
});

/** The parsers `leash attest lockfile-diff` uses, by file name (a shrinkwrap is an npm lockfile). */
const DIFFERS: Readonly<Record<string, (before: string, after: string) => LockfileDiffFacts>> = {
  "package-lock.json": diffNpmLockfiles,
  "npm-shrinkwrap.json": diffNpmLockfiles,
  "pnpm-lock.yaml": diffPnpmLockfiles,
};

type Missing = ComputedEvidence["missing"][number];
type Diffed = { facts: LockfileDiffFacts } | Omit<Missing, "path">;

/**
 * Leash's own diff of every lockfile a ref update changes: the ref's old commit (for a new
 * branch, the default branch's tip, as for its paths; with none, nothing) against the pushed
 * one, with the parsers `leash attest lockfile-diff` uses. Undefined when no lockfile changes.
 * A lockfile that can't be diffed (yarn.lock, malformed, too big, deleted) is listed as
 * missing, stands as a high-risk item of its own (an approval decides what leash could not
 * read, never the actor's attested diff) and makes the others partial: they can make the
 * decision stricter, not satisfy it.
 * Throws ERR_GIT_PACK_INVALID only when git can't read the push's own objects.
 */
export async function diffPushedLockfiles(
  env: Readonly<Record<string, string>>,
  repositoryId: string,
  update: RefUpdate,
  budget: LockfileBudget,
): Promise<ComputedEvidence | undefined> {
  const paths = update.operation === "delete" ? [] : update.paths.filter(isLockfilePath);
  if (paths.length === 0) return undefined;
  const base = update.operation === "create" ? await readDefaultBranchTip(env) : update.oldId;
  const items: EvidenceItem[] = [];
  const missing: Missing[] = [];
  for (const [i, path] of paths.entries()) {
    if (budget.files === 0) {
      missing.push(pastFileLimit(path, paths.length - i));
      break;
    }
    budget.files -= 1;
    const diffed = await diffLockfile(env, { base, head: update.newId, path }, budget);
    if ("facts" in diffed)
      items.push(toComputedItem(repositoryId, update.newId, path, diffed.facts));
    else missing.push({ path, ...diffed });
  }
  // Facts about some of the lockfiles do not describe the change, but what they flag still counts.
  if (missing.length > 0) for (const item of items) item.partial = true;
  for (const m of missing) items.push(toUnreadLockfileItem(repositoryId, update.newId, m));
  return { items, missing };
}

interface LockfileAt {
  base: string | undefined;
  head: string;
  path: string;
}

async function diffLockfile(
  env: Readonly<Record<string, string>>,
  at: LockfileAt,
  budget: LockfileBudget,
): Promise<Diffed> {
  const name = posix.basename(at.path);
  const differ = DIFFERS[name];
  if (differ === undefined)
    return notDiffed(
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      `leash diffs package-lock.json, npm-shrinkwrap.json and pnpm-lock.yaml, not ${name}`,
    );
  const after = await readSide(env, at.head, at.path, budget);
  if (after.kind === "absent")
    return notDiffed("ERR_EVIDENCE_MALFORMED", "the push deletes it; no lockfile to diff into");
  const before: LockfileBlob =
    at.base === undefined ? { kind: "absent" } : await readSide(env, at.base, at.path, budget);
  if (after.kind !== "text") return unreadable(after, "pushed");
  if (before.kind !== "text" && before.kind !== "absent") return unreadable(before, "old");
  try {
    // An absent "before" is a brand-new lockfile, as `leash attest lockfile-diff` takes it.
    const facts = differ(before.kind === "text" ? before.text : "", after.text);
    return { facts };
  } catch (err) {
    // Fail closed: an unparseable lockfile yields no diff, never an empty (harmless) one.
    if (err instanceof LeashError) return notDiffed(err.code, err.message);
    return notDiffed("ERR_EVIDENCE_MALFORMED", "the lockfile could not be parsed");
  }
}

async function readSide(
  env: Readonly<Record<string, string>>,
  commit: string,
  path: string,
  budget: LockfileBudget,
): Promise<LockfileBlob> {
  const blob = await readLockfileBlob(
    env,
    commit,
    path,
    Math.min(MAX_EVIDENCE_BYTES, budget.bytes),
  );
  if (blob.kind === "text") budget.bytes -= Buffer.byteLength(blob.text, "utf8");
  return blob;
}

function unreadable(
  blob: Exclude<LockfileBlob, { kind: "text" | "absent" }>,
  side: string,
): Diffed {
  if (blob.kind === "not-a-file")
    return notDiffed("ERR_EVIDENCE_MALFORMED", `the ${side} version is not a regular file`);
  const why =
    blob.bytes > MAX_EVIDENCE_BYTES
      ? `is larger than ${MAX_EVIDENCE_BYTES} bytes`
      : `goes past the ${MAX_LOCKFILE_BYTES_PER_PUSH} lockfile bytes leash reads per push`;
  return notDiffed("ERR_EVIDENCE_TOO_LARGE", `the ${side} version (${blob.bytes} bytes) ${why}`);
}

function pastFileLimit(path: string, count: number): Missing {
  const message = `this and ${count - 1} more lockfiles are past the ${MAX_LOCKFILES_PER_PUSH} leash diffs per push`;
  return { path, code: "ERR_EVIDENCE_TOO_LARGE", message };
}

const notDiffed = (code: string, message: string): Diffed => ({ code, message });
