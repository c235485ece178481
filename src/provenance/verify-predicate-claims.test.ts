import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hasCode } from "../errors/index.js";
import type { AttestedStatement } from "./dsse-envelope.js";
import type { CertificateIdentity } from "./to-certificate-identity.js";
import { toPredicateClaims, verifyPredicateClaims } from "./verify-predicate-claims.js";

const COMMIT = "46e7056ff9912ebfee5298d94024895a9fea76c0";
const CERT: CertificateIdentity = {
  issuer: "https://token.actions.githubusercontent.com",
  subjectAlternativeName: undefined,
  signerWorkflow: "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main",
  signerDigest: undefined,
  runnerEnvironment: "github-hosted",
  sourceRepository: "https://github.com/acme/app",
  sourceRepositoryId: "1001",
  ownerId: "2002",
  sourceRef: "refs/heads/main",
  commit: COMMIT,
  buildConfigUri: undefined,
  runInvocationUri: undefined,
  buildTrigger: undefined,
};

/** Sets `value` at a dotted path (array indexes included) of a test predicate. */
function setPath(obj: object, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = obj as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) cur = cur[key] as Record<string, unknown>;
  cur[keys[keys.length - 1] as string] = value;
}

type Edit = [path: string, value: unknown];

function v1(...edits: Edit[]): AttestedStatement {
  const predicate = {
    buildDefinition: {
      externalParameters: {
        workflow: {
          ref: "refs/heads/main",
          repository: "https://github.com/acme/app",
          path: "x.yml",
        },
      },
      internalParameters: { github: { repository_id: "1001", repository_owner_id: "2002" } },
      resolvedDependencies: [
        { uri: "git+https://github.com/acme/app@refs/heads/main", digest: { gitCommit: COMMIT } },
      ],
    },
    runDetails: { builder: { id: "https://github.com/actions/runner/github-hosted" } },
  };
  for (const [path, value] of edits) setPath(predicate, path, value);
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ digest: { sha256: "a" } }],
    predicateType: "https://slsa.dev/provenance/v1",
    predicate,
  };
}

function v02(...edits: Edit[]): AttestedStatement {
  const predicate = {
    builder: { id: "https://github.com/npm/cli@9.2.0" },
    invocation: {
      configSource: {
        uri: "git+https://github.com/acme/app@refs/heads/main",
        digest: { sha1: COMMIT },
      },
    },
    materials: [{ uri: "git+https://github.com/acme/app", digest: { sha1: COMMIT } }],
  };
  for (const [path, value] of edits) setPath(predicate, path, value);
  return {
    _type: "https://in-toto.io/Statement/v0.1",
    subject: [{ digest: { sha256: "a" } }],
    predicateType: "https://slsa.dev/provenance/v0.2",
    predicate,
  };
}

describe("verifyPredicateClaims", () => {
  const cases: { name: string; statement: AttestedStatement; check: string | null }[] = [
    { name: "v1 agreeing", statement: v1(), check: null },
    { name: "v0.2 agreeing", statement: v02(), check: null },
    {
      name: "v1 repository rewritten",
      statement: v1([
        "buildDefinition.externalParameters.workflow.repository",
        "https://github.com/attacker/app",
      ]),
      check: "predicate_repository",
    },
    {
      name: "v1 commit differs",
      statement: v1(["buildDefinition.resolvedDependencies.0.digest.gitCommit", "f".repeat(40)]),
      check: "predicate_commit",
    },
    {
      name: "v1 ref differs",
      statement: v1(["buildDefinition.externalParameters.workflow.ref", "refs/tags/v9"]),
      check: "predicate_ref",
    },
    {
      name: "v1 repository id differs",
      statement: v1(["buildDefinition.internalParameters.github.repository_id", "9"]),
      check: "predicate_repository_id",
    },
    {
      name: "v1 names no source at all",
      statement: v1(["buildDefinition", {}]),
      check: "predicate_repository",
    },
    {
      name: "v0.2 config source of another repository",
      statement: v02([
        "invocation.configSource.uri",
        "git+https://github.com/attacker/app@refs/heads/main",
      ]),
      check: "predicate_repository",
    },
    {
      name: "v0.2 commit differs",
      statement: v02(["invocation.configSource.digest.sha1", "0".repeat(40)]),
      check: "predicate_commit",
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const run = () => verifyPredicateClaims(toPredicateClaims(c.statement), CERT);
      if (c.check === null) return run();
      assert.throws(
        run,
        (e) => hasCode(e, "ERR_PROVENANCE_PREDICATE_MISMATCH") && e.detail?.["check"] === c.check,
      );
    });
  }
});
