import { z } from "zod";
import { brokerError } from "../broker/index.js";
import { EVIDENCE_KINDS } from "../evidence/index.js";

/** HTTP bodies, validated at the edge with zod; use cases receive typed values only. */
const RESOURCE_TYPES = [
  "Repository",
  "Branch",
  "Package",
  "Stack",
  "Secret",
  "Artifact",
  "Environment",
  "Host",
  "Path",
  "Tool",
] as const;

const subject = z.union([
  z.strictObject({
    sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full git commit sha"),
  }),
  z.strictObject({
    digest: z.string().regex(/^sha(256|512):[0-9a-f]{64,128}$/, "sha256:<hex> or sha512:<hex>"),
  }),
]);

// The stack a plan or drift check describes. Only its type is checked here: the evidence
// domain checks the name (ERR_EVIDENCE_STACK_INVALID), whichever edge it came through.
const stack = z.string().optional();

const evidenceRef = z.union([
  z.string().regex(/^att_[A-Za-z0-9_-]+$/),
  z.strictObject({ id: z.string().regex(/^att_[A-Za-z0-9_-]+$/) }),
  z.strictObject({
    kind: z.enum(EVIDENCE_KINDS as unknown as [string, ...string[]]),
    subject,
    stack,
    content: z.unknown(),
  }),
]);

export const authorizeBody = z.strictObject({
  action: z.string().regex(/^[a-z]+(\.[a-z]+)?$/, "an action such as code.write or deploy"),
  resource: z.strictObject({
    type: z.enum(RESOURCE_TYPES),
    id: z.string().min(1).max(1024),
    attrs: z.record(z.string(), z.unknown()).default({}),
  }),
  context: z.record(z.string(), z.unknown()).default({}),
  evidence: z.array(evidenceRef).max(64).default([]),
});

/** POST /v1/authorize/batch: the questions of one agent tool call, decided in order. */
export const authorizeBatchBody = z.strictObject({
  requests: z.array(authorizeBody).min(1).max(32),
});

export const attestBody = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS as unknown as [string, ...string[]]),
  subject,
  stack,
  content: z.unknown(),
});

/** Parses `value` with `schema`, or throws ERR_REQUEST_MALFORMED naming the first bad path. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path =
    issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") ?? "";
  throw brokerError("ERR_REQUEST_MALFORMED", `body${path}: ${issue?.message ?? "invalid"}`, {
    path: `body${path}`,
  });
}
