import { createErrorFactory, type ErrorTable } from "../../errors/index.js";

/** Stable codes of the git push gateway (documented in docs/errors/gateway.md). */
export const GIT_ERRORS = {
  ERR_GIT_NOT_FOUND: { status: 404, error: "invalid_request" },
  ERR_GIT_REPOSITORY_UNKNOWN: { status: 404, error: "invalid_target" },
  ERR_GIT_REPOSITORY_MISMATCH: { status: 403, error: "insufficient_scope" },
  ERR_GIT_READ_DENIED: { status: 403, error: "access_denied" },
  ERR_GIT_PUSH_MALFORMED: { status: 400, error: "invalid_request" },
  ERR_GIT_PUSH_TOO_LARGE: { status: 413, error: "invalid_request" },
  ERR_GIT_PACK_INVALID: { status: 400, error: "invalid_request" },
  ERR_GIT_LOCKFILE_SYMLINK: { status: 403, error: "access_denied" },
  ERR_GIT_UPSTREAM_UNAVAILABLE: { status: 502, error: "temporarily_unavailable" },
} as const satisfies ErrorTable;

export type GitErrorCode = keyof typeof GIT_ERRORS;

export const gitError = createErrorFactory(GIT_ERRORS);

/** What can't be inspected is not pushed: a commit or object the push names can't be read. */
export const uninspectable = (why: string) =>
  gitError("ERR_GIT_PACK_INVALID", `the push could not be inspected: ${why}`);
