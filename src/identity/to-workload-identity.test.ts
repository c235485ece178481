import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LeashError } from "../errors/index.js";
import type { IssuerConfig, Provider } from "./issuer-config.js";
import { toWorkloadIdentity } from "./to-workload-identity.js";

const ISS = "https://issuer.example";

function issuer(provider: Provider): IssuerConfig {
  return {
    name: provider,
    url: ISS,
    provider,
    audience: "leash",
    allowInsecureLoopback: false,
    algorithms: ["RS256"],
  };
}

const github = {
  iss: ISS,
  sub: "repo:acme/app:ref:refs/heads/agent/fix",
  aud: "leash",
  repository: "acme/app",
  repository_id: "74",
  repository_owner: "acme",
  repository_owner_id: "65",
  ref: "refs/heads/agent/fix",
  sha: "abc123",
  workflow_ref: "acme/app/.github/workflows/ci.yml@refs/heads/agent/fix",
  job_workflow_ref: "acme/app/.github/workflows/agent.yml@refs/heads/main",
  event_name: "push",
  run_id: "99",
  run_attempt: "2",
  actor: "octocat",
  runner_environment: "github-hosted",
  run_number: "7",
  exp: 1,
};

const gitlab = {
  iss: ISS,
  sub: "project_path:acme/tools/app:ref_type:branch:ref:agent/fix",
  aud: "leash",
  project_path: "acme/tools/app",
  project_id: "74",
  namespace_path: "acme/tools",
  namespace_id: "65",
  ref: "agent/fix",
  ref_type: "branch",
  sha: "abc123",
  pipeline_source: "merge_request_event",
  pipeline_id: "555",
  user_login: "alice",
  ci_config_ref_uri: "gitlab.example/acme/tools/app//.gitlab-ci.yml@refs/heads/main",
  runner_environment: "self-hosted",
  runner_id: 12,
  exp: 1,
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as LeashError).code;
  }
  return "no error";
}

