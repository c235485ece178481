import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readCapabilityClaims } from "./read-capability-claims.js";
import { readGitHead } from "./read-git-head.js";

describe("readGitHead", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-head-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the branch from .git/HEAD, from any directory below the root", () => {
    const repo = join(dir, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "src", "deep"), { recursive: true });
    writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/agent/fix\n");
    assert.deepEqual(readGitHead(join(repo, "src", "deep")), {
      root: repo,
      branch: "refs/heads/agent/fix",
    });
  });

  it("reports a detached HEAD as no branch", () => {
    const repo = join(dir, "detached");
    mkdirSync(join(repo, ".git"), { recursive: true });
    writeFileSync(join(repo, ".git", "HEAD"), `${"a".repeat(40)}\n`);
    assert.deepEqual(readGitHead(repo), { root: repo, branch: undefined });
  });

  it("follows a worktree's gitdir file", () => {
    const real = join(dir, "real-gitdir");
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, "HEAD"), "ref: refs/heads/agent/wt\n");
    const wt = join(dir, "wt");
    mkdirSync(wt);
    writeFileSync(join(wt, ".git"), `gitdir: ${real}\n`);
    assert.equal(readGitHead(wt)?.branch, "refs/heads/agent/wt");
  });
});

describe("readCapabilityClaims", () => {
  const jwt = (payload: unknown) =>
    `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;
  it("reads the job's ref and repository without verifying", () => {
    assert.deepEqual(
      readCapabilityClaims(jwt({ job: { ref: "refs/heads/agent/fix", repository: "acme/app" } })),
      {
        ref: "refs/heads/agent/fix",
        repository: "acme/app",
      },
    );
  });
  for (const token of ["", "x", "a.!!!.c", jwt("str"), jwt({ job: { ref: 7 } })])
    it(`reads nothing from ${JSON.stringify(token.slice(0, 12))}`, () => {
      assert.equal(readCapabilityClaims(token).ref, undefined);
    });
});
