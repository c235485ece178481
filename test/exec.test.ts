import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { startTestLeash, type TestLeash } from "./support/test-leash.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "leash.cjs");
const NODE = process.execPath;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const CAPABILITY = `${b64url({ alg: "ES256", kid: "k1", typ: "JWT" })}.${b64url({ jti: "cap_test", zone: "editing" })}.${randomBytes(64).toString("base64url")}`;
const GITHUB_TOKEN = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
const LEASED = "leased-npm-secret-value-0123456789";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startLeash(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(NODE, [BIN, "exec", ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
}

function collect(child: ChildProcess, onStdout?: (soFar: string) => void): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
    onStdout?.(stdout);
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("leash exec (the real CLI)", () => {
  let dir: string;
  let baseEnv: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "leash-exec-"));
    baseEnv = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      CI: "true",
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_TOKEN,
      NPM_TOKEN: "npm_not_for_the_agent",
      AWS_SECRET_ACCESS_KEY: "aws-secret-not-for-the-agent",
      MY_FLAG: "on",
      LEASH_CAPABILITY: CAPABILITY,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const exec = (args: string[], env: Record<string, string> = baseEnv) =>
    collect(startLeash(args, env, dir));

  test("the child gets no inherited credential, and the capability never appears in output", async () => {
    const script =
      "console.log(process.env.GITHUB_TOKEN ?? 'none'); console.log(process.env.LEASH_CAPABILITY); console.error(process.env.LEASH_CAPABILITY); console.log(process.env.GITHUB_REPOSITORY)";
    const r = await exec(["--", NODE, "-e", script]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "none\n[REDACTED:secret]\nacme/app\n");
    for (const leaked of [CAPABILITY, GITHUB_TOKEN, "npm_not_for_the_agent", "aws-secret-not"]) {
      assert.ok(!r.stdout.includes(leaked) && !r.stderr.includes(leaked));
    }
    assert.match(r.stderr, /removed from the environment: .*GITHUB_TOKEN/);
    assert.match(r.stderr, /AWS_SECRET_ACCESS_KEY/);
    assert.match(r.stderr, /NPM_TOKEN/);
    assert.doesNotMatch(r.stderr, /LEASH_CAPABILITY/, "exec sets it itself; it is not 'removed'");
  });

  test("--pass passes a harmless name and refuses a credential", async () => {
    const script =
      "console.log(process.env.MY_FLAG ?? 'none'); console.log(process.env.NPM_TOKEN ?? 'none')";
    const r = await exec(["--pass", "MY_FLAG", "--pass", "NPM_TOKEN", "--", NODE, "-e", script]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "on\nnone\n");
    assert.match(r.stderr, /--pass NPM_TOKEN refused/);
  });

  test("a credential passes only with --pass and exec.allow_env in an explicitly named config", async () => {
    const config = join(dir, "operator-leash.yaml");
    writeFileSync(
      config,
      [
        "issuers:",
        "  - { name: gha, url: https://token.actions.githubusercontent.com, provider: github, audience: leash }",
        "exec:",
        "  allow_env: [NPM_TOKEN]",
        "",
      ].join("\n"),
    );
    // A leash.yaml in the working directory (the agent's checkout) is never read.
    writeFileSync(join(dir, "leash.yaml"), readFileSync(config));
    const script = "console.log(process.env.NPM_TOKEN ?? 'none')";
    const cases: { args: string[]; env?: Record<string, string>; stdout: string }[] = [
      { args: ["--pass", "NPM_TOKEN"], stdout: "none\n" },
      { args: ["--config", config], stdout: "none\n" },
      { args: ["--config", config, "--pass", "NPM_TOKEN"], stdout: "npm_not_for_the_agent\n" },
      {
        args: ["--pass", "NPM_TOKEN"],
        env: { LEASH_CONFIG: config },
        stdout: "npm_not_for_the_agent\n",
      },
    ];
    for (const c of cases) {
      const r = await exec([...c.args, "--", NODE, "-e", script], { ...baseEnv, ...c.env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, c.stdout, JSON.stringify(c.args));
    }
  });

  test("an unreadable --config is a usage error (exit 2) and runs nothing", async () => {
    const r = await exec([
      "--config",
      join(dir, "missing.yaml"),
      "--",
      NODE,
      "-e",
      "console.log('ran')",
    ]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /ERR_CONFIG_NOT_FOUND/);
  });

  test("--json writes a summary of names to stderr", async () => {
    const r = await exec(["--json", "--", NODE, "-e", ""]);
    assert.equal(r.code, 0);
    const summary = JSON.parse(r.stderr.trim().split("\n").at(-1) as string);
    assert.equal(summary.exit_code, 0);
    assert.equal(summary.capability_source, "env");
    assert.ok(summary.removed.includes("GITHUB_TOKEN"));
    assert.ok(summary.passed.includes("PATH"));
    assert.ok(!r.stderr.includes(GITHUB_TOKEN));
  });

  const exits: { name: string; script: string; code: number }[] = [
    { name: "an exit code", script: "process.exit(7)", code: 7 },
    { name: "a signal death as 128+N", script: "process.kill(process.pid, 'SIGKILL')", code: 137 },
  ];
  for (const c of exits) {
    test(`exec exits with the child's status: ${c.name}`, async () => {
      const r = await exec(["--", NODE, "-e", c.script]);
      assert.equal(r.code, c.code);
    });
  }

  test("a command that does not exist exits 127", async () => {
    const r = await exec(["--", join(dir, "no-such-command")]);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /command not found/);
  });

  test("SIGTERM to leash is forwarded to the child", async () => {
    const script =
      "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);";
    const child = startLeash(["--", NODE, "-e", script], baseEnv, dir);
    let sent = false;
    const r = await collect(child, (out) => {
      if (!sent && out.includes("ready\n")) {
        sent = true;
        child.kill("SIGTERM");
      }
    });
    assert.equal(r.code, 42);
    assert.equal(r.stdout, "ready\ngot SIGTERM\n");
  });

  const usage: { name: string; args: string[]; env?: Record<string, string> }[] = [
    { name: "no -- before the command", args: [NODE, "-e", ""] },
    { name: "nothing after --", args: ["--"] },
    { name: "a --pass that is not a variable name", args: ["--pass", "A=B", "--", NODE] },
    {
      name: "no capability and no --zone",
      args: ["--", NODE, "-e", ""],
      env: { PATH: process.env["PATH"] ?? "" },
    },
  ];
  for (const c of usage) {
    test(`usage error (exit 2): ${c.name}`, async () => {
      const r = await exec(c.args, c.env ?? baseEnv);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
    });
  }
});