describe("toWorkloadIdentity", () => {
  it("normalizes GitHub Actions claims", () => {
    const id = toWorkloadIdentity(github, issuer("github"));
    const { claims, ...fields } = id;
    assert.deepEqual(fields, {
      provider: "github",
      issuer: ISS,
      issuerName: "github",
      subject: github.sub,
      repository: "acme/app",
      repositoryId: "74",
      owner: "acme",
      ownerId: "65",
      ref: "refs/heads/agent/fix",
      sha: "abc123",
      workflowRef: github.workflow_ref,
      jobWorkflowRef: github.job_workflow_ref,
      event: "push",
      runId: "99",
      runAttempt: "2",
      actor: "octocat",
      runnerEnvironment: "github-hosted",
    });
    assert.equal(claims["run_number"], "7");
    assert.equal(claims["exp"], undefined, "only string claims are kept");
    assert.ok(Object.isFrozen(claims) && Object.isFrozen(id));
  });

  it("accepts both GitHub sub forms and keeps a non-empty environment", () => {
    for (const sub of [
      "repo:acme/app:environment:prod",
      "repo:acme@65/app@74:environment:prod",
      "repo:ACME/App:pull_request",
      "repository_owner_id:65:context:prod", // customized sub without the repo: prefix
    ]) {
      const id = toWorkloadIdentity({ ...github, sub, environment: "prod" }, issuer("github"));
      assert.equal(id.subject, sub);
      assert.equal(id.environment, "prod");
    }
    assert.equal(
      toWorkloadIdentity({ ...github, environment: "" }, issuer("github")).environment,
      undefined,
    );
  });

  it("normalizes GitLab CI claims, ref_type into a full ref", () => {
    const id = toWorkloadIdentity(gitlab, issuer("gitlab"));
    assert.equal(id.repository, "acme/tools/app");
    assert.equal(id.repositoryId, "74");
    assert.equal(id.owner, "acme/tools");
    assert.equal(id.ownerId, "65");
    assert.equal(id.ref, "refs/heads/agent/fix");
    assert.equal(id.event, "merge_request_event");
    assert.equal(id.runId, "555");
    assert.equal(id.runAttempt, "");
    assert.equal(id.actor, "alice");
    assert.equal(id.workflowRef, gitlab.ci_config_ref_uri);
    assert.equal(id.jobWorkflowRef, gitlab.ci_config_ref_uri);
    assert.equal(id.runnerEnvironment, "self-hosted");
    const tag = toWorkloadIdentity(
      {
        ...gitlab,
        ref: "v1.2.0",
        ref_type: "tag",
        sub: "project_path:acme/tools/app:ref_type:tag:ref:v1.2.0",
      },
      issuer("gitlab"),
    );
    assert.equal(tag.ref, "refs/tags/v1.2.0");
    const odd = toWorkloadIdentity({ ...gitlab, ref: "refs/tags/v1" }, issuer("gitlab"));
    assert.equal(odd.ref, "refs/heads/refs/tags/v1", "a branch named like a tag stays a branch");
  });

  it("fills only the subject for a generic issuer", () => {
    const id = toWorkloadIdentity(
      { iss: ISS, sub: "system:serviceaccount:ci:runner", team: "x" },
      issuer("generic"),
    );
    assert.equal(id.subject, "system:serviceaccount:ci:runner");
    assert.equal(id.repository, "");
    assert.equal(id.ref, "");
    assert.equal(id.claims["team"], "x");
  });

  const refusals: {
    name: string;
    provider: Provider;
    claims: Record<string, unknown>;
    code: string;
  }[] = [
    {
      name: "github repository_id as number",
      provider: "github",
      claims: { ...github, repository_id: 74 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github repository_owner_id as number",
      provider: "github",
      claims: { ...github, repository_owner_id: 65 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github run_id as number",
      provider: "github",
      claims: { ...github, run_id: 99 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github run_attempt as number",
      provider: "github",
      claims: { ...github, run_attempt: 2 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github environment as array",
      provider: "github",
      claims: { ...github, environment: ["prod"] },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github run_number as number",
      provider: "github",
      claims: { ...github, run_number: 7 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "github repository missing",
      provider: "github",
      claims: { ...github, repository: undefined },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "github repository_id empty",
      provider: "github",
      claims: { ...github, repository_id: "" },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "github job_workflow_ref missing",
      provider: "github",
      claims: { ...github, job_workflow_ref: undefined },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "github sub missing",
      provider: "github",
      claims: { ...github, sub: undefined },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "github sub owner id disagrees",
      provider: "github",
      claims: { ...github, sub: "repo:acme@66/app@74:ref:refs/heads/main" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "github sub repo id disagrees",
      provider: "github",
      claims: { ...github, sub: "repo:acme@65/app@75:ref:refs/heads/main" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "github sub names another repo",
      provider: "github",
      claims: { ...github, sub: "repo:evil/app:ref:refs/heads/main" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "github sub unreadable",
      provider: "github",
      claims: { ...github, sub: "repo:acme" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "github repository outside owner",
      provider: "github",
      claims: { ...github, repository: "evil/app", sub: "repo:evil/app:x" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "gitlab project_id as number",
      provider: "gitlab",
      claims: { ...gitlab, project_id: 74 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "gitlab namespace_id as number",
      provider: "gitlab",
      claims: { ...gitlab, namespace_id: 65 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "gitlab unknown ref_type",
      provider: "gitlab",
      claims: { ...gitlab, ref_type: "merge_request" },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "gitlab pipeline_id missing",
      provider: "gitlab",
      claims: { ...gitlab, pipeline_id: undefined },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "gitlab sub names another project",
      provider: "gitlab",
      claims: { ...gitlab, sub: "project_path:evil/app:ref_type:branch:ref:main" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "gitlab project outside namespace",
      provider: "gitlab",
      claims: { ...gitlab, namespace_path: "other" },
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
    {
      name: "generic sub as number",
      provider: "generic",
      claims: { iss: ISS, sub: 5 },
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "generic sub missing",
      provider: "generic",
      claims: { iss: ISS },
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}`, () => {
      const claims = Object.fromEntries(
        Object.entries(c.claims).filter(([, v]) => v !== undefined),
      );
      assert.equal(
        codeOf(() => toWorkloadIdentity(claims, issuer(c.provider))),
        c.code,
      );
    });
  }
});
