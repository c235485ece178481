import assert from "node:assert/strict";
import { test } from "node:test";
import { maskCredentials } from "../secrets/index.js";
import { recordableAttributes, recordableCommits } from "./recordable-request.js";

const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

test("a write's paths, operation, force and repository are kept", () => {
  assert.deepEqual(
    recordableAttributes({
      paths: ["src/a.ts", ".github/workflows/ci.yml"],
      operation: "update",
      force: false,
      repository_id: "74",
    }),
    {
      paths: ["src/a.ts", ".github/workflows/ci.yml"],
      operation: "update",
      force: false,
      repository_id: "74",
    },
  );
});

test("anything else a caller sends stays out of the record", () => {
  const attrs = recordableAttributes({
    paths: ["src/a.ts", "evil\u0007name", 42, ""],
    note: "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
    operation: "rm -rf",
    force: "yes",
    repository_id: "74; DROP TABLE",
  });
  // The paths that were not well-formed are counted, not kept.
  assert.deepEqual(attrs, { paths: ["src/a.ts"], paths_count: 4 });
  assert.equal(recordableAttributes({ token: "secret" }), undefined);
  assert.equal(recordableAttributes(undefined), undefined);
});

test("a push of many files keeps the first 256 paths and says how many there were", () => {
  const paths = Array.from({ length: 1000 }, (_, i) => `src/f${i}.ts`);
  const attrs = recordableAttributes({ paths }) ?? {};
  assert.deepEqual(attrs["paths"], paths.slice(0, 256));
  assert.equal(attrs["paths_count"], 1000);
});

test("commit ids are kept only as hex object ids (SHA-1 or SHA-256)", () => {
  assert.deepEqual(recordableCommits({ sha: SHA, old_sha: "0".repeat(64), purpose: "x" }), {
    sha: SHA,
    old_sha: "0".repeat(64),
  });
  assert.equal(recordableCommits({ sha: "HEAD", old_sha: `${SHA}\n` }), undefined);
});

test("anything shaped like a credential in a resource id, path or reason is masked", () => {
  const token = `ghp_${"a1B2".repeat(9)}`;
  assert.equal(
    maskCredentials(`npm publish --//registry.npmjs.org/:_authToken=x ${token}`),
    "npm publish --//registry.npmjs.org/:_authToken=x [REDACTED:github-token]",
  );
  const attrs = recordableAttributes({ paths: [`notes/${token}.txt`, "src/a.ts"] });
  assert.deepEqual(attrs?.["paths"], ["notes/[REDACTED:github-token].txt", "src/a.ts"]);
  assert.equal(maskCredentials("refs/heads/agent/fix"), "refs/heads/agent/fix");
});