describe("leash exec with a leash upstream", () => {
  let upstream: Server;
  let upstreamUrl: string;
  let dir: string;
  const seen: { method: string; url: string; authorization: string; body: string }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "leash-exec-relay-"));
    // A test peer playing the leash server's secret lease endpoint.
    upstream = createServer(async (req, res) => {
      const body = await readBody(req);
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization ?? "",
        body,
      });
      // exec puts the run on the record before it starts the command.
      if (req.method === "POST" && req.url === "/v1/authorize") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ decision: "allow", decision_id: "dec_1", reasons: [] }));
        return;
      }
      if (req.method === "POST" && req.url === "/v1/secrets/NPM_TOKEN/lease") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ value: LEASED, lease_id: "lea_1", expires_at: "2030-01-01T00:00:00Z" }),
        );
        return;
      }
      res.writeHead(404, { "content-type": "application/json", "x-upstream": "yes" });
      res.end(JSON.stringify({ error: "invalid_request", path: req.url }));
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => upstream.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test("a value the child leases through LEASH_URL is masked in its output", async () => {
    const script = `
      const base = process.env.LEASH_URL;
      const res = await fetch(base + "/v1/secrets/NPM_TOKEN/lease", {
        method: "POST",
        headers: { authorization: "Bearer " + process.env.LEASH_CAPABILITY, "content-type": "application/json" },
        body: JSON.stringify({ purpose: "publish the package" }),
      });
      const b = await res.json();
      console.log("status " + res.status + " value " + b.value + " lease " + b.lease_id);
      console.error("again " + b.value);
      const other = await fetch(base + "/v1/other");
      console.log("other " + other.status + " " + other.headers.get("x-upstream"));
      console.log("relay is loopback " + (base !== ${JSON.stringify(upstreamUrl)} && base.startsWith("http://127.0.0.1:")));
    `;
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, LEASH_CAPABILITY: CAPABILITY };
    const r = await collect(
      startLeash(
        ["--server", upstreamUrl, "--", NODE, "--input-type=module", "-e", script],
        env,
        dir,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "status 200 value [REDACTED:secret] lease lea_1\nother 404 yes\nrelay is loopback true\n",
    );
    assert.equal(r.stderr, "again [REDACTED:secret]\n");
    const lease = seen.find((s) => s.url === "/v1/secrets/NPM_TOKEN/lease");
    assert.equal(lease?.authorization, `Bearer ${CAPABILITY}`, "forwarded unchanged");
    assert.deepEqual(JSON.parse(lease?.body ?? "{}"), { purpose: "publish the package" });
  });
});

