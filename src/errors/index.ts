/**
 * @module errors
 * The coded error every domain throws and the wire names it maps to. Owns no domain's
 * codes except the internal ones; each domain keeps its own table beside its code.
 * Must never put a token, secret or key into a message or detail.
 */
export type { ErrorKind, ErrorTable, WireErrorName } from "./leash-error.js";
export {
  createErrorFactory,
  hasCode,
  INTERNAL_ERRORS,
  internalError,
  LeashError,
  toLeashError,
} from "./leash-error.js";
