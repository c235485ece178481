/**
 * A real leash for tests: compiled config, SQLite in the test's own temp dir, a real HTTP
 * server on 127.0.0.1, wired to a real local OIDC issuer. Nothing of ours is mocked.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { createLeash, type Leash } from "../../src/broker/index.js";
import type { Clock } from "../../src/clock/index.js";
import { configSchema } from "../../src/config/config-schema.js";
import { compileConfig, type LeashConfig } from "../../src/config/index.js";
import { type RunningServer, startServer } from "../../src/server/index.js";
import { startTestIssuer, type TestIssuer } from "./oidc-issuer.js";

export const ADMIN_TOKEN = `lsa_test_${randomBytes(8).toString("hex")}`;

/** The trust rules most tests use: acme/app (repo 74, owner 65) on agent/* branches, and CI validation. */
export function defaultTrust(): Record<string, unknown>[] {
  return [
    {
      name: "app-agent-editing",
      issuer: "ci",
      claims: {
        repository_id: "74",
        repository_owner_id: "65",
        ref: { glob: "refs/heads/agent/*" },
        job_workflow_ref: "acme/app/.github/workflows/agent.yml@refs/heads/main",
      },
      zone: "editing",
      actions: ["repo.read", "code.write", "dependency.change", "infra.change", "change.attest"],
      ttl: "10m",
    },
    {
      name: "app-validation",
      issuer: "ci",
      claims: { repository_id: "74", repository_owner_id: "65" },
      zone: "validation",
      actions: ["repo.read", "test.attest", "scan.attest", "change.attest"],
      ttl: "10m",
    },
    {
      name: "app-planning",
      issuer: "ci",
      claims: { repository_owner_id: "65" },
      zone: "planning",
      actions: ["repo.read", "plan.submit"],
      ttl: "30m",
    },
  ];
}

/** The config entry of the local test issuer, as every test names it (`ci`, audience leash). */
export function ciIssuer(url: string, provider: "github" | "gitlab" = "github") {
  return { name: "ci", url, provider, audience: "leash", allow_insecure_loopback: true };
}

/**
 * Writes `<dir>/leash.yaml` for a `leash serve` child process: any free port, the test
 * issuer, the default trust rules, plus `extra` top-level keys. Returns the file's path.
 */
export function writeServeConfig(
  dir: string,
  issuerUrl: string,
  extra: Record<string, unknown> = {},
): string {
  const file = join(dir, "leash.yaml");
  writeFileSync(
    file,
    JSON.stringify({
      server: { host: "127.0.0.1", port: 0 },
      issuers: [ciIssuer(issuerUrl)],
      trust: defaultTrust(),
      ...extra,
    }),
  );
  return file;
}

export interface TestLeash {
  leash: Leash;
  server: RunningServer;
  url: string;
  dir: string;
  config: LeashConfig;
  /** Exchanges a freshly signed GitHub token (claims overridden as given) for a capability. */
  exchange(
    zone: string,
    overrides?: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface TestLeashOptions {
  issuer: TestIssuer;
  provider?: "github" | "gitlab";
  trust?: Record<string, unknown>[];
  /** Extra top-level config keys (policy, …), as written in YAML. */
  extra?: Record<string, unknown>;
  env?: Record<string, string>;
  clock?: Clock;
  /** .cedar files written to `<dir>/shadow/` (for `policy.shadow_dirs: [shadow]`). */
  shadowPolicies?: Record<string, string>;
}

/**
 * A test issuer and a leash for the enclosing `describe`, started before its tests and
 * closed after them: read `.issuer` and `.t` inside the tests (they are set once the
 * suite's `before` has run).
 */
export function useTestLeash(opts: Omit<TestLeashOptions, "issuer"> = {}): {
  readonly issuer: TestIssuer;
  readonly t: TestLeash;
} {
  const live = {} as { issuer: TestIssuer; t: TestLeash };
  before(async () => {
    live.issuer = await startTestIssuer();
    live.t = await startTestLeash({ ...opts, issuer: live.issuer });
  });
  after(async () => {
    await live.t?.close();
    await live.issuer?.close();
  });
  return live;
}

/** Starts leash on a free loopback port with its public URL set to where it listens. */
export async function startTestLeash(opts: TestLeashOptions): Promise<TestLeash> {
  const dir = mkdtempSync(join(tmpdir(), "leash-test-"));
  const port = await freePort();
  if (opts.shadowPolicies) {
    mkdirSync(join(dir, "shadow"));
    for (const [name, text] of Object.entries(opts.shadowPolicies))
      writeFileSync(join(dir, "shadow", name), text);
  }
  const raw = configSchema.parse({
    server: { host: "127.0.0.1", port },
    store: { url: "sqlite:state/leash.db" },
    state_dir: "state",
    issuers: [ciIssuer(opts.issuer.url, opts.provider)],
    trust: opts.trust ?? defaultTrust(),
    ...opts.extra,
  });
  const config = compileConfig(raw, join(dir, "leash.yaml"));
  const leash = await createLeash(config, {
    env: { LEASH_ADMIN_TOKEN: ADMIN_TOKEN, ...opts.env },
    ...(opts.clock ? { clock: opts.clock } : {}),
  }).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const server = await startServer(leash, { host: "127.0.0.1", port });
  return {
    leash,
    server,
    url: server.url,
    dir,
    config,
    async exchange(zone, overrides) {
      const token = await opts.issuer.sign(opts.issuer.githubClaims(overrides));
      return postForm(`${server.url}/v1/token`, exchangeForm(token, `zone:${zone}`));
    },
    async close() {
      await server.close();
      await leash.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The RFC 8693 form for an ID token. */
export function exchangeForm(token: string, scope: string): Record<string, string> {
  return {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: token,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    scope,
  };
}

export async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function postJson(url: string, json: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The Authorization header of a fresh capability for `zone` from `t`. */
export async function bearerFor(t: TestLeash, zone: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${(await t.exchange(zone)).body["access_token"]}` };
}
