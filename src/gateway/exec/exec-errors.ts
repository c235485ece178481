import { createErrorFactory, type ErrorTable } from "../../errors/index.js";

/** Codes the exec relay answers the child with (as JSON `code`) when it can't relay faithfully. */
export const EXEC_ERRORS = {
  ERR_EXEC_RELAY_UPSTREAM_UNAVAILABLE: { status: 502, error: "temporarily_unavailable" },
  ERR_EXEC_RELAY_LEASE_UNREADABLE: { status: 502, error: "server_error" },
  ERR_EXEC_RELAY_PATH_INVALID: { status: 400, error: "invalid_request" },
} as const satisfies ErrorTable;

export type ExecErrorCode = keyof typeof EXEC_ERRORS;

export const execError = createErrorFactory(EXEC_ERRORS);
