import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { REVOCATION_CLOCK_SKEW_MS } from "../src/capability/index.js";
import { createManualClock } from "../src/clock/index.js";
import { createDpopKeyPair, createDpopProof } from "./support/dpop.js";
import {
  ADMIN_TOKEN,
  exchangeForm,
  postForm,
  postJson,
  useTestLeash,
} from "./support/test-leash.js";

const now = () => Math.floor(Date.now() / 1000);
const decodePayload = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()) as Record<
    string,
    unknown
  >;

describe("POST /v1/token", () => {
  const env = useTestLeash();

  test("a GitHub job on an agent branch gets a 10-minute editing capability bound to its job", async () => {
    const res = await env.t.exchange("editing");
    assert.equal(res.status, 200);
    const b = res.body;
    assert.equal(b["token_type"], "Bearer");
    assert.equal(b["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token");
    assert.equal(b["zone"], "editing");
    assert.equal(b["expires_in"], 600);
    assert.match(String(b["capability_id"]), /^cap_/);
    assert.match(String(b["decision_id"]), /^dec_/);
    const claims = decodePayload(String(b["access_token"]));
    assert.equal(claims["jti"], b["capability_id"]);
    assert.equal(claims["zone"], "editing");
    assert.equal((claims["exp"] as number) - (claims["iat"] as number), 600);
    const job = claims["job"] as Record<string, string>;
    assert.equal(job["repository_id"], "74");
    assert.equal(job["owner_id"], "65");
    assert.equal(job["ref"], "refs/heads/agent/fix");
    assert.equal(job["job_workflow_ref"], "acme/app/.github/workflows/agent.yml@refs/heads/main");
    const row = await env.t.leash.store.getDecision(String(b["decision_id"]));
    assert.equal(row?.result, "allow");
    assert.ok(
      !row?.body.includes(String(b["access_token"])),
      "the capability never enters the record",
    );
  });

  test("a requested subset of actions narrows the grant", async () => {
    const token = await env.issuer.sign(env.issuer.githubClaims());
    const res = await postForm(
      `${env.t.url}/v1/token`,
      exchangeForm(token, "zone:editing repo.read"),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body["actions"], ["repo.read"]);
    assert.equal(res.body["scope"], "zone:editing repo.read");
  });

  test("JSON bodies are accepted as well as forms", async () => {
    const token = await env.issuer.sign(env.issuer.githubClaims());
    const res = await postJson(`${env.t.url}/v1/token`, exchangeForm(token, "zone:planning"));
    assert.equal(res.status, 200);
    assert.equal(res.body["expires_in"], 1800);
  });

  const refusals: {
    name: string;
    token: () => Promise<string>;
    scope?: string;
    status: number;
    code: string;
  }[] = [
    {
      name: "alg none",
      token: () => env.issuer.sign(env.issuer.githubClaims(), { none: true }),
      status: 401,
      code: "ERR_IDENTITY_ALG_NOT_ALLOWED",
    },
    {
      name: "HS256 keyed with the issuer's public key",
      token: () => env.issuer.sign(env.issuer.githubClaims(), { hmacWithPublicKey: true }),
      status: 401,
      code: "ERR_IDENTITY_ALG_NOT_ALLOWED",
    },
    {
      name: "unknown kid",
      token: () =>
        env.issuer.sign(env.issuer.githubClaims(), { unpublishedKey: true, kid: "nobody-knows" }),
      status: 401,
      code: "ERR_IDENTITY_UNKNOWN_KID",
    },
    {
      name: "bad signature",
      token: () => env.issuer.sign(env.issuer.githubClaims(), { unpublishedKey: true }),
      status: 401,
      code: "ERR_IDENTITY_BAD_SIGNATURE",
    },
    {
      name: "expired",
      token: () =>
        env.issuer.sign(
          env.issuer.githubClaims({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 600 }),
        ),
      status: 401,
      code: "ERR_IDENTITY_TOKEN_EXPIRED",
    },
    {
      name: "nbf in the future",
      token: () => env.issuer.sign(env.issuer.githubClaims({ nbf: now() + 600 })),
      status: 401,
      code: "ERR_IDENTITY_NOT_YET_VALID",
    },
    {
      name: "iat far in the future",
      token: () =>
        env.issuer.sign(env.issuer.githubClaims({ iat: now() + 3600, exp: now() + 7200 })),
      status: 401,
      code: "ERR_IDENTITY_ISSUED_IN_FUTURE",
    },
    {
      name: "wrong aud",
      token: () => env.issuer.sign(env.issuer.githubClaims({ aud: "someone-else" })),
      status: 401,
      code: "ERR_IDENTITY_AUDIENCE_MISMATCH",
    },
    {
      name: "missing aud",
      token: () => env.issuer.sign(env.issuer.githubClaims({ aud: undefined })),
      status: 401,
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "the provider-default audience",
      token: () => env.issuer.sign(env.issuer.githubClaims({ aud: "https://github.com/acme" })),
      status: 401,
      code: "ERR_IDENTITY_AUDIENCE_PROVIDER_DEFAULT",
    },
    {
      name: "an iss not configured",
      token: () => env.issuer.sign(env.issuer.githubClaims({ iss: "https://evil.example" })),
      status: 401,
      code: "ERR_IDENTITY_UNKNOWN_ISSUER",
    },
    {
      name: "over 16 KiB",
      token: () => env.issuer.sign(env.issuer.githubClaims({ padding: "x".repeat(17 * 1024) })),
      status: 401,
      code: "ERR_IDENTITY_TOKEN_TOO_LARGE",
    },
    {
      name: "not three base64url parts",
      token: async () => "abc.def",
      status: 401,
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "a claim of the wrong type",
      token: () => env.issuer.sign(env.issuer.githubClaims({ repository_id: 74 })),
      status: 401,
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "pull_request_target for a write zone",
      token: () => env.issuer.sign(env.issuer.githubClaims({ event_name: "pull_request_target" })),
      status: 403,
      code: "ERR_TRUST_EVENT_NOT_ALLOWED",
    },
    {
      name: "workflow_run for a write zone",
      token: () => env.issuer.sign(env.issuer.githubClaims({ event_name: "workflow_run" })),
      status: 403,
      code: "ERR_TRUST_EVENT_NOT_ALLOWED",
    },
    {
      name: "a self-hosted runner for a write zone",
      token: () => env.issuer.sign(env.issuer.githubClaims({ runner_environment: "self-hosted" })),
      status: 403,
      code: "ERR_TRUST_SELF_HOSTED_RUNNER",
    },
    {
      // test.attest writes nothing, but its "tests passed" lets other zones' writes through.
      name: "pull_request_target for the validation zone (test.attest)",
      token: () => env.issuer.sign(env.issuer.githubClaims({ event_name: "pull_request_target" })),
      scope: "zone:validation",
      status: 403,
      code: "ERR_TRUST_EVENT_NOT_ALLOWED",
    },
    {
      name: "a self-hosted runner for the validation zone (test.attest)",
      token: () => env.issuer.sign(env.issuer.githubClaims({ runner_environment: "self-hosted" })),
      scope: "zone:validation",
      status: 403,
      code: "ERR_TRUST_SELF_HOSTED_RUNNER",
    },
    {
      name: "a ref outside every rule",
      token: () =>
        env.issuer.sign(
          env.issuer.githubClaims({
            ref: "refs/heads/main",
            sub: "repo:acme/app:ref:refs/heads/main",
          }),
        ),
      status: 403,
      code: "ERR_TRUST_NO_MATCHING_RULE",
    },
    {
      name: "a repository id outside every rule",
      token: () => env.issuer.sign(env.issuer.githubClaims({ repository_id: "75" })),
      status: 403,
      code: "ERR_TRUST_NO_MATCHING_RULE",
    },
    {
      name: "a scope naming an unknown zone",
      token: () => env.issuer.sign(env.issuer.githubClaims()),
      scope: "zone:production",
      status: 400,
      code: "ERR_EXCHANGE_INVALID_SCOPE",
    },
    {
      name: "an action that is not the zone's",
      token: () => env.issuer.sign(env.issuer.githubClaims()),
      scope: "zone:editing deploy",
      status: 400,
      code: "ERR_EXCHANGE_INVALID_SCOPE",
    },
    {
      name: "an action outside the grant",
      token: () => env.issuer.sign(env.issuer.githubClaims()),
      scope: "zone:planning secret.read",
      status: 400,
      code: "ERR_TRUST_ACTION_NOT_GRANTED",
    },
  ];

  for (const c of refusals) {
    test(`refuses ${c.name} with ${c.code}, records it, issues nothing`, async () => {
      const res = await postForm(
        `${env.t.url}/v1/token`,
        exchangeForm(await c.token(), c.scope ?? "zone:editing"),
      );
      assert.equal(res.body["code"], c.code);
      assert.equal(res.status, c.status);
      assert.equal(res.body["access_token"], undefined);
      assert.equal(typeof res.body["error"], "string");
      const row = await env.t.leash.store.getDecision(String(res.body["decision_id"]));
      assert.equal(row?.result, "deny");
      assert.equal(JSON.parse(row?.body ?? "{}").code, c.code);
    });
  }

  test("a token is exchanged once: the replay is refused", async () => {
    const token = await env.issuer.sign(env.issuer.githubClaims());
    assert.equal(
      (await postForm(`${env.t.url}/v1/token`, exchangeForm(token, "zone:editing"))).status,
      200,
    );
    const again = await postForm(`${env.t.url}/v1/token`, exchangeForm(token, "zone:editing"));
    assert.equal(again.status, 401);
    assert.equal(again.body["code"], "ERR_EXCHANGE_TOKEN_REPLAYED");
  });

  test("a refusal names the closest rule and the claim that failed in the record", async () => {
    const res = await env.t.exchange("editing", { ref: "refs/heads/feature/x" });
    const body = JSON.parse(
      (await env.t.leash.store.getDecision(String(res.body["decision_id"])))?.body ?? "{}",
    );
    assert.equal(body.detail.refusal.closest_rule, "app-agent-editing");
    assert.equal(body.detail.refusal.failed_claim, "ref");
  });

  const malformed: { name: string; body: string; type: string; code: string }[] = [
    {
      name: "wrong grant type",
      body: "grant_type=password",
      type: "application/x-www-form-urlencoded",
      code: "ERR_EXCHANGE_UNSUPPORTED_GRANT_TYPE",
    },
    {
      name: "missing subject token",
      body: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange",
      type: "application/x-www-form-urlencoded",
      code: "ERR_EXCHANGE_MISSING_PARAMETER",
    },
    { name: "broken JSON", body: "{", type: "application/json", code: "ERR_REQUEST_MALFORMED" },
    { name: "a JSON array", body: "[]", type: "application/json", code: "ERR_REQUEST_MALFORMED" },
    {
      name: "a huge body",
      body: `{"x":"${"a".repeat(70 * 1024)}"}`,
      type: "application/json",
      code: "ERR_REQUEST_TOO_LARGE",
    },
  ];
  for (const c of malformed) {
    test(`malformed request (${c.name}) gets a 4xx with ${c.code}, never a 5xx`, async () => {
      const res = await fetch(`${env.t.url}/v1/token`, {
        method: "POST",
        headers: { "content-type": c.type },
        body: c.body,
      });
      const body = (await res.json()) as Record<string, unknown>;
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.equal(body["code"], c.code);
      assert.match(String(body["decision_id"]), /^dec_/);
    });
  }
});

describe("GitLab jobs and the runner guard", () => {
  const env = useTestLeash({
    provider: "gitlab",
    trust: [
      {
        name: "gl-editing",
        issuer: "ci",
        claims: { project_id: "74", namespace_id: "65", ref: { glob: "agent/*" } },
        zone: "editing",
        actions: ["repo.read", "code.write"],
        ttl: "10m",
      },
    ],
  });
  const exchangeGitlab = async (overrides: Record<string, unknown>) => {
    const token = await env.issuer.sign(env.issuer.gitlabClaims(overrides));
    return postForm(`${env.t.url}/v1/token`, exchangeForm(token, "zone:editing"));
  };

  test("a job on a GitLab-hosted runner gets its capability", async () => {
    assert.equal((await exchangeGitlab({})).status, 200);
  });

  // runner_environment is optional in GitLab's ID tokens; an unknown runner is not a hosted one.
  const refusals = [
    { name: "no runner_environment", claims: { runner_environment: undefined } },
    { name: "an empty runner_environment", claims: { runner_environment: "" } },
    { name: "an unknown runner_environment", claims: { runner_environment: "hosted" } },
  ];
  for (const c of refusals) {
    test(`refuses a write to a job with ${c.name} with ERR_TRUST_RUNNER_UNKNOWN`, async () => {
      const res = await exchangeGitlab(c.claims);
      assert.equal(res.status, 403);
      assert.equal(res.body["code"], "ERR_TRUST_RUNNER_UNKNOWN");
      assert.equal(res.body["access_token"], undefined);
    });
  }

  test("refuses a write to a self-hosted GitLab runner with ERR_TRUST_SELF_HOSTED_RUNNER", async () => {
    const res = await exchangeGitlab({ runner_environment: "self-hosted" });
    assert.equal(res.status, 403);
    assert.equal(res.body["code"], "ERR_TRUST_SELF_HOSTED_RUNNER");
  });
});

describe("introspection and revocation", () => {
  // Run, repository and subject revocations cover capabilities issued up to the revocation's
  // moment plus REVOCATION_CLOCK_SKEW_MS (instances' clocks differ), and `iat` has 1-second
  // resolution, so each test moves the clock on past that allowance: a revocation made by one
  // test never covers the next test's capabilities.
  const clock = createManualClock(Date.now());
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const env = useTestLeash({ clock });
  beforeEach(() => clock.advance(REVOCATION_CLOCK_SKEW_MS + 2000));

  const introspect = async (token: string) =>
    (await postForm(`${env.t.url}/v1/introspect`, { token }, admin)).body;

  test("introspection needs the admin token", async () => {
    const res = await postForm(
      `${env.t.url}/v1/introspect`,
      { token: "x" },
      { authorization: "Bearer wrong" },
    );
    assert.equal(res.status, 401);
    assert.equal(res.body["code"], "ERR_ADMIN_UNAUTHENTICATED");
  });

  test("an issued capability is active; a tampered or expired one is not", async () => {
    const cap = String((await env.t.exchange("editing")).body["access_token"]);
    const active = await introspect(cap);
    assert.equal(active["active"], true);
    assert.equal(active["zone"], "editing");
    const [h, p, s] = cap.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodePayload(cap), zone: "deployment" })).toString("base64url")}.${s}`;
    assert.equal((await introspect(forged))["active"], false);
    assert.equal((await introspect(`${h}.${p}.AAAA`))["active"], false);
    clock.advance(11 * 60 * 1000);
    assert.equal((await introspect(cap))["active"], false);
    clock.advance(-11 * 60 * 1000);
  });

  const revocations: {
    name: string;
    body: (claims: Record<string, unknown>) => Record<string, string>;
  }[] = [
    { name: "capability id", body: (c) => ({ capability_id: String(c["jti"]) }) },
    {
      name: "run",
      body: (c) => ({
        repository_id: "74",
        run_id: String((c["job"] as Record<string, string>)["run_id"]),
      }),
    },
    { name: "subject", body: (c) => ({ subject: String(c["sub"]) }) },
    { name: "repository", body: () => ({ repository_id: "74" }) },
  ];
  for (const r of revocations) {
    test(`revocation by ${r.name} takes effect for the very next request`, async () => {
      const cap = String((await env.t.exchange("editing")).body["access_token"]);
      const other = String(
        (
          await env.t.exchange("planning", {
            repository: "acme/other",
            repository_id: "99",
            run_id: "1",
            sub: "repo:acme/other:ref:refs/heads/main",
          })
        ).body["access_token"],
      );
      assert.equal((await introspect(cap))["active"], true);
      const res = await postJson(`${env.t.url}/v1/revoke`, r.body(decodePayload(cap)), admin);
      assert.equal(res.status, 200);
      // The answer's fields, in the API's snake_case only.
      assert.deepEqual(Object.keys(res.body).sort(), [
        "decision_id",
        "kind",
        "revoked",
        "revoked_at",
        "value",
      ]);
      assert.equal((await introspect(cap))["active"], false);
      assert.equal(
        (await introspect(other))["active"],
        true,
        "other jobs' capabilities are untouched",
      );
    });
  }

  test("a repository revocation does not block capabilities issued after it", async () => {
    // The previous test revoked repository 74; beforeEach moved the clock past the skew allowance.
    const later = String((await env.t.exchange("editing")).body["access_token"]);
    assert.equal((await introspect(later))["active"], true);
  });

  test("revoke refuses an ambiguous, empty or mistyped target", async () => {
    const targets = [
      {},
      { capability_id: "cap_x", subject: "s" },
      { run_id: "1" },
      // A numeric run_id must not turn a run revocation into the whole repository's.
      { repository_id: "99", run_id: 9 },
      { repository_id: "99", run_id: "" },
    ];
    for (const body of targets) {
      const res = await postJson(`${env.t.url}/v1/revoke`, body, admin);
      assert.equal(res.status, 400);
      assert.equal(res.body["code"], "ERR_REVOKE_INVALID_TARGET");
    }
    const probe = { capabilityId: "-", run: "99/9", repositoryId: "99", subject: "-" };
    assert.deepEqual(await env.t.leash.store.findRevocations(probe), [], "nothing was revoked");
  });

  test("revoke without the admin token is refused and recorded", async () => {
    const res = await postJson(`${env.t.url}/v1/revoke`, { repository_id: "74" });
    assert.equal(res.status, 401);
    assert.equal(res.body["code"], "ERR_ADMIN_UNAUTHENTICATED");
    assert.ok(await env.t.leash.store.getDecision(String(res.body["decision_id"])));
  });
});

describe("DPoP-bound capabilities (RFC 9449)", () => {
  const env = useTestLeash({
    trust: [
      {
        name: "dpop-only",
        issuer: "ci",
        claims: { repository_id: "74", repository_owner_id: "65" },
        zone: "editing",
        actions: ["repo.read", "code.write"],
        ttl: "5m",
        proof: "dpop",
      },
    ],
  });

  test("a rule that requires DPoP refuses a bearer exchange", async () => {
    const res = await env.t.exchange("editing");
    assert.equal(res.status, 400);
    assert.equal(res.body["code"], "ERR_EXCHANGE_DPOP_REQUIRED");
  });

  test("with a proof the capability is bound to the key (cnf.jkt); a proof is spent once", async () => {
    const key = await createDpopKeyPair();
    const url = `${env.t.url}/v1/token`;
    const proof = await createDpopProof({ ...key, method: "POST", url });
    const token = await env.issuer.sign(env.issuer.githubClaims());
    const res = await postForm(url, exchangeForm(token, "zone:editing"), { dpop: proof });
    assert.equal(res.status, 200);
    assert.equal(res.body["token_type"], "DPoP");
    const cnf = decodePayload(String(res.body["access_token"]))["cnf"] as Record<string, string>;
    assert.match(cnf["jkt"] ?? "", /^[A-Za-z0-9_-]{43}$/);
    const again = await postForm(
      url,
      exchangeForm(await env.issuer.sign(env.issuer.githubClaims()), "zone:editing"),
      { dpop: proof },
    );
    assert.equal(again.body["code"], "ERR_EXCHANGE_DPOP_REPLAYED");
  });

  test("a bound capability is refused without a fresh proof from its key, and accepted with one", async () => {
    const key = await createDpopKeyPair();
    const tokenUrl = `${env.t.url}/v1/token`;
    const exchanged = await postForm(
      tokenUrl,
      exchangeForm(await env.issuer.sign(env.issuer.githubClaims()), "zone:editing"),
      {
        dpop: await createDpopProof({ ...key, method: "POST", url: tokenUrl }),
      },
    );
    const cap = String(exchanged.body["access_token"]);
    const url = `${env.t.url}/v1/authorize`;
    const body = {
      action: "code.write",
      resource: { type: "Branch", id: "refs/heads/agent/fix", attrs: { paths: ["a.ts"] } },
    };
    const auth = { authorization: `DPoP ${cap}` };
    const bare = await postJson(url, body, auth);
    assert.equal(bare.status, 401);
    assert.equal(bare.body["code"], "ERR_CAPABILITY_DPOP_REQUIRED");
    const thief = await createDpopKeyPair();
    const stolen = await postJson(url, body, {
      ...auth,
      dpop: await createDpopProof({ ...thief, method: "POST", url, accessToken: cap }),
    });
    assert.equal(stolen.status, 401);
    assert.equal(stolen.body["code"], "ERR_DPOP_PROOF_MISMATCH");
    const good = await postJson(url, body, {
      ...auth,
      dpop: await createDpopProof({ ...key, method: "POST", url, accessToken: cap }),
    });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.equal(good.body["decision"], "allow");
  });
});

describe("signing key rotation", () => {
  const env = useTestLeash();

  test("after a rotation the JWKS publishes both keys, old capabilities still verify, new ones use the new key", async () => {
    const before = String((await env.t.exchange("editing")).body["access_token"]);
    const oldKid = JSON.parse(
      Buffer.from(before.split(".")[0] as string, "base64url").toString(),
    ).kid;
    const rotated = await env.t.leash.keyRing.rotate();
    const jwks = (await (await fetch(`${env.t.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, rotated.kid].sort());
    assert.ok(
      jwks.keys.every((k) => k.d === undefined),
      "no private key material is published",
    );
    const after = String((await env.t.exchange("editing")).body["access_token"]);
    assert.equal(
      JSON.parse(Buffer.from(after.split(".")[0] as string, "base64url").toString()).kid,
      rotated.kid,
    );
    const introspect = async (token: string) =>
      (
        await postForm(
          `${env.t.url}/v1/introspect`,
          { token },
          { authorization: `Bearer ${ADMIN_TOKEN}` },
        )
      ).body["active"];
    assert.equal(await introspect(before), true);
    assert.equal(await introspect(after), true);
  });
});
