/**
 * The names RFC 6749 / 8693 / 7662 / 9449 give to errors on the wire. Every coded error
 * maps to exactly one, so an OAuth client library understands a refusal without
 * knowing leash.
 */
export type WireErrorName =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "invalid_token"
  | "invalid_dpop_proof"
  | "insufficient_scope"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable";

/** How a code is answered over HTTP. */
export interface ErrorKind {
  readonly status: number;
  readonly error: WireErrorName;
}

/** A table of stable codes for one domain: `ERR_<DOMAIN>_<WHAT>` → how it is answered. */
export type ErrorTable = Readonly<Record<string, ErrorKind>>;

/**
 * The one error class of leash. `code` is API (documented in docs/errors.md, asserted by
 * tests); `message` is a sentence a person can act on and never holds a token, secret or key.
 */
export class LeashError extends Error {
  readonly code: string;
  readonly status: number;
  readonly error: WireErrorName;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    detail?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LeashError";
    this.code = code;
    this.status = kind.status;
    this.error = kind.error;
    this.detail = detail;
  }
}

/**
 * Builds a throw-helper for one domain's table, so call sites read
 * `throw identityError("ERR_IDENTITY_TOKEN_EXPIRED", "…")` and the code is type-checked.
 */
export function createErrorFactory<T extends ErrorTable>(table: T) {
  return (
    code: keyof T & string,
    message: string,
    detail?: Record<string, unknown>,
    cause?: unknown,
  ) =>
    new LeashError(
      code,
      table[code] as ErrorKind,
      message,
      detail,
      cause === undefined ? undefined : { cause },
    );
}

/** True when `err` is a LeashError carrying `code` (tests and callers branch on codes, never text). */
export function hasCode(err: unknown, code: string): err is LeashError {
  return err instanceof LeashError && err.code === code;
}

/** Internal failures: anything unexpected in the decision path becomes this, and is a deny. */
export const INTERNAL_ERRORS = {
  ERR_INTERNAL: { status: 500, error: "server_error" },
  ERR_STORE_UNAVAILABLE: { status: 503, error: "temporarily_unavailable" },
  ERR_AUDIT_WRITE_FAILED: { status: 503, error: "temporarily_unavailable" },
} as const satisfies ErrorTable;

export const internalError = createErrorFactory(INTERNAL_ERRORS);

/** Turns anything thrown into a LeashError without leaking its message (it may hold secrets). */
export function toLeashError(err: unknown): LeashError {
  if (err instanceof LeashError) return err;
  return internalError(
    "ERR_INTERNAL",
    "leash failed while deciding; the request was denied. See the server log.",
    undefined,
    err,
  );
}
