import assert from "node:assert/strict";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import type { WorkloadIdentity } from "../identity/index.js";
import type { Zone } from "../zones/index.js";
import { compileGlob } from "./compile-pattern.js";
import { matchTrust } from "./match-trust.js";
import type { TrustRule } from "./trust-rule.js";

const claims = {
  repository_id: "74",
  repository_owner_id: "65",
  ref: "refs/heads/agent/fix",
  event_name: "push",
};
const identity = (
  over: Partial<WorkloadIdentity> & { claims?: Record<string, string> } = {},
): WorkloadIdentity => ({
  provider: "github",
  issuer: "https://token.actions.githubusercontent.com",
  issuerName: "github",
  subject: "repo:acme/app:ref:refs/heads/agent/fix",
  repository: "acme/app",
  repositoryId: "74",
  owner: "acme",
  ownerId: "65",
  ref: "refs/heads/agent/fix",
  sha: "abc",
  workflowRef: "",
  jobWorkflowRef: "",
  event: "push",
  runId: "1",
  runAttempt: "1",
  actor: "octocat",
  runnerEnvironment: "github-hosted",
  ...over,
  claims: { ...claims, ...over.claims },
});

const rule = (over: Partial<TrustRule> = {}): TrustRule => ({
  name: "editing",
  issuer: "github",
  claims: [
    ["repository_id", { kind: "exact", value: "74" }],
    ["ref", { kind: "glob", glob: "refs/heads/agent/*", re: compileGlob("refs/heads/agent/*") }],
  ],
  zone: "editing",
  actions: ["repo.read", "code.write"],
  ttlSeconds: 600,
  allowEvents: [],
  allowSelfHosted: false,
  proof: "bearer",
  ...over,
});

test("globs are anchored and * stays within a path segment", () => {
  const re = compileGlob("refs/heads/agent/*");
  assert.ok(re.test("refs/heads/agent/fix"));
  for (const bad of [
    "refs/heads/agent/a/b",
    "xrefs/heads/agent/fix",
    "refs/heads/agent/fix\n",
    "refs/heads/main",
  ])
    assert.ok(!re.test(bad), bad);
  assert.ok(compileGlob("refs/heads/release/**").test("refs/heads/release/1/2"));
  assert.ok(!compileGlob("a.b").test("aXb"), "dots are literal");
});

test("the first matching rule for the zone grants its actions and TTL", () => {
  const grant = matchTrust(
    [rule({ zone: "planning", name: "p", actions: ["repo.read"] }), rule()],
    identity(),
    "editing",
    undefined,
  );
  assert.deepEqual(grant, {
    rule: "editing",
    zone: "editing",
    actions: ["repo.read", "code.write"],
    ttlSeconds: 600,
    requireDpop: false,
  });
});

/** A validation rule: it writes nothing, but its attestations let other zones' writes through. */
const vouching = (over: Partial<TrustRule> = {}): TrustRule =>
  rule({ name: "validation", zone: "validation", actions: ["repo.read", "test.attest"], ...over });

const refusals: {
  name: string;
  id: WorkloadIdentity;
  rules: TrustRule[];
  code: string;
  actions?: string[];
  zone?: Zone;
}[] = [
  {
    name: "a ref outside the rule",
    id: identity({ claims: { ref: "refs/heads/main" } }),
    rules: [rule()],
    code: "ERR_TRUST_NO_MATCHING_RULE",
  },
  {
    name: "a missing claim",
    id: identity({ claims: { ref: undefined as unknown as string } }),
    rules: [rule()],
    code: "ERR_TRUST_NO_MATCHING_RULE",
  },
  {
    name: "another issuer",
    id: identity({ issuerName: "gitlab" }),
    rules: [rule()],
    code: "ERR_TRUST_NO_MATCHING_RULE",
  },
  {
    name: "pull_request_target to a write zone",
    id: identity({ event: "pull_request_target" }),
    rules: [rule()],
    code: "ERR_TRUST_EVENT_NOT_ALLOWED",
  },
  {
    name: "workflow_run to a write zone",
    id: identity({ event: "workflow_run" }),
    rules: [rule()],
    code: "ERR_TRUST_EVENT_NOT_ALLOWED",
  },
  {
    name: "a self-hosted runner to a write zone",
    id: identity({ runnerEnvironment: "self-hosted" }),
    rules: [rule()],
    code: "ERR_TRUST_SELF_HOSTED_RUNNER",
  },
  ...(["test.attest", "scan.attest"] as const).flatMap((action) => [
    {
      name: `pull_request_target to a validation rule granting ${action}`,
      id: identity({ event: "pull_request_target" }),
      rules: [vouching({ actions: ["repo.read", action] })],
      code: "ERR_TRUST_EVENT_NOT_ALLOWED",
      zone: "validation" as const,
    },
    {
      name: `a self-hosted runner to a validation rule granting ${action}`,
      id: identity({ runnerEnvironment: "self-hosted" }),
      rules: [vouching({ actions: ["repo.read", action] })],
      code: "ERR_TRUST_SELF_HOSTED_RUNNER",
      zone: "validation" as const,
    },
  ]),
  {
    name: "workflow_run to a validation rule",
    id: identity({ event: "workflow_run" }),
    rules: [vouching()],
    code: "ERR_TRUST_EVENT_NOT_ALLOWED",
    zone: "validation",
  },
  {
    name: "pull_request_target to an editing rule granting only change.attest",
    id: identity({ event: "pull_request_target" }),
    rules: [rule({ actions: ["repo.read", "change.attest"] })],
    code: "ERR_TRUST_EVENT_NOT_ALLOWED",
  },
  {
    name: "narrowing to an action the rule lacks",
    id: identity(),
    rules: [rule()],
    code: "ERR_TRUST_ACTION_NOT_GRANTED",
    actions: ["infra.change"],
  },
];
for (const c of refusals) {
  test(`refuses ${c.name} with ${c.code}`, () => {
    assert.throws(
      () => matchTrust(c.rules, c.id, c.zone ?? "editing", c.actions),
      (err: LeashError) => hasCode(err, c.code),
    );
  });
}

