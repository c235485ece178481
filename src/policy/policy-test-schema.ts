import { z } from "zod";

// The YAML policy-test format, after snake_case keys of `principal` and `evidence` were
// turned into camelCase. `resource.attrs` and `context` keep wire (snake_case) keys.

const severity = z.enum(["low", "moderate", "high", "critical", "unknown"]);
const packageChange = z.strictObject({
  name: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  direct: z.boolean().default(false),
  hasInstallScript: z.boolean().default(false),
  majorBump: z.boolean().default(false),
  sourceChanged: z.boolean().optional(),
});
const severityCounts = z.strictObject({
  low: z.number(),
  moderate: z.number(),
  high: z.number(),
  critical: z.number(),
  unknown: z.number(),
});

const facts = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("test-result"),
    total: z.number(),
    passed: z.number(),
    failures: z.number(),
    errors: z.number(),
    skipped: z.number(),
    ok: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal("lockfile-diff"),
    lockfile: z.enum(["package-lock.json", "pnpm-lock.yaml"]),
    added: z.array(packageChange).default([]),
    removed: z.array(packageChange).default([]),
    changed: z.array(packageChange).default([]),
    newDirect: z.number().default(0),
    newWithInstallScript: z.number().default(0),
    majorBumps: z.number().default(0),
    sourceChanges: z.number().optional(),
    highRisk: z.boolean(),
    installScriptsRecorded: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal("vulnerability-scan"),
    source: z.enum(["npm-audit", "osv"]),
    findings: z.array(
      z.strictObject({
        id: z.string(),
        package: z.string(),
        version: z.string().optional(),
        severity,
      }),
    ),
    counts: severityCounts.default({ low: 0, moderate: 0, high: 0, critical: 0, unknown: 0 }),
  }),
  z.strictObject({
    kind: z.literal("terraform-plan"),
    creates: z.array(z.string()).default([]),
    updates: z.array(z.string()).default([]),
    deletes: z.array(z.string()).default([]),
    replaces: z.array(z.string()).default([]),
    drifted: z.array(z.string()).default([]),
    stack: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal("drift-check"),
    drifted: z.array(z.string()).default([]),
    clean: z.boolean(),
    stack: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal("approval"),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    environment: z.string().optional(),
    digest: z.string().optional(),
    sha: z.string().optional(),
    approver: z.string(),
    expiresAtMs: z.number(),
  }),
  z.strictObject({
    kind: z.literal("provenance"),
    digest: z.string(),
    sourceRepository: z.string(),
    sourceRepositoryId: z.string().optional(),
    commit: z.string(),
    builderId: z.string(),
    verifiedBy: z.enum(["leash", "sigstore"]),
  }),
]);

export const evidenceItemSchema = z.strictObject({
  id: z.string(),
  zone: z.string(),
  repositoryId: z.string(),
  selfReported: z.boolean(),
  subject: z.strictObject({ sha: z.string().optional(), digest: z.string().optional() }),
  facts,
});

export const principalSchema = z.strictObject({
  capabilityId: z.string(),
  zone: z.enum(["planning", "editing", "validation", "publishing", "deployment"]),
  actions: z.array(z.string()),
  repository: z.string(),
  repositoryId: z.string(),
  ownerId: z.string(),
  ref: z.string(),
  sha: z.string(),
  workflowRef: z.string(),
  jobWorkflowRef: z.string(),
  event: z.string(),
  environment: z.string().optional(),
  runnerEnvironment: z.string(),
  runId: z.string(),
});

export const resourceSchema = z.strictObject({
  type: z.enum([
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
  ]),
  id: z.string(),
  attrs: z.record(z.string(), z.unknown()).default({}),
});

export const expectSchema = z.strictObject({
  decision: z.enum(["allow", "deny"]),
  code: z.string().optional(),
  policies: z.array(z.string()).optional(),
});

export const optionsSchema = z.strictObject({
  owned_branches: z.array(z.string()).optional(),
  protected_branches: z.array(z.string()).optional(),
  default_branch: z.string().optional(),
  production_stacks: z.array(z.string()).optional(),
  production_environments: z.array(z.string()).optional(),
  now: z.string().optional(),
});

const rawCase = z.strictObject({
  name: z.string().min(1),
  request: z.strictObject({
    principal: z.record(z.string(), z.unknown()).default({}),
    action: z.string(),
    resource: resourceSchema,
    context: z.record(z.string(), z.unknown()).default({}),
    evidence: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).default([]),
    // The commit under decision, as an enforcement point (the git gateway) sets it.
    commit: z.string().min(1).optional(),
  }),
  expect: expectSchema,
});

export const testFileSchema = z.strictObject({
  options: optionsSchema.default({}),
  principal: z.record(z.string(), z.unknown()).default({}),
  evidence: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  cases: z.array(rawCase).min(1),
});

export type PolicyTestExpectation = z.infer<typeof expectSchema>;
