/**
 * A real OIDC issuer on 127.0.0.1 for tests: serves discovery and a JWKS over node:http,
 * signs tokens with real keys, rotates keys, and counts fetches so tests can assert how often
 * leash asked. Its claim sets follow what GitHub Actions and GitLab CI really send.
 */
import {
  constants,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Options for {@link TestIssuer.sign}. */
export interface SignOptions {
  /** The header `kid`. Signs with the issuer key of that kid when there is one, else the current key. */
  kid?: string;
  /** The header and signing `alg` (the key must fit it). Default: the issuer's algorithm. */
  alg?: string;
  /** Extra header members (`jku`, `x5u`, `jwk`, `crit`, …), merged over the defaults. */
  header?: Record<string, unknown>;
  /** Sign with a fresh key the JWKS never publishes (same `kid` unless `kid` is given). */
  unpublishedKey?: boolean;
  /** The classic confusion attack: HS256 keyed with the current public key's SPKI PEM. */
  hmacWithPublicKey?: boolean;
  /** An unsigned token: `alg: none`, empty signature. */
  none?: boolean;
}

/** A running test issuer. Close it in `after`/`finally`. */
export interface TestIssuer {
  /** `http://127.0.0.1:<port>`; also the `iss` of every token it signs. */
  readonly url: string;
  /** The kid tokens are signed with by default. */
  readonly currentKid: string;
  /** How many times the JWKS was requested. */
  readonly jwksFetches: number;
  /** How many times the discovery document was requested. */
  readonly discoveryFetches: number;
  /** When true, the JWKS answers 503 (an issuer outage); discovery keeps working. */
  failJwks: boolean;
  /** Signs `claims` as a compact JWT. */
  sign(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  /** Adds a new key, makes it current, keeps the old ones published; returns the new kid. */
  rotate(): Promise<string>;
  /** Unpublishes every key but the current one. */
  retireOldKeys(): void;
  /**
   * Realistic GitHub Actions claims for `acme/app` (owner id "65", repository id "74"): a push
   * to `refs/heads/agent/fix` whose job runs the reusable workflow
   * `acme/app/.github/workflows/agent.yml@refs/heads/main` on a GitHub-hosted runner,
   * `aud: "leash"`. An override set to `undefined` removes that claim.
   */
  githubClaims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Realistic GitLab CI `id_tokens` claims for project `acme/app` on branch `agent/fix`. */
  gitlabClaims(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

/** Options for {@link startTestIssuer}. */
export interface TestIssuerOptions {
  /** Key type and signing algorithm. Default RS256. */
  algorithm?: "RS256" | "ES256";
  /** The time claims are built around (seconds). Default: now. Match it with a manual clock. */
  nowSeconds?: number;
}

interface IssuerKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  published: boolean;
}

/** A SHA-1-sized hex commit id, as both providers send it. */
export const TEST_SHA = "4f1d8c2a9b3e7d6c5a4b3c2d1e0f9a8b7c6d5e4f";

/** Starts a test issuer on 127.0.0.1, port 0. */
export async function startTestIssuer(opts: TestIssuerOptions = {}): Promise<TestIssuer> {
  const algorithm = opts.algorithm ?? "RS256";
  const keys: IssuerKey[] = [];
  const counts = { jwks: 0, discovery: 0 };
  let current = addKey(keys, algorithm);
  let url = "";
  const state = { failJwks: false };
  const server = createServer((req, res) =>
    serve(req, res, { url, algorithm, keys, counts, failJwks: state.failJwks }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = () => opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  return {
    get url() {
      return url;
    },
    get currentKid() {
      return current.kid;
    },
    get jwksFetches() {
      return counts.jwks;
    },
    get discoveryFetches() {
      return counts.discovery;
    },
    get failJwks() {
      return state.failJwks;
    },
    set failJwks(v: boolean) {
      state.failJwks = v;
    },
    sign: async (claims, o = {}) => signToken(claims, o, { keys, current, algorithm }),
    rotate: async () => {
      current = addKey(keys, algorithm);
      return current.kid;
    },
    retireOldKeys: () => {
      for (const k of keys) k.published = k === current;
    },
    githubClaims: (overrides) => withOverrides(githubClaimSet(url, now()), overrides),
    gitlabClaims: (overrides) => withOverrides(gitlabClaimSet(url, now()), overrides),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function addKey(keys: IssuerKey[], algorithm: string): IssuerKey {
  const pair =
    algorithm === "ES256"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = { kid: `key-${keys.length + 1}`, ...pair, published: true };
  keys.push(key);
  return key;
}

interface ServeContext {
  url: string;
  algorithm: string;
  keys: readonly IssuerKey[];
  counts: { jwks: number; discovery: number };
  failJwks: boolean;
}

function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext): void {
  const [status, body] = route(req, ctx);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function route(req: IncomingMessage, ctx: ServeContext): [number, unknown] {
  if (req.method === "GET" && req.url === "/.well-known/openid-configuration") {
    ctx.counts.discovery++;
    const discovery = {
      issuer: ctx.url,
      jwks_uri: `${ctx.url}/.well-known/jwks`,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      id_token_signing_alg_values_supported: [ctx.algorithm],
      scopes_supported: ["openid"],
    };
    return [200, discovery];
  }
  if (req.method === "GET" && req.url === "/.well-known/jwks") {
    ctx.counts.jwks++;
    if (ctx.failJwks) return [503, { error: "unavailable" }];
    const keys = ctx.keys
      .filter((k) => k.published)
      .map((k) => ({
        ...k.publicKey.export({ format: "jwk" }),
        kid: k.kid,
        alg: ctx.algorithm,
        use: "sig",
      }));
    return [200, { keys }];
  }
  return [404, { error: "not_found" }];
}

interface SignContext {
  keys: readonly IssuerKey[];
  current: IssuerKey;
  algorithm: string;
}

function signToken(claims: Record<string, unknown>, o: SignOptions, ctx: SignContext): string {
  const kid = o.kid ?? ctx.current.kid;
  const alg = o.none ? "none" : o.hmacWithPublicKey ? "HS256" : (o.alg ?? ctx.algorithm);
  const header = { alg, typ: "JWT", kid, ...o.header };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  if (o.none) return `${input}.`;
  let key = ctx.keys.find((k) => k.kid === kid) ?? ctx.current;
  if (o.unpublishedKey) key = addKey([], ctx.algorithm);
  if (o.hmacWithPublicKey) {
    const pem = ctx.current.publicKey.export({ type: "spki", format: "pem" });
    return `${input}.${createHmac("sha256", pem).update(input).digest("base64url")}`;
  }
  return `${input}.${signWith(alg, key.privateKey, input).toString("base64url")}`;
}

function signWith(alg: string, key: KeyObject, input: string): Buffer {
  const hash = `sha${alg.slice(2)}`;
  const data = Buffer.from(input);
  if (alg.startsWith("RS")) return sign(hash, data, key);
  if (alg.startsWith("PS"))
    return sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  if (alg.startsWith("ES")) return sign(hash, data, { key, dsaEncoding: "ieee-p1363" });
  throw new Error(`test issuer cannot sign with ${alg}`);
}

function b64(text: string): string {
  return Buffer.from(text).toString("base64url");
}

function withOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const out = { ...base, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete out[k];
  return out;
}

function githubClaimSet(iss: string, now: number): Record<string, unknown> {
  return {
    jti: randomUUID(),
    sub: "repo:acme/app:ref:refs/heads/agent/fix",
    aud: "leash",
    ref: "refs/heads/agent/fix",
    sha: TEST_SHA,
    repository: "acme/app",
    repository_owner: "acme",
    actor_id: "12",
    repository_visibility: "private",
    repository_id: "74",
    repository_owner_id: "65",
    run_id: "9876543210",
    run_number: "42",
    run_attempt: "1",
    runner_environment: "github-hosted",
    actor: "octocat",
    workflow: "agent",
    head_ref: "",
    base_ref: "",
    event_name: "push",
    ref_type: "branch",
    ref_protected: "false",
    workflow_ref: "acme/app/.github/workflows/ci.yml@refs/heads/agent/fix",
    workflow_sha: TEST_SHA,
    job_workflow_ref: "acme/app/.github/workflows/agent.yml@refs/heads/main",
    job_workflow_sha: TEST_SHA,
    check_run_id: "31415926535",
    iss,
    nbf: now - 600,
    exp: now + 300,
    iat: now,
  };
}

function gitlabClaimSet(iss: string, now: number): Record<string, unknown> {
  const host = new URL(iss).host;
  return {
    namespace_id: "65",
    namespace_path: "acme",
    project_id: "74",
    project_path: "acme/app",
    user_id: "12",
    user_login: "alice",
    user_email: "alice@example.com",
    user_access_level: "developer",
    pipeline_id: "1234567",
    pipeline_source: "push",
    job_id: "7654321",
    ref: "agent/fix",
    ref_type: "branch",
    ref_path: "refs/heads/agent/fix",
    ref_protected: "false",
    runner_id: 1,
    runner_environment: "gitlab-hosted",
    sha: TEST_SHA,
    project_visibility: "private",
    ci_config_ref_uri: `${host}/acme/app//.gitlab-ci.yml@refs/heads/agent/fix`,
    ci_config_sha: TEST_SHA,
    jti: randomUUID(),
    iss,
    iat: now,
    nbf: now - 5,
    exp: now + 300,
    sub: "project_path:acme/app:ref_type:branch:ref:agent/fix",
    aud: "leash",
  };
}
