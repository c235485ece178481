import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const SEALING_ERRORS = {
  ERR_SEALING_MASTER_KEY_INVALID: { status: 500, error: "server_error" },
  ERR_SEALING_UNSEAL_FAILED: { status: 500, error: "server_error" },
} as const satisfies ErrorTable;

export const sealingError = createErrorFactory(SEALING_ERRORS);