describe("leash exec obtaining a capability like leash token", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let dir: string;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
    dir = mkdtempSync(join(tmpdir(), "leash-exec-exchange-"));
  });
  after(async () => {
    await t.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("without LEASH_CAPABILITY, exec exchanges the job's ID token and masks the result", async () => {
    const idToken = await issuer.sign(issuer.githubClaims());
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, CI_ID_TOKEN: idToken };
    const script =
      "const c = process.env.LEASH_CAPABILITY; console.log(c.split('.').length, c); console.log(process.env.CI_ID_TOKEN ?? 'none')";
    const r = await collect(
      startLeash(
        [
          "--zone",
          "editing",
          "--server",
          t.url,
          "--id-token-env",
          "CI_ID_TOKEN",
          "--json",
          "--",
          NODE,
          "-e",
          script,
        ],
        env,
        dir,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^3 \[REDACTED:(secret|jwt)\]\nnone\n$/);
    assert.ok(!r.stdout.includes(idToken) && !r.stderr.includes(idToken));
    const summary = JSON.parse(r.stderr.trim().split("\n").at(-1) as string);
    assert.equal(summary.capability_source, "exchange");
    assert.match(summary.capability_id, /^cap_/);
    assert.ok(summary.removed.includes("CI_ID_TOKEN"));
    // The withheld names (never values) are on the record of the run's command.run decision.
    const rows = await t.leash.store.queryDecisions({
      capabilityId: summary.capability_id,
      action: "command.run",
    });
    assert.equal(rows.length, 1);
    const record = JSON.parse(rows[0]?.body ?? "{}");
    assert.ok(record.detail.scrubbed_env.includes("CI_ID_TOKEN"));
    assert.ok(!rows[0]?.body.includes(idToken));
  });

  test("a run leash can't record is not started (fail closed)", async () => {
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, LEASH_CAPABILITY: "x.y.z" };
    const r = await collect(
      startLeash(["--server", t.url, "--", NODE, "-e", "console.log('ran')"], env, dir),
    );
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /ERR_CAPABILITY_INVALID/);
  });

  test("leash token, sharing obtainCapability, still prints the capability or the refusal", async () => {
    const run = async (claims: Record<string, unknown>) => {
      const env = {
        PATH: process.env["PATH"] ?? "",
        CI_ID_TOKEN: await issuer.sign(issuer.githubClaims(claims)),
      };
      const args = [
        "token",
        "--zone",
        "editing",
        "--server",
        t.url,
        "--id-token-env",
        "CI_ID_TOKEN",
      ];
      const child = spawn(NODE, [BIN, ...args, "--json"], { env, cwd: dir });
      return collect(child);
    };
    const ok = await run({});
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).zone, "editing");
    const refused = await run({ repository_id: "999" });
    assert.equal(refused.code, 1);
    assert.equal(typeof JSON.parse(refused.stdout).error, "string");
    assert.match(refused.stderr, /^leash: /);
  });

  test("a refused exchange exits 1 and runs nothing", async () => {
    const idToken = await issuer.sign(issuer.githubClaims({ repository_id: "999" }));
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, CI_ID_TOKEN: idToken };
    const marker = join(dir, "ran");
    const r = await collect(
      startLeash(
        [
          "--zone",
          "editing",
          "--server",
          t.url,
          "--id-token-env",
          "CI_ID_TOKEN",
          "--",
          NODE,
          "-e",
          `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`,
        ],
        env,
        dir,
      ),
    );
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /leash: ERR_/);
    assert.equal(existsSync(marker), false, "the command did not run");
  });
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}
