/**
 * `leash report` over the decision log a real leash wrote: the CLI reads the same SQLite file
 * through the config, and every format says the same thing.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { main } from "../src/cli/main.js";
import type { Report } from "../src/metrics/index.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { ADMIN_TOKEN, postJson, startTestLeash, type TestLeash } from "./support/test-leash.js";

async function runCli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env: {},
    cwd,
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
  };
  const code = await main(args, {}, io);
  return { code, out: out.join(""), err: err.join("") };
}

describe("leash report", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let config: string;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
    config = join(t.dir, "leash.yaml");
    writeFileSync(
      config,
      `store: { url: "sqlite:state/leash.db" }\nstate_dir: state\nissuers:\n  - { name: ci, url: "${issuer.url}", provider: github, audience: leash, allow_insecure_loopback: true }\n`,
    );
    const branch = { type: "Branch", id: "refs/heads/agent/fix", attrs: { paths: ["src/a.ts"] } };
    for (const run of ["1", "2"]) {
      const cap = (await t.exchange("editing", { run_id: run })).body;
      const auth = { authorization: `Bearer ${cap["access_token"]}` };
      await postJson(`${t.url}/v1/authorize`, { action: "code.write", resource: branch }, auth);
      await postJson(
        `${t.url}/v1/authorize`,
        { action: "code.write", resource: { ...branch, id: "refs/heads/main" } },
        auth,
      );
      if (run === "2") {
        const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
        await postJson(`${t.url}/v1/revoke`, { capability_id: cap["capability_id"] }, admin);
        await postJson(`${t.url}/v1/authorize`, { action: "code.write", resource: branch }, auth);
      }
    }
    await t.leash.audit.flush();
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  test("--format json computes every figure from the log", async () => {
    const res = await runCli(["report", "--format", "json", "--config", config], t.dir);
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out) as Report;
    assert.equal(r.schema_version, 1);
    assert.deepEqual(r.credential_lifetime.by_zone, [
      { zone: "editing", capabilities: 2, median_seconds: 600, max_seconds: 600 },
    ]);
    assert.equal(r.credential_lifetime.write_capable.share, 1);
    const rule = r.permission_surface.by_rule[0];
    assert.equal(rule?.rule, "app-agent-editing");
    assert.deepEqual(rule?.used, ["code.write"]);
    assert.ok(rule?.unused.includes("infra.change"));
    assert.equal(r.denied_actions.runs, 2);
    // Two protected-branch denials and one revoked refusal, over two runs.
    assert.equal(r.denied_actions.denied.writes, 3);
    assert.equal(r.denied_actions.per_1000_runs.writes, 1500);
    assert.deepEqual(
      r.policy_latency.by_stage.map((s) => s.stage),
      ["exchange", "edit", "other"],
    );
    assert.equal(r.revocation_time.revocations, 1);
    assert.equal(r.revocation_time.observed, 1);
    assert.ok((r.revocation_time.p99_ms ?? -1) >= 0);
  });

  test("--format html --output FILE writes one self-contained page", async () => {
    const file = join(t.dir, "report.html");
    const res = await runCli(
      ["report", "--format", "html", "--output", file, "--config", config],
      t.dir,
    );
    assert.equal(res.code, 0, res.err);
    assert.equal(res.out, "");
    const html = readFileSync(file, "utf8");
    assert.ok(html.includes("<svg "));
    assert.ok(!/<script|\b(src|href)=/i.test(html));
  });

  test("text is the default", async () => {
    const res = await runCli(["report", "--since", "1h", "--config", config], t.dir);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /^leash report /);
    assert.match(res.out, /Permission surface/);
  });

  const usage: { name: string; args: string[] }[] = [
    { name: "an unknown format", args: ["--format", "pdf"] },
    { name: "an unreadable --since", args: ["--since", "a week"] },
  ];
  for (const c of usage) {
    test(`${c.name} is a usage error (exit 2)`, async () => {
      const res = await runCli(["report", ...c.args, "--config", config], t.dir);
      assert.equal(res.code, 2);
    });
  }
});