test("guards can be opted out of per rule, and never apply to read-only zones", () => {
  const prt = identity({ event: "pull_request_target" });
  assert.ok(
    matchTrust([rule({ allowEvents: ["pull_request_target"] })], prt, "editing", undefined),
  );
  assert.ok(
    matchTrust(
      [rule({ allowSelfHosted: true })],
      identity({ runnerEnvironment: "self-hosted" }),
      "editing",
      undefined,
    ),
  );
  assert.ok(
    matchTrust([rule({ zone: "planning", actions: ["repo.read"] })], prt, "planning", undefined),
  );
  assert.ok(
    matchTrust([vouching({ allowEvents: ["pull_request_target"] })], prt, "validation", undefined),
  );
  assert.ok(
    matchTrust([vouching({ actions: ["repo.read"] })], prt, "validation", undefined),
    "a validation rule that attests nothing is read-only",
  );
});

/** A GitLab job: `runner_environment` is optional there, so an identity may carry "". */
const gitlab = (runnerEnvironment: string) =>
  identity({
    provider: "gitlab",
    issuerName: "gitlab",
    runnerEnvironment,
    claims: { project_id: "74" },
  });
const gitlabRule = (over: Partial<TrustRule> = {}) =>
  rule({ issuer: "gitlab", claims: [["project_id", { kind: "exact", value: "74" }]], ...over });

const runnerRefusals: { name: string; id: WorkloadIdentity; rule: TrustRule; code: string }[] = [
  {
    name: "a GitLab job without runner_environment to an editing rule",
    id: gitlab(""),
    rule: gitlabRule(),
    code: "ERR_TRUST_RUNNER_UNKNOWN",
  },
  {
    name: "a GitLab job without runner_environment to a validation rule",
    id: gitlab(""),
    rule: gitlabRule({ zone: "validation", actions: ["repo.read", "test.attest"] }),
    code: "ERR_TRUST_RUNNER_UNKNOWN",
  },
  {
    name: "a GitLab job on an unheard-of runner environment",
    id: gitlab("gitlab-hosted-ish"),
    rule: gitlabRule(),
    code: "ERR_TRUST_RUNNER_UNKNOWN",
  },
  {
    name: "a GitLab job claiming GitHub's hosted runners",
    id: gitlab("github-hosted"),
    rule: gitlabRule(),
    code: "ERR_TRUST_RUNNER_UNKNOWN",
  },
  {
    name: "a GitLab job on a self-hosted runner",
    id: gitlab("self-hosted"),
    rule: gitlabRule(),
    code: "ERR_TRUST_SELF_HOSTED_RUNNER",
  },
  {
    name: "a GitHub job without runner_environment",
    id: identity({ runnerEnvironment: "" }),
    rule: rule(),
    code: "ERR_TRUST_RUNNER_UNKNOWN",
  },
];
for (const c of runnerRefusals) {
  test(`refuses ${c.name} with ${c.code}`, () => {
    assert.throws(
      () => matchTrust([c.rule], c.id, c.rule.zone, undefined),
      (err: LeashError) => hasCode(err, c.code),
    );
  });
}

test("the runner guard lets hosted runners, opted-in rules, read-only rules and generic issuers through", () => {
  assert.ok(matchTrust([gitlabRule()], gitlab("gitlab-hosted"), "editing", undefined));
  assert.ok(matchTrust([gitlabRule({ allowSelfHosted: true })], gitlab(""), "editing", undefined));
  assert.ok(
    matchTrust(
      [gitlabRule({ zone: "planning", actions: ["repo.read"] })],
      gitlab(""),
      "planning",
      undefined,
    ),
  );
  // A generic OIDC issuer has no runner claim: the guard can't apply (documented).
  const generic = identity({
    provider: "generic",
    issuerName: "gitlab",
    runnerEnvironment: "",
    claims: { project_id: "74" },
  });
  assert.ok(matchTrust([gitlabRule()], generic, "editing", undefined));
});

test("the refusal names the closest rule and the failing claim", () => {
  const far = rule({ name: "far", claims: [["repository_id", { kind: "exact", value: "99" }]] });
  assert.throws(
    () =>
      matchTrust(
        [far, rule()],
        identity({ claims: { ref: "refs/heads/main" } }),
        "editing",
        undefined,
      ),
    (err: LeashError) =>
      err.detail?.["closest_rule"] === "editing" && err.detail?.["failed_claim"] === "ref",
  );
});
