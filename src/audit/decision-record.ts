/**
 * One decision as the log keeps it — wire format, snake_case, canonical JSON when hashed.
 * Field names follow OPA's decision log where they mean the same (`decision_id`, `timestamp`,
 * `input`-like `principal`/`action`/`resource`, `result`). Never a token, secret or key:
 * tokens appear only as `token_sha256`.
 */
export type DecisionType =
  | "exchange"
  | "authorize"
  | "attest"
  | "verify"
  | "approve"
  | "revoke"
  | "introspect"
  | "secret"
  | "admission"
  | "push"
  | "admin";

export type DecisionResult = "allow" | "deny" | "error";

export interface DecisionReason {
  code: string;
  message: string;
}

export interface DecisionRecord {
  decision_id: string;
  timestamp: string;
  type: DecisionType;
  result: DecisionResult;
  mode?: "enforce" | "observe";
  enforced?: boolean;
  would_deny?: boolean;
  /** Stable error or reason code for a refusal. */
  code?: string;
  reasons?: DecisionReason[];
  policies?: string[];
  policy_set_digest?: string;
  principal?: Record<string, unknown>;
  action?: string;
  resource?: Record<string, unknown>;
  evidence?: { id: string; digest?: string; kind?: string; zone?: string }[];
  artifacts?: string[];
  shadow?: Record<string, unknown>;
  latency_ms: number;
  /** Type-specific details (the trust rule matched, the capability issued, …). */
  detail?: Record<string, unknown>;
}
