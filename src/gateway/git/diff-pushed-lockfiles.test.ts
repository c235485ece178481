import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MAX_EVIDENCE_BYTES } from "../../evidence/index.js";
import { diffPushedLockfiles, newLockfileBudget } from "./diff-pushed-lockfiles.js";
import type { RefUpdate } from "./inspect-ref-updates.js";

const lockfile = (undici: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": { dependencies: { undici: "^6.0.0" } },
      "node_modules/undici": { version: undici },
      ...extra,
    },
  });
const SCRIPTED = { "node_modules/evil-pkg": { version: "1.0.0", hasInstallScript: true } };

describe("diffPushedLockfiles (real git)", () => {
  let dir: string;
  let env: Record<string, string>;
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).trim();
  /** Commits `files` (null deletes; a `->` prefix makes a symlink) on top of `parent`. */
  const commitOn = (parent: string | undefined, files: Record<string, string | null>) => {
    if (parent) git("checkout", "--quiet", "--detach", parent);
    for (const [path, text] of Object.entries(files)) {
      const file = join(dir, path);
      rmSync(file, { force: true });
      if (text === null) continue;
      mkdirSync(dirname(file), { recursive: true });
      if (text.startsWith("->")) symlinkSync(text.slice(2), file);
      else writeFileSync(file, text);
    }
    git("add", "-A");
    git("commit", "--quiet", "--allow-empty", "-m", "c");
    return git("rev-parse", "HEAD");
  };
  const update = (oldId: string, newId: string, paths: string[]): RefUpdate => ({
    ref: "refs/heads/agent/x",
    oldId,
    newId,
    operation: "update",
    force: false,
    paths,
  });
  let base: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "leash-lockdiff-"));
    env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.test",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.test",
      LC_ALL: "C",
    };
    git("init", "--quiet", "--initial-branch=main");
    base = commitOn(undefined, { "package-lock.json": lockfile("6.1.0") });
    env = { ...env, GIT_DIR: join(dir, ".git") };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("diffs the old commit against the pushed one: zone leash, about the pushed commit", async () => {
    const head = commitOn(base, { "package-lock.json": lockfile("6.2.0", SCRIPTED) });
    const computed = await diffPushedLockfiles(
      env,
      "74",
      update(base, head, ["package-lock.json", "src/a.ts"]),
      newLockfileBudget(),
    );
    assert.deepEqual(computed?.missing, []);
    const [item] = computed?.items ?? [];
    assert.equal(item?.zone, "leash");
    assert.equal(item?.selfReported, false);
    assert.equal(item?.partial, undefined);
    assert.deepEqual(item?.subject, { sha: head });
    assert.equal(item?.path, "package-lock.json");
    assert.ok(item?.facts.kind === "lockfile-diff" && item.facts.highRisk);
    assert.ok(item?.facts.kind === "lockfile-diff" && item.facts.newWithInstallScript === 1);
  });

  it("diffs a new branch against the default branch's tip, or against nothing without one", async () => {
    const head = commitOn(base, { "package-lock.json": lockfile("6.2.0") });
    const created = {
      ...update("0".repeat(40), head, ["package-lock.json"]),
      operation: "create",
    } as const;
    const vsMain = await diffPushedLockfiles(env, "74", created, newLockfileBudget());
    const facts = vsMain?.items[0]?.facts;
    assert.ok(facts?.kind === "lockfile-diff");
    assert.deepEqual(
      facts.changed.map((c) => [c.name, c.from, c.to]),
      [["undici", "6.1.0", "6.2.0"]],
    );
    assert.equal(facts.highRisk, false);
    git("branch", "--quiet", "-m", "main", "trunk");
    try {
      const vsNothing = await diffPushedLockfiles(env, "74", created, newLockfileBudget());
      const all = vsNothing?.items[0]?.facts;
      assert.ok(all?.kind === "lockfile-diff");
      // Everything is new: undici is a new direct dependency, high-risk.
      assert.equal(all.newDirect, 1);
      assert.equal(all.highRisk, true);
    } finally {
      git("branch", "--quiet", "-m", "trunk", "main");
    }
  });

  const fallbacks: {
    name: string;
    files: Record<string, string | null>;
    path: string;
    code: string;
  }[] = [
    {
      name: "a deleted lockfile",
      files: { "package-lock.json": null },
      path: "package-lock.json",
      code: "ERR_EVIDENCE_MALFORMED",
    },
    {
      name: "a lockfile larger than the evidence limit",
      files: { "package-lock.json": lockfile("6.2.0", { pad: "x".repeat(MAX_EVIDENCE_BYTES) }) },
      path: "package-lock.json",
      code: "ERR_EVIDENCE_TOO_LARGE",
    },
    {
      name: "a lockfile that is a symlink",
      files: { "package-lock.json": "->/etc/passwd" },
      path: "package-lock.json",
      code: "ERR_EVIDENCE_MALFORMED",
    },
    {
      name: "lockfileVersion 1",
      files: { "package-lock.json": JSON.stringify({ lockfileVersion: 1, dependencies: {} }) },
      path: "package-lock.json",
      code: "ERR_EVIDENCE_UNSUPPORTED_VERSION",
    },
    {
      name: "a yarn.lock",
      files: { "yarn.lock": "# yarn lockfile v1\n" },
      path: "yarn.lock",
      code: "ERR_EVIDENCE_UNSUPPORTED_VERSION",
    },
  ];
  for (const c of fallbacks) {
    it(`computes no diff for ${c.name} (${c.code}), says so, and counts it as high-risk`, async () => {
      const head = commitOn(base, c.files);
      const computed = await diffPushedLockfiles(
        env,
        "74",
        update(base, head, [c.path]),
        newLockfileBudget(),
      );
      assert.deepEqual(
        computed?.missing.map((m) => [m.path, m.code]),
        [[c.path, c.code]],
      );
      // No diff, but an item that needs an approval: partial (not the diff, scopes nothing)
      // and high-risk, listing no packages.
      const [unread, ...rest] = computed?.items ?? [];
      assert.deepEqual(rest, []);
      assert.deepEqual(
        {
          zone: unread?.zone,
          selfReported: unread?.selfReported,
          subject: unread?.subject,
          path: unread?.path,
          partial: unread?.partial,
        },
        { zone: "leash", selfReported: false, subject: { sha: head }, path: c.path, partial: true },
      );
      const facts = unread?.facts;
      assert.ok(facts?.kind === "lockfile-diff");
      assert.equal(facts.highRisk, true);
      assert.deepEqual([facts.added, facts.changed, facts.removed], [[], [], []]);
    });
  }

  it("marks the diffs partial when another lockfile is past the per-push limits", async () => {
    const head = commitOn(base, {
      "package-lock.json": lockfile("6.2.0", SCRIPTED),
      "web/package-lock.json": lockfile("6.2.0"),
    });
    const u = update(base, head, ["package-lock.json", "web/package-lock.json"]);
    const byCount = await diffPushedLockfiles(env, "74", u, { files: 1, bytes: 1 << 20 });
    assert.deepEqual(
      byCount?.items.map((i) => [
        i.path,
        i.partial,
        i.facts.kind === "lockfile-diff" && i.facts.highRisk,
      ]),
      [
        ["package-lock.json", true, true],
        ["web/package-lock.json", true, true],
      ],
    );
    assert.deepEqual(
      byCount?.missing.map((m) => [m.path, m.code]),
      [["web/package-lock.json", "ERR_EVIDENCE_TOO_LARGE"]],
    );
    const byBytes = await diffPushedLockfiles(env, "74", u, { files: 5, bytes: 10 });
    assert.deepEqual(
      byBytes?.items.map((i) => [i.path, i.partial]),
      [
        ["package-lock.json", true],
        ["web/package-lock.json", true],
      ],
    );
    assert.deepEqual(
      byBytes?.missing.map((m) => m.code),
      ["ERR_EVIDENCE_TOO_LARGE", "ERR_EVIDENCE_TOO_LARGE"],
    );
  });

  it("does no work for an update without a lockfile, or a delete", async () => {
    const head = commitOn(base, { "src/a.ts": "x" });
    const budget = newLockfileBudget();
    assert.equal(
      await diffPushedLockfiles(env, "74", update(base, head, ["src/a.ts"]), budget),
      undefined,
    );
    const deleted = {
      ...update(base, "0".repeat(40), ["package-lock.json"]),
      operation: "delete",
    } as const;
    assert.equal(await diffPushedLockfiles(env, "74", deleted, budget), undefined);
    assert.deepEqual(budget, newLockfileBudget());
  });
});
