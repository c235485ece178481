import { z } from "zod";

/** HTTP bodies of the promotion endpoints (provenance, verify, approvals), validated at the edge. */
const digest = z
  .string()
  .regex(/^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/, "sha256:<64 hex> or sha512:<128 hex>");

/** `POST /v1/attestations` with `kind: "provenance"`: the artifact by digest. */
export const provenanceBody = z.strictObject({
  kind: z.literal("provenance"),
  artifact: z.strictObject({ name: z.string().min(1).max(512).optional(), digest }),
});

/** The identity policy, named after `gh attestation verify`'s flags. */
const identityPolicy = z.strictObject({
  repo: z.string().min(1).optional(),
  repo_id: z.string().regex(/^\d+$/).optional(),
  owner_id: z.string().regex(/^\d+$/).optional(),
  signer_repo: z.string().min(1).optional(),
  signer_workflow: z.string().min(1).optional(),
  source_ref: z.string().min(1).optional(),
  cert_oidc_issuer: z.string().url().optional(),
  deny_self_hosted_runners: z.boolean().optional(),
  predicate_type: z.string().min(1).optional(),
});

/** `POST /v1/verify`: a bundle file's content (one bundle, npm attestations, an array, or JSON lines). */
export const verifyBody = z.strictObject({
  bundle: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).min(1), z.string()]),
  digest,
  policy: identityPolicy,
});

/** `POST /v1/approvals` (admin only). */
export const approvalBody = z.strictObject({
  action: z.string().regex(/^[a-z]+(\.[a-z]+)?$/, "an action such as deploy"),
  resource: z.strictObject({
    type: z.string().regex(/^[A-Z][A-Za-z]+$/, "a resource type such as Environment"),
    id: z.string().min(1).max(1024),
  }),
  repository_id: z.string().regex(/^\d+$/, "the numeric repository id"),
  environment: z.string().min(1).max(256).optional(),
  digest: digest.optional(),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full git commit sha")
    .optional(),
  approver: z.string().min(1).max(256),
  expires_in: z.union([z.string(), z.number()]).default("1h"),
});

export type IdentityPolicyBody = z.infer<typeof identityPolicy>;
