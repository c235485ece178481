/**
 * What a decision record keeps of a caller's request beyond the action and the resource's
 * type and id. A caller can put anything into attributes and context, so nothing is copied
 * wholesale: only well-formed values of the attributes leash itself defines — the paths a
 * write changes, the ref operation, force, the repository — and commit ids. That is what
 * an investigation asks of a write ("which files, on which branch, from which commit to
 * which?") without letting a record carry whatever an agent chose to send.
 */

import { maskCredentials } from "../secrets/index.js";

const MAX_PATHS = 256;
const MAX_PATH_LENGTH = 1024;
const OPERATIONS: ReadonlySet<unknown> = new Set(["create", "update", "delete"]);
const REPOSITORY_ID = /^\d{1,20}$/;
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a path with control characters is refused here.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The resource attributes a record keeps, or undefined when none qualifies. */
export function recordableAttributes(
  attrs: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, unknown> = {};
  const paths = attrs["paths"];
  if (Array.isArray(paths)) {
    const kept = paths.filter(isPath);
    out["paths"] = kept.slice(0, MAX_PATHS).map(maskCredentials);
    // The record says so when it holds fewer paths than the request named.
    if (kept.length > MAX_PATHS || kept.length !== paths.length) out["paths_count"] = paths.length;
  }
  if (OPERATIONS.has(attrs["operation"])) out["operation"] = attrs["operation"];
  if (typeof attrs["force"] === "boolean") out["force"] = attrs["force"];
  const repositoryId = attrs["repository_id"];
  if (typeof repositoryId === "string" && REPOSITORY_ID.test(repositoryId))
    out["repository_id"] = repositoryId;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The commit ids of the context (`sha`, and `old_sha` for a ref update), when well-formed. */
export function recordableCommits(
  context: Readonly<Record<string, unknown>>,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of ["sha", "old_sha"]) {
    const value = context[key];
    if (typeof value === "string" && COMMIT_ID.test(value)) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isPath(p: unknown): p is string {
  return typeof p === "string" && p.length > 0 && p.length <= MAX_PATH_LENGTH && !CONTROL.test(p);
}
