import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { looksLikeCredential, scrubEnvironment } from "./scrub-environment.js";

const RUNNER_ENV: Record<string, string> = {
  PATH: "/usr/bin:/bin",
  HOME: "/home/runner",
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  TERM: "xterm",
  CI: "true",
  GITHUB_REPOSITORY: "acme/app",
  GITHUB_REPOSITORY_ID: "74",
  GITHUB_SHA: "0123abcd",
  GITHUB_RUN_ID: "99",
  RUNNER_OS: "Linux",
  CI_PROJECT_ID: "12",
  CI_COMMIT_SHA: "0123abcd",
  GITHUB_TOKEN: "ghs_notreal",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "x",
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/x",
  ACTIONS_RUNTIME_TOKEN: "x",
  CI_JOB_TOKEN: "x",
  CI_REPOSITORY_URL: "https://gitlab-ci-token:x@gitlab.example/acme/app.git",
  NPM_TOKEN: "npm_x",
  AWS_ACCESS_KEY_ID: "AKIA",
  AWS_REGION: "eu-west-1",
  AZURE_CLIENT_ID: "x",
  GOOGLE_APPLICATION_CREDENTIALS: "/tmp/key.json",
  DB_PASSWORD: "x",
  STRIPE_SECRET: "x",
  SSH_AUTH_SOCK: "/tmp/agent.sock",
  LEASH_ADMIN_TOKEN: "x",
  GITHUB_ENV: "/tmp/env",
  GITHUB_PATH: "/tmp/path",
  GITHUB_OUTPUT: "/tmp/out",
  NODE_OPTIONS: "--require /tmp/evil.js",
  EDITOR: "vi",
  MY_FLAG: "on",
};

describe("scrubEnvironment", () => {
  const cases: { name: string; pass?: string[]; configAllowed?: string[]; kept: string[] }[] = [
    {
      name: "only the allowlist passes by default",
      kept: [
        "CI",
        "CI_COMMIT_SHA",
        "CI_PROJECT_ID",
        "GITHUB_REPOSITORY",
        "GITHUB_REPOSITORY_ID",
        "GITHUB_RUN_ID",
        "GITHUB_SHA",
        "HOME",
        "LANG",
        "LC_ALL",
        "PATH",
        "RUNNER_OS",
        "TERM",
      ],
    },
    {
      name: "--pass adds a harmless name",
      pass: ["MY_FLAG", "EDITOR"],
      kept: ["EDITOR", "MY_FLAG"],
    },
    { name: "--pass of a name that is not set adds nothing", pass: ["NOT_SET"], kept: [] },
  ];
  const baseline = cases[0]!.kept;
  for (const c of cases) {
    test(c.name, () => {
      const r = scrubEnvironment(RUNNER_ENV, {
        pass: c.pass ?? [],
        configAllowed: c.configAllowed ?? [],
      });
      const expected = [...new Set([...baseline, ...c.kept])].sort();
      assert.deepEqual(Object.keys(r.env).sort(), expected);
      for (const k of expected) assert.equal(r.env[k], RUNNER_ENV[k]);
      assert.deepEqual(
        r.removed,
        Object.keys(RUNNER_ENV)
          .filter((k) => !expected.includes(k))
          .sort(),
      );
    });
  }

  // Security negatives: a credential never passes on --pass alone.
  const credentials = [
    "GITHUB_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_RUNTIME_TOKEN",
    "CI_JOB_TOKEN",
    "CI_REPOSITORY_URL",
    "NPM_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_REGION",
    "AZURE_CLIENT_ID",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "DB_PASSWORD",
    "STRIPE_SECRET",
    "SSH_AUTH_SOCK",
    "LEASH_ADMIN_TOKEN",
  ];
  for (const name of credentials) {
    test(`${name} is withheld even when --pass names it`, () => {
      const r = scrubEnvironment(RUNNER_ENV, { pass: [name], configAllowed: [] });
      assert.equal(r.env[name], undefined);
      assert.ok(r.removed.includes(name));
      assert.deepEqual(r.refused, [name]);
    });
  }

  test("a credential passes only when --pass names it and config allows that exact name", () => {
    const both = scrubEnvironment(RUNNER_ENV, {
      pass: ["NPM_TOKEN"],
      configAllowed: ["NPM_TOKEN"],
    });
    assert.equal(both.env["NPM_TOKEN"], "npm_x");
    assert.deepEqual(both.refused, []);
    const configOnly = scrubEnvironment(RUNNER_ENV, { pass: [], configAllowed: ["NPM_TOKEN"] });
    assert.equal(configOnly.env["NPM_TOKEN"], undefined);
    const otherName = scrubEnvironment(RUNNER_ENV, {
      pass: ["NPM_TOKEN"],
      configAllowed: ["npm_token"],
    });
    assert.equal(otherName.env["NPM_TOKEN"], undefined);
  });

  test("variables that let a step change later steps are dropped", () => {
    const r = scrubEnvironment(RUNNER_ENV, { pass: [], configAllowed: [] });
    for (const name of ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "NODE_OPTIONS"]) {
      assert.equal(r.env[name], undefined, name);
    }
  });

  test("removed holds names only, never a value", () => {
    const r = scrubEnvironment({ GITHUB_TOKEN: "ghs_valuevalue" }, { pass: [], configAllowed: [] });
    assert.deepEqual(r.removed, ["GITHUB_TOKEN"]);
    assert.ok(!JSON.stringify(r).includes("ghs_valuevalue"));
  });
});

describe("looksLikeCredential", () => {
  const cases: [string, boolean][] = [
    ["GITHUB_TOKEN", true],
    ["github_token", true],
    ["MY_API_KEY", true],
    ["KUBE_PASS", true],
    ["GH_PAT", true],
    ["NODE_AUTH_TOKEN", true],
    ["DOCKER_AUTH_CONFIG", true],
    ["AWS_PROFILE", true],
    ["PATH", false],
    ["GITHUB_EVENT_PATH", false],
    ["AUTHOR", false],
    ["PASSPORT_ID", false],
    ["GITHUB_REPOSITORY", false],
  ];
  for (const [name, expected] of cases) {
    test(`${name} → ${expected}`, () => assert.equal(looksLikeCredential(name), expected));
  }
});
