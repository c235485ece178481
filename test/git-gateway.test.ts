import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { type GitUpstream, git, startGitUpstream, testGitEnv } from "./support/git-upstream.js";
import { criticalNpmAudit, npmLockfile } from "./support/npm-evidence.js";
import { startTestIssuer, TEST_SHA, type TestIssuer } from "./support/oidc-issuer.js";
import { ADMIN_TOKEN, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

const UPSTREAM_TOKEN = "ghs_upstreamSecretOnlyLeashHolds0123456789";
const SEED = {
  "README.md": "# app\n",
  "src/a.ts": "export const a = 1;\n",
  "package-lock.json": '{ "lockfileVersion": 3, "packages": {} }\n',
  "infra/main.tf": 'resource "null_resource" "x" {}\n',
  ".github/workflows/ci.yml": "on: push\n",
};

describe("git push gateway", () => {
  let issuer: TestIssuer;
  let upstream: GitUpstream;
  let t: TestLeash;
  let work: string;
  let remote: string;

  before(async () => {
    // The composition reads the upstream credential from here; this file runs in its own process.
    process.env["LEASH_UPSTREAM_TOKEN_74"] = UPSTREAM_TOKEN;
    issuer = await startTestIssuer();
    upstream = await startGitUpstream();
    upstream.requireAuthorization = `Basic ${Buffer.from(`x-access-token:${UPSTREAM_TOKEN}`).toString("base64")}`;
    const repositories = [{ name: "acme/app", id: "74", upstream: `${upstream.url}/acme/app.git` }];
    t = await startTestLeash({ issuer, extra: { repositories } });
    remote = `${t.url}/git/acme/app.git`;
  });
  after(async () => {
    await t.close();
    await upstream.close();
    await issuer.close();
    delete process.env["LEASH_UPSTREAM_TOKEN_74"];
  });
  beforeEach(async () => {
    rmSync(join(upstream.root, "acme"), { recursive: true, force: true });
    await upstream.createRepository("acme/app", SEED);
    work = mkdtempSync(join(tmpdir(), "leash-git-work-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const capability = async (zone = "editing", overrides?: Record<string, unknown>) => {
    const res = await t.exchange(zone, overrides);
    assert.equal(res.status, 200);
    return String(res.body["access_token"]);
  };
  const bearer = (cap: string) => ["-c", `http.extraHeader=Authorization: Bearer ${cap}`];
  const cloneWith = async (cap: string) => {
    const dir = join(work, "clone");
    const r = await git([...bearer(cap), "clone", "--quiet", remote, dir], work);
    assert.equal(r.code, 0, r.stderr);
    return dir;
  };
  const commit = async (dir: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    assert.equal((await git(["add", "-A"], dir)).code, 0);
    assert.equal((await git(["commit", "--quiet", "-m", "change"], dir)).code, 0);
    return (await git(["rev-parse", "HEAD"], dir)).stdout.trim();
  };
  const push = (cap: string, dir: string, ...args: string[]) =>
    git([...bearer(cap), "push", "origin", ...args], dir);
  const decisionOf = async (stderr: string) => {
    const id = /decision (dec_[A-Za-z0-9_-]+)/.exec(stderr)?.[1];
    assert.ok(id, `a decision id in: ${stderr}`);
    const row = await t.leash.store.getDecision(id);
    assert.ok(row);
    return JSON.parse(row.body) as Record<string, unknown>;
  };

  test("clones with a capability as a Bearer header", async () => {
    const dir = await cloneWith(await capability());
    assert.equal(readFileSync(join(dir, "src/a.ts"), "utf8"), SEED["src/a.ts"]);
  });

  test("clones with the capability as the Basic password after git's 401 challenge", async () => {
    const cap = await capability();
    const url = new URL(remote);
    url.username = "x-access-token";
    url.password = cap;
    const r = await git(["clone", "--quiet", url.toString(), join(work, "basic")], work);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(work, "basic", "README.md")));
  });

  test("under leash exec, git's upstream URL is rewritten to the gateway and the push arrives", async () => {
    const cap = await capability();
    const upstreamUrl = `${upstream.url}/acme/app.git`;
    const script = [
      "const { execFileSync } = require('node:child_process');",
      "const g = (...a) => execFileSync('git', a, { stdio: ['ignore', 'pipe', 'inherit'] }).toString();",
      `g('clone', '--quiet', ${JSON.stringify(upstreamUrl)}, 'app');`,
      "process.chdir('app');",
      "require('node:fs').writeFileSync('src/c.ts', 'export const c = 3;\\n');",
      "g('add', '-A'); g('commit', '--quiet', '-m', 'c');",
      "g('push', '--quiet', 'origin', 'HEAD:refs/heads/agent/exec');",
      "console.log(g('rev-parse', 'HEAD').trim());",
    ].join("\n");
    const bin = new URL("../../bin/leash.cjs", import.meta.url).pathname;
    const env = {
      ...testGitEnv(),
      LEASH_CAPABILITY: cap,
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_SERVER_URL: upstream.url,
    };
    const pass = [
      "GIT_AUTHOR_NAME",
      "GIT_AUTHOR_EMAIL",
      "GIT_COMMITTER_NAME",
      "GIT_COMMITTER_EMAIL",
    ].flatMap((n) => ["--pass", n]);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, "exec", "--server", t.url, ...pass, "--", process.execPath, "-e", script],
        { cwd: work, env },
        (err, stdout, stderr) =>
          resolve({
            code: err ? Number(err.code ?? 1) : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/exec"], r.stdout.trim());
    assert.ok(
      !readFileSync(join(work, "app/.git/config"), "utf8").includes(cap),
      "the capability is not written into the clone",
    );
  });

  test("serves nothing without a capability", async () => {
    const r = await git(["clone", "--quiet", remote, join(work, "anon")], work);
    assert.notEqual(r.code, 0);
    assert.equal(existsSync(join(work, "anon", "README.md")), false);
    const res = await fetch(`${remote}/info/refs?service=git-upload-pack`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Basic realm="leash"');
    assert.match(await res.text(), /ERR_CAPABILITY_MISSING/);
  });

  test("pushes a new owned branch upstream with leash's credential, never the agent's", async () => {
    const cap = await capability();
    const dir = await cloneWith(cap);
    const sha = await commit(dir, { "src/a.ts": "export const a = 2;\n" });
    const r = await push(cap, dir, "HEAD:refs/heads/agent/fix");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/fix"], sha);
    assert.ok(!readFileSync(join(dir, ".git/config"), "utf8").includes(UPSTREAM_TOKEN));
    assert.ok(!`${r.stdout}${r.stderr}`.includes(UPSTREAM_TOKEN));
    // A fast-forward of the same branch is an update, allowed too.
    const next = await commit(dir, { "src/b.ts": "export const b = 1;\n" });
    assert.equal((await push(cap, dir, "HEAD:refs/heads/agent/fix")).code, 0);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/fix"], next);
    // Each push is recorded with the files it changes and the commits the ref moved between.
    const rows = await t.leash.store.queryDecisions({ type: "authorize", action: "code.write" });
    type PushRecord = {
      resource: { type: string; id: string; attrs?: Record<string, unknown> };
      detail?: { sha?: string; old_sha?: string };
    };
    const records = rows.map((r) => JSON.parse(r.body) as PushRecord);
    const created = records.find((r) => r.detail?.sha === sha);
    assert.deepEqual(created?.resource, {
      type: "Branch",
      id: "refs/heads/agent/fix",
      attrs: { paths: ["src/a.ts"], operation: "create", force: false, repository_id: "74" },
    });
    assert.equal(created?.detail?.old_sha, undefined);
    const updated = records.find((r) => r.detail?.sha === next);
    assert.deepEqual(updated?.resource.attrs, {
      paths: ["src/b.ts"],
      operation: "update",
      force: false,
      repository_id: "74",
    });
    assert.equal(updated?.detail?.old_sha, sha);
  });

  test("decides a lockfile push on the pushed commit's evidence, not the job's", async () => {
    const editing = await capability();
    const validation = await capability("validation");
    const attest = async (cap: string, sha: string, kind: string, content: unknown) => {
      const res = await postJson(
        `${t.url}/v1/attestations`,
        { kind, subject: { sha }, content },
        {
          authorization: `Bearer ${cap}`,
        },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    const lock = (names: string[]) => npmLockfile(names);
    const critical = criticalNpmAudit();
    // The job's own commit (the push's base) is diffed and scanned clean.
    const unchanged = { lockfile: "package-lock.json", before: lock([]), after: lock([]) };
    await attest(editing, TEST_SHA, "lockfile-diff", unchanged);
    await attest(validation, TEST_SHA, "npm-audit", { auditReportVersion: 2, vulnerabilities: {} });
    const dir = await cloneWith(editing);
    const pushed = await commit(dir, { "package-lock.json": `${lock(["evil-pkg"])}\n` });
    let r = await push(editing, dir, "HEAD:refs/heads/agent/fix");
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes("lockfile_diff_missing"), r.stderr);
    // The pushed commit's own evidence: a critical finding in the package it adds.
    const added = { lockfile: "package-lock.json", before: lock([]), after: lock(["evil-pkg"]) };
    await attest(editing, pushed, "lockfile-diff", added);
    await attest(validation, pushed, "npm-audit", critical);
    r = await push(editing, dir, "HEAD:refs/heads/agent/fix");
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes("vulnerable_dependency"), r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/fix"], undefined);
  });

  test("pushes a lockfile change whose pushed commit is diffed and scanned clean", async () => {
    const editing = await capability();
    const validation = await capability("validation");
    // The seed's lockfile has no root entry: leash can't read it, which would need an approval.
    const before = '{ "lockfileVersion": 3, "packages": { "": {} } }\n';
    const maintainer = await maintainerClone();
    await commit(maintainer, { "package-lock.json": before });
    assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
    const dir = await cloneWith(editing);
    const after = `${npmLockfile(["left-pad"])}\n`;
    const pushed = await commit(dir, { "package-lock.json": after });
    const headers = (cap: string) => ({ authorization: `Bearer ${cap}` });
    const diff = { lockfile: "package-lock.json", before, after };
    const clean = { auditReportVersion: 2, vulnerabilities: {} };
    for (const [cap, kind, content] of [
      [editing, "lockfile-diff", diff],
      [validation, "npm-audit", clean],
    ] as const) {
      const res = await postJson(
        `${t.url}/v1/attestations`,
        { kind, subject: { sha: pushed }, content },
        headers(cap),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const r = await push(editing, dir, "HEAD:refs/heads/agent/fix");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/fix"], pushed);
  });

  test("pushes a Terraform change planned for the repository's own stack, not for another stack", async () => {
    const editing = await capability();
    const validation = await capability("validation");
    const dir = await cloneWith(editing);
    const pushed = await commit(dir, { "infra/main.tf": 'resource "null_resource" "y" {}\n' });
    const attest = async (cap: string, body: Record<string, unknown>) => {
      const res = await postJson(
        `${t.url}/v1/attestations`,
        { subject: { sha: pushed }, ...body },
        { authorization: `Bearer ${cap}` },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    const plan = { format_version: "1.2", resource_changes: [] };
    const noDrift = { format_version: "1.2", resource_drift: [] };
    // A plan and drift check of another stack say nothing about acme/app's.
    await attest(editing, { kind: "terraform-plan", stack: "staging", content: plan });
    await attest(validation, { kind: "drift-check", stack: "staging", content: noDrift });
    let r = await push(editing, dir, "HEAD:refs/heads/agent/infra");
    assert.notEqual(r.code, 0);
    assert.ok(
      r.stderr.includes("plan_missing: needs a terraform plan of stack acme/app"),
      r.stderr,
    );
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/infra"], undefined);
    // Attested without --stack, they describe the repository's own stack: the one asked about.
    await attest(editing, { kind: "terraform-plan", content: plan });
    await attest(validation, { kind: "drift-check", content: noDrift });
    r = await push(editing, dir, "HEAD:refs/heads/agent/infra");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/infra"], pushed);
  });

  test("pushes a pack larger than git's post buffer (probe, then a chunked body)", async () => {
    const cap = await capability();
    const dir = await cloneWith(cap);
    const big = randomBytes(3 * 1024 * 1024).toString("base64");
    const sha = await commit(dir, { "assets/big.txt": big });
    const r = await push(cap, dir, "HEAD:refs/heads/agent/big");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/big"], sha);
  });

  const refusals: {
    name: string;
    code: string;
    change?: Record<string, string>;
    target: string;
    rejected: string;
  }[] = [
    {
      name: "a push to the default branch",
      code: "protected_branch",
      change: { "src/a.ts": "export const a = 3;\n" },
      target: "HEAD:refs/heads/main",
      rejected: "main",
    },
    {
      name: "a push touching a workflow (needs approval)",
      code: "workflow_change_needs_approval",
      change: { ".github/workflows/x.yml": "on: pull_request\n" },
      target: "HEAD:refs/heads/agent/fix",
      rejected: "agent/fix",
    },
    {
      name: "a lockfile change without attested evidence",
      code: "lockfile_diff_missing",
      change: { "package-lock.json": '{ "lockfileVersion": 3, "packages": { "": {} } }\n' },
      target: "HEAD:refs/heads/agent/fix",
      rejected: "agent/fix",
    },
    {
      name: "a Terraform change without a plan",
      code: "plan_missing",
      change: { "infra/main.tf": 'resource "null_resource" "y" {}\n' },
      target: "HEAD:refs/heads/agent/fix",
      rejected: "agent/fix",
    },
    {
      name: "a tag",
      code: "branch_not_owned",
      target: "HEAD:refs/tags/v1.0.0",
      rejected: "v1.0.0",
    },
  ];
  for (const c of refusals) {
    test(`refuses ${c.name} before a byte reaches the upstream (${c.code})`, async () => {
      const cap = await capability();
      const dir = await cloneWith(cap);
      const pushed = c.change ? await commit(dir, c.change) : undefined;
      const before = await upstream.refs("acme/app");
      const posts = upstream.receivePackPosts;
      const r = await push(cap, dir, c.target);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /remote: leash: /);
      assert.ok(r.stderr.includes(c.code), r.stderr);
      const shown = new RegExp(
        `! \\[remote rejected\\] HEAD -> ${c.rejected} \\(leash: ${c.code}: `,
      );
      assert.match(r.stderr, shown);
      assert.deepEqual(await upstream.refs("acme/app"), before);
      assert.equal(upstream.receivePackPosts, posts);
      const record = await decisionOf(r.stderr);
      assert.equal(record["result"], "deny");
      assert.equal(record["code"], c.code);
      // The refused objects stayed in the quarantine, which is gone with the spooled body.
      const gitDir = join(t.config.stateDir, "git");
      if (pushed)
        assert.notEqual((await git(["cat-file", "-e", pushed], join(gitDir, "74.git"))).code, 0);
      assert.deepEqual(readdirSync(join(gitDir, "tmp")), []);
    });
  }

  // A maintainer's clone of the upstream itself: its pushes don't go through leash.
  const maintainerClone = async () => {
    const dir = join(work, "maintainer");
    const bare = join(upstream.root, "acme/app.git");
    assert.equal((await git(["clone", "--quiet", bare, dir], work)).code, 0);
    return dir;
  };
  const HARDENED_CI = "on: push\npermissions: read-all\n";
  // A merge commit of the index's tree, which the agent wrote itself (`git merge` would not).
  const mergeOfIndex = async (dir: string, ...parents: string[]) => {
    const tree = (await git(["write-tree"], dir)).stdout.trim();
    const args = ["commit-tree", tree, "-m", "Merge", ...parents.flatMap((p) => ["-p", p])];
    const r = await git(args, dir);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  const assertRefusedUnseen = async (cap: string, dir: string, sha: string, code: string) => {
    const before = await upstream.refs("acme/app");
    const posts = upstream.receivePackPosts;
    const r = await push(cap, dir, `${sha}:refs/heads/agent/x`);
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(code), r.stderr);
    assert.deepEqual(await upstream.refs("acme/app"), before);
    assert.equal(upstream.receivePackPosts, posts);
    const record = await decisionOf(r.stderr);
    assert.equal(record["result"], "deny");
    assert.equal(record["code"], code);
  };

  type PushRecord = {
    resource: { attrs?: Record<string, string[] | undefined> };
    detail?: { sha?: string };
  };

  // Leash diffs the lockfiles a push changes itself: the agent's word is not the diff.
  describe("leash's own diff of the pushed lockfiles", () => {
    type Install = { version: string; hasInstallScript?: boolean };
    const lockfile = (installs: Record<string, Install>, direct: Record<string, string>) =>
      `${JSON.stringify({
        lockfileVersion: 3,
        packages: {
          "": { dependencies: direct },
          ...Object.fromEntries(
            Object.entries(installs).map(([name, i]) => [`node_modules/${name}`, i]),
          ),
        },
      })}\n`;
    const DIRECT = { undici: "^6.1.0" };
    const BASE = lockfile({ undici: { version: "6.1.0" } }, DIRECT);
    const BUMPED = lockfile({ undici: { version: "6.2.0" } }, DIRECT);
    const WITH_SCRIPT = lockfile(
      { undici: { version: "6.2.0" }, "evil-pkg": { version: "1.0.0", hasInstallScript: true } },
      DIRECT,
    );
    const CLEAN_AUDIT = { auditReportVersion: 2, vulnerabilities: {} };
    const attest = async (cap: string, sha: string, kind: string, content: unknown) => {
      const body = { kind, subject: { sha }, content };
      const res = await postJson(`${t.url}/v1/attestations`, body, {
        authorization: `Bearer ${cap}`,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    type LockRecord = {
      code?: string;
      evidence?: { zone: string; path?: string; high_risk?: boolean; partial?: boolean }[];
      detail?: { not_computed?: { path: string; code: string }[] };
    };
    const dependencyRecord = async (sha: string) => {
      const rows = await t.leash.store.queryDecisions({
        type: "authorize",
        action: "dependency.change",
      });
      const bodies = rows.map(
        (r) => JSON.parse(r.body) as LockRecord & { detail?: { sha?: string } },
      );
      const found = bodies.find((b) => b.detail?.sha === sha);
      assert.ok(found, `a dependency.change record for ${sha}`);
      return found;
    };
    const leashDiffs = (record: LockRecord) =>
      (record.evidence ?? []).filter((e) => e.zone === "leash");

    // The upstream's main holds a lockfile leash can read (the seed's has no root entry).
    beforeEach(async () => {
      const maintainer = await maintainerClone();
      await commit(maintainer, { "package-lock.json": BASE });
      assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
      rmSync(maintainer, { recursive: true, force: true });
    });

    test("refuses a lockfile adding an install script though the agent attests a harmless diff", async () => {
      const editing = await capability();
      const validation = await capability("validation");
      const dir = await cloneWith(editing);
      const pushed = await commit(dir, { "package-lock.json": WITH_SCRIPT });
      // The agent picks the lockfiles it hands leash: a bump of undici, nothing else.
      const told = { lockfile: "package-lock.json", before: BASE, after: BUMPED };
      await attest(editing, pushed, "lockfile-diff", told);
      await attest(validation, pushed, "npm-audit", CLEAN_AUDIT);
      const posts = upstream.receivePackPosts;
      const r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes("high_risk_needs_approval"), r.stderr);
      assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], undefined);
      assert.equal(upstream.receivePackPosts, posts);
      const record = await dependencyRecord(pushed);
      assert.equal(record.code, "high_risk_needs_approval");
      const [computed] = leashDiffs(record);
      assert.equal(computed?.path, "package-lock.json");
      assert.equal(computed?.high_risk, true);
      assert.match(
        String((computed as { facts_digest?: string }).facts_digest),
        /^sha256:[0-9a-f]{64}$/,
      );
    });

    test("accepts a harmless lockfile change with a clean scan, no diff attested, and diffs a later update against the branch", async () => {
      const editing = await capability();
      const validation = await capability("validation");
      const dir = await cloneWith(editing);
      const bumped = await commit(dir, { "package-lock.json": BUMPED });
      await attest(validation, bumped, "npm-audit", CLEAN_AUDIT);
      let r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], bumped);
      const [computed] = leashDiffs(await dependencyRecord(bumped));
      assert.deepEqual(
        { path: computed?.path, high_risk: computed?.high_risk },
        { path: "package-lock.json", high_risk: false },
      );
      // An update of the branch is diffed against the branch's old commit: the new package
      // with an install script is high-risk, whoever scanned it.
      const scripted = await commit(dir, { "package-lock.json": WITH_SCRIPT });
      await attest(validation, scripted, "npm-audit", CLEAN_AUDIT);
      r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes("high_risk_needs_approval"), r.stderr);
      assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], bumped);
    });

    const approve = async (sha: string) => {
      const body = {
        action: "dependency.change",
        resource: { type: "Branch", id: "refs/heads/agent/deps" },
        repository_id: "74",
        sha,
        approver: "alice",
      };
      const res = await postJson(`${t.url}/v1/approvals`, body, {
        authorization: `Bearer ${ADMIN_TOKEN}`,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };

    // What leash can't read is the agent's to pad, corrupt or rename: it counts as high-risk,
    // so the agent's own attested diff (whose before and after it picks) never decides alone.
    const unreadable: {
      name: string;
      files: Record<string, string>;
      path: string;
      code: string;
    }[] = [
      {
        name: "a malformed package-lock.json",
        files: { "package-lock.json": "{ not json\n" },
        path: "package-lock.json",
        code: "ERR_EVIDENCE_MALFORMED",
      },
      {
        name: "a yarn.lock",
        files: { "web/yarn.lock": '# yarn lockfile v1\n\nleft-pad@^1.0.0:\n  version "1.3.0"\n' },
        path: "web/yarn.lock",
        code: "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      },
      {
        // npm still reads it: whitespace is JSON.
        name: "a package-lock.json padded past 10 MiB around an install script",
        files: { "package-lock.json": WITH_SCRIPT.replace("{", `{${" ".repeat(11 << 20)}`) },
        path: "package-lock.json",
        code: "ERR_EVIDENCE_TOO_LARGE",
      },
    ];
    for (const c of unreadable) {
      test(`needs the agent's attested diff and an approval for ${c.name} (lockfile_diff_missing, high_risk_needs_approval)`, async () => {
        const editing = await capability();
        const validation = await capability("validation");
        const dir = await cloneWith(editing);
        const pushed = await commit(dir, c.files);
        await attest(validation, pushed, "npm-audit", CLEAN_AUDIT);
        let r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
        assert.notEqual(r.code, 0);
        assert.ok(r.stderr.includes("lockfile_diff_missing"), r.stderr);
        // The refusal says which lockfile leash could not diff, and why.
        assert.ok(r.stderr.includes(`leash could not diff ${c.path} (${c.code}`), r.stderr);
        const record = await dependencyRecord(pushed);
        assert.equal(record.code, "lockfile_diff_missing");
        assert.deepEqual(
          record.detail?.not_computed?.map((m) => [m.path, m.code]),
          [[c.path, c.code]],
        );
        // The unread lockfile stands as leash's own high-risk, partial evidence.
        assert.deepEqual(
          leashDiffs(record).map((e) => [e.path, e.high_risk, e.partial]),
          [[c.path, true, true]],
        );
        // The agent attests a harmless diff through leash: it is the diff, but what leash
        // could not read still needs a person.
        const told = { lockfile: "package-lock.json", before: BASE, after: BUMPED };
        await attest(editing, pushed, "lockfile-diff", told);
        r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
        assert.notEqual(r.code, 0);
        assert.ok(r.stderr.includes("high_risk_needs_approval"), r.stderr);
        assert.ok(r.stderr.includes(`leash could not read ${c.path} (${c.code}`), r.stderr);
        assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], undefined);
        await approve(pushed);
        r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], pushed);
      });
    }

    /** Commits a symlink at `path` to `target` (git mode 120000). */
    const commitLink = async (dir: string, path: string, target: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      rmSync(join(dir, path), { force: true });
      symlinkSync(target, join(dir, path));
      return commit(dir, {});
    };
    const assertLinkRefused = async (r: { code: number; stderr: string }, posts: number) => {
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes("ERR_GIT_LOCKFILE_SYMLINK"), r.stderr);
      assert.equal(upstream.receivePackPosts, posts);
      assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/deps"], undefined);
      const record = await decisionOf(r.stderr);
      assert.deepEqual([record["result"], record["code"]], ["deny", "ERR_GIT_LOCKFILE_SYMLINK"]);
    };

    // A link would make another file the lockfile npm reads, and its edits would ask no
    // dependency.change: what leash can't see by name must not be the lockfile.
    for (const path of ["package-lock.json", "web/pnpm-lock.yaml"]) {
      test(`refuses a push whose ${path} is a symlink, evidence or not (ERR_GIT_LOCKFILE_SYMLINK)`, async () => {
        const editing = await capability();
        const validation = await capability("validation");
        const dir = await cloneWith(editing);
        await commit(dir, { "deps/lock.json": BASE });
        const pushed = await commitLink(
          dir,
          path,
          path.includes("/") ? "../deps/lock.json" : "deps/lock.json",
        );
        const told = { lockfile: "package-lock.json", before: BASE, after: BASE };
        await attest(editing, pushed, "lockfile-diff", told);
        await attest(validation, pushed, "npm-audit", CLEAN_AUDIT);
        const posts = upstream.receivePackPosts;
        const r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
        await assertLinkRefused(r, posts);
        assert.ok(r.stderr.includes(`the lockfile ${path} is a symlink`), r.stderr);
      });
    }

    test("refuses a push that edits only the target of a lockfile symlink already upstream", async () => {
      // Put there past leash (or before it refused links): the agent's push names no lockfile.
      const maintainer = await maintainerClone();
      await commit(maintainer, { "deps/lock.json": BASE });
      await commitLink(maintainer, "package-lock.json", "deps/lock.json");
      assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
      const editing = await capability();
      const dir = await cloneWith(editing);
      await commit(dir, { "deps/lock.json": WITH_SCRIPT });
      const posts = upstream.receivePackPosts;
      const r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      await assertLinkRefused(r, posts);
    });

    test("a lockfile leash can't read does not hide another one's install script", async () => {
      const editing = await capability();
      const validation = await capability("validation");
      const dir = await cloneWith(editing);
      const pushed = await commit(dir, {
        "package-lock.json": WITH_SCRIPT,
        "yarn.lock": "# yarn lockfile v1\n",
      });
      const told = { lockfile: "package-lock.json", before: BASE, after: BUMPED };
      await attest(editing, pushed, "lockfile-diff", told);
      await attest(validation, pushed, "npm-audit", CLEAN_AUDIT);
      const r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes("high_risk_needs_approval"), r.stderr);
      const [computed] = leashDiffs(await dependencyRecord(pushed));
      assert.deepEqual(
        { path: computed?.path, high_risk: computed?.high_risk, partial: computed?.partial },
        { path: "package-lock.json", high_risk: true, partial: true },
      );
    });

    test("a leash diff that leaves a lockfile out does not count as the diff", async () => {
      const editing = await capability();
      const validation = await capability("validation");
      const dir = await cloneWith(editing);
      const pushed = await commit(dir, {
        "package-lock.json": BUMPED,
        "yarn.lock": "# yarn lockfile v1\n",
      });
      await attest(validation, pushed, "npm-audit", CLEAN_AUDIT);
      const r = await push(editing, dir, "HEAD:refs/heads/agent/deps");
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes("lockfile_diff_missing"), r.stderr);
      assert.ok(r.stderr.includes("leash could not diff yarn.lock"), r.stderr);
    });
  });

  test("refuses a merge whose tree takes an older workflow from upstream history", async () => {
    const maintainer = await maintainerClone();
    await commit(maintainer, { ".github/workflows/ci.yml": HARDENED_CI });
    assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
    const cap = await capability();
    const dir = await cloneWith(cap);
    // Parents main and the seed commit; the workflow equals the seed's, so `log -c` hides it.
    const seed = "origin/main~1";
    assert.equal((await git(["checkout", seed, "--", ".github/workflows/ci.yml"], dir)).code, 0);
    const merge = await mergeOfIndex(dir, "origin/main", seed);
    await assertRefusedUnseen(cap, dir, merge, "workflow_change_needs_approval");
  });

  test("refuses a merge that deletes the workflow, taking it from a parent without one", async () => {
    const maintainer = await maintainerClone();
    assert.equal((await git(["checkout", "--quiet", "--orphan", "pages"], maintainer)).code, 0);
    assert.equal((await git(["rm", "-r", "-f", "--quiet", "."], maintainer)).code, 0);
    await commit(maintainer, { "index.html": "<h1>app</h1>\n" });
    assert.equal((await git(["push", "--quiet", "origin", "pages"], maintainer)).code, 0);
    const cap = await capability();
    const dir = await cloneWith(cap);
    assert.equal((await git(["rm", "--quiet", ".github/workflows/ci.yml"], dir)).code, 0);
    const merge = await mergeOfIndex(dir, "origin/main", "origin/pages");
    await assertRefusedUnseen(cap, dir, merge, "workflow_change_needs_approval");
  });

  test("refuses a new branch created at an older upstream commit, whose workflow differs from main's", async () => {
    const maintainer = await maintainerClone();
    await commit(maintainer, { ".github/workflows/ci.yml": HARDENED_CI });
    assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
    const cap = await capability();
    const dir = await cloneWith(cap);
    // No pushed commit touches the workflow: the branch starts at the seed commit.
    assert.equal((await git(["checkout", "--quiet", "origin/main~1"], dir)).code, 0);
    const based = await commit(dir, { "src/a.ts": "export const a = 9;\n" });
    await assertRefusedUnseen(cap, dir, based, "workflow_change_needs_approval");
  });

  test("allows merging main into an agent branch after main changed a workflow", async () => {
    const cap = await capability();
    const dir = await cloneWith(cap);
    await commit(dir, { "src/a.ts": "export const a = 8;\n" });
    assert.equal((await push(cap, dir, "HEAD:refs/heads/agent/x")).code, 0);
    const maintainer = await maintainerClone();
    await commit(maintainer, { ".github/workflows/ci.yml": HARDENED_CI });
    assert.equal((await git(["push", "--quiet", "origin", "main"], maintainer)).code, 0);
    assert.equal((await git([...bearer(cap), "fetch", "--quiet", "origin"], dir)).code, 0);
    const merged = await git(["merge", "--quiet", "--no-edit", "origin/main"], dir);
    assert.equal(merged.code, 0, merged.stderr);
    const merge = (await git(["rev-parse", "HEAD"], dir)).stdout.trim();
    const r = await push(cap, dir, "HEAD:refs/heads/agent/x");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await upstream.refs("acme/app"))["refs/heads/agent/x"], merge);
    const rows = await t.leash.store.queryDecisions({ type: "authorize", action: "code.write" });
    const record = rows
      .map((row) => JSON.parse(row.body) as PushRecord)
      .find((b) => b.detail?.sha === merge);
    assert.ok(record, "the merge's push is recorded");
    assert.ok(!record.resource.attrs?.["paths"]?.includes(".github/workflows/ci.yml"));
  });

  test("refuses deleting a branch and force-pushing it", async () => {
    const cap = await capability();
    const dir = await cloneWith(cap);
    await commit(dir, { "src/a.ts": "export const a = 4;\n" });
    assert.equal((await push(cap, dir, "HEAD:refs/heads/agent/fix")).code, 0);
    const pushed = await upstream.refs("acme/app");
    const del = await push(cap, dir, ":refs/heads/agent/fix");
    assert.notEqual(del.code, 0);
    assert.ok(del.stderr.includes("ref_delete"), del.stderr);
    assert.match(`${del.stdout}${del.stderr}`, /\[remote rejected\]/);
    assert.equal((await git(["commit", "--quiet", "--amend", "-m", "rewritten"], dir)).code, 0);
    const force = await push(cap, dir, "--force", "HEAD:refs/heads/agent/fix");
    assert.notEqual(force.code, 0);
    assert.ok(force.stderr.includes("force_push"), force.stderr);
    assert.deepEqual(await upstream.refs("acme/app"), pushed);
  });

  test("refuses a push of two refs entirely when one is refused", async () => {
    const cap = await capability();
    const dir = await cloneWith(cap);
    await commit(dir, { "src/a.ts": "export const a = 5;\n" });
    const before = await upstream.refs("acme/app");
    const r = await push(cap, dir, "HEAD:refs/heads/agent/fix", "HEAD:refs/heads/main");
    assert.notEqual(r.code, 0);
    assert.match(`${r.stdout}${r.stderr}`, /another ref of this push was refused/);
    assert.deepEqual(await upstream.refs("acme/app"), before);
  });

  test("refuses a revoked capability", async () => {
    const res = await t.exchange("editing");
    const cap = String(res.body["access_token"]);
    const dir = await cloneWith(cap);
    await commit(dir, { "src/a.ts": "export const a = 6;\n" });
    const revoked = await postJson(
      `${t.url}/v1/revoke`,
      { capability_id: res.body["capability_id"] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    assert.equal(revoked.status, 200);
    const posts = upstream.receivePackPosts;
    assert.notEqual((await push(cap, dir, "HEAD:refs/heads/agent/fix")).code, 0);
    assert.equal(upstream.receivePackPosts, posts);
    // In an extraHeader git can't replace the capability: a 403 it reports, not a prompt.
    const again = await git(
      [...bearer(cap), "clone", "--quiet", remote, join(work, "again")],
      work,
    );
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /remote: leash: .*ERR_CAPABILITY_REVOKED/);
    const basic = `Basic ${Buffer.from(`x-access-token:${cap}`).toString("base64")}`;
    for (const [authorization, status] of [
      [`Bearer ${cap}`, 403],
      [basic, 401],
    ] as const) {
      const refs = await fetch(`${remote}/info/refs?service=git-upload-pack`, {
        headers: { authorization },
      });
      assert.equal(refs.status, status);
      assert.match(await refs.text(), /ERR_CAPABILITY_REVOKED/);
    }
  });

  test("refuses a capability without code.write with action_not_granted", async () => {
    const cap = await capability("planning");
    const dir = await cloneWith(cap);
    await commit(dir, { "src/a.ts": "export const a = 7;\n" });
    const r = await push(cap, dir, "HEAD:refs/heads/agent/fix");
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes("action_not_granted"), r.stderr);
  });

  const httpRefusals: {
    name: string;
    code: string;
    status: number;
    path: string;
    init?: RequestInit;
    zone?: string;
    claims?: Record<string, unknown>;
  }[] = [
    {
      name: "an unknown repository",
      code: "ERR_GIT_REPOSITORY_UNKNOWN",
      status: 404,
      path: "/git/acme/other.git/info/refs?service=git-upload-pack",
    },
    {
      name: "a capability of another repository",
      code: "ERR_GIT_REPOSITORY_MISMATCH",
      status: 403,
      path: "/git/acme/app.git/info/refs?service=git-upload-pack",
      zone: "planning",
      claims: {
        repository: "acme/other",
        repository_id: "75",
        sub: "repo:acme/other:ref:refs/heads/agent/fix",
      },
    },
    {
      name: "a dumb-HTTP path",
      code: "ERR_GIT_NOT_FOUND",
      status: 404,
      path: "/git/acme/app.git/HEAD",
    },
    {
      name: "a push body that is not pkt-lines",
      code: "ERR_GIT_PUSH_MALFORMED",
      status: 400,
      path: "/git/acme/app.git/git-receive-pack",
      init: { method: "POST", body: "not a pkt-line stream" },
    },
    {
      name: "a push whose command list never ends",
      code: "ERR_GIT_PUSH_MALFORMED",
      status: 400,
      path: "/git/acme/app.git/git-receive-pack",
      init: { method: "POST", body: "0009abcde" },
    },
  ];
  for (const c of httpRefusals) {
    test(`answers ${c.name} with ${c.status} ${c.code}`, async () => {
      const cap = await capability(c.zone, c.claims);
      const res = await fetch(`${t.url}${c.path}`, {
        ...c.init,
        headers: { authorization: `Bearer ${cap}` },
      });
      assert.equal(res.status, c.status);
      assert.match(await res.text(), new RegExp(c.code));
    });
  }

  test("answers git's empty probe before a large push without going upstream", async () => {
    const cap = await capability();
    const posts = upstream.receivePackPosts;
    const res = await fetch(`${remote}/git-receive-pack`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${cap}`,
        "content-type": "application/x-git-receive-pack-request",
      },
      body: "0000",
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/x-git-receive-pack-result");
    assert.equal(upstream.receivePackPosts, posts);
  });
});
