import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startTestIssuer, type TestIssuer } from "../../test/support/oidc-issuer.js";
import { createManualClock } from "../clock/index.js";
import { sha256Hex } from "../encoding/index.js";
import { LeashError } from "../errors/index.js";
import {
  createOidcVerifier,
  type IssuerConfig,
  type OidcVerifier,
  type Provider,
} from "./index.js";

const NOW_S = 1_750_000_000;

function configFor(issuer: TestIssuer, provider: Provider = "github"): IssuerConfig {
  return {
    name: provider,
    url: issuer.url,
    provider,
    audience: "leash",
    allowInsecureLoopback: true,
    algorithms: ["RS256", "ES256"],
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LeashError, `not a LeashError: ${String(err)}`);
    return err.code;
  }
  return "no error";
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** A token an attacker signs with their own key while naming the real issuer. */
function attackerToken(claims: Record<string, unknown>, header: Record<string, unknown>): string {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const h = { alg: "RS256", typ: "JWT", jwk: publicKey.export({ format: "jwk" }), ...header };
  const input = `${b64(h)}.${b64(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

describe("createOidcVerifier against a real issuer", () => {
  let issuer: TestIssuer;
  let attacker: TestIssuer;
  let verifier: OidcVerifier;
  const clock = createManualClock(NOW_S * 1000);

  before(async () => {
    issuer = await startTestIssuer({ nowSeconds: NOW_S });
    attacker = await startTestIssuer({ nowSeconds: NOW_S });
    verifier = createOidcVerifier({ issuers: [configFor(issuer)], clock });
  });
  after(async () => {
    await issuer.close();
    await attacker.close();
  });

  it("verifies a GitHub Actions token and normalizes it", async () => {
    const claims = issuer.githubClaims();
    const token = await issuer.sign(claims);
    const out = await verifier.verify(token);
    assert.equal(out.identity.repository, "acme/app");
    assert.equal(out.identity.repositoryId, "74");
    assert.equal(out.identity.ownerId, "65");
    assert.equal(out.identity.ref, "refs/heads/agent/fix");
    assert.equal(
      out.identity.jobWorkflowRef,
      "acme/app/.github/workflows/agent.yml@refs/heads/main",
    );
    assert.equal(out.identity.issuer, issuer.url);
    assert.equal(out.identity.issuerName, "github");
    assert.equal(out.identity.claims["jti"], claims["jti"]);
    assert.equal(out.tokenSha256, sha256Hex(token));
    assert.equal(out.replayKey, claims["jti"]);
    assert.equal(out.expiresAtMs, (NOW_S + 300) * 1000);
  });

  it("accepts the immutable-id sub form, an aud array, skew within 60 s, no jti", async () => {
    const token = await issuer.sign(
      issuer.githubClaims({
        sub: "repo:acme@65/app@74:ref:refs/heads/agent/fix",
        aud: ["other", "leash"],
        exp: NOW_S - 30,
        iat: NOW_S + 30,
        nbf: NOW_S + 30,
        jti: undefined,
      }),
    );
    const out = await verifier.verify(token);
    assert.equal(out.identity.subject, "repo:acme@65/app@74:ref:refs/heads/agent/fix");
    assert.equal(out.replayKey, sha256Hex(token.slice(0, token.lastIndexOf("."))));
  });

  it("gives a token without jti the same replay key when only its signature's text differs", async () => {
    const token = await issuer.sign(issuer.githubClaims({ jti: undefined }));
    // A spare bit of the signature's last base64url character: the signature still verifies.
    const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = token.slice(0, -1) + b64[b64.indexOf(token.at(-1) as string) ^ 1];
    assert.notEqual(twin, token);
    const [first, second] = [await verifier.verify(token), await verifier.verify(twin)];
    assert.notEqual(second.tokenSha256, first.tokenSha256);
    assert.equal(second.replayKey, first.replayKey, "a spent token can't be exchanged again");
  });

  type Case = { name: string; token: () => Promise<string> | string; code: string };
  const cases: Case[] = [
    {
      name: "an oversize string",
      token: () => "a".repeat(16 * 1024 + 1),
      code: "ERR_IDENTITY_TOKEN_TOO_LARGE",
    },
    {
      name: "an oversize signed token",
      token: () => issuer.sign(issuer.githubClaims({ pad: "x".repeat(16 * 1024) })),
      code: "ERR_IDENTITY_TOKEN_TOO_LARGE",
    },
    {
      name: "two parts",
      token: () => `${b64({ alg: "RS256" })}.${b64({})}`,
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "header not JSON",
      token: () => "bm90anNvbg.e30.c2ln",
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "payload an array",
      token: () => `${b64({ alg: "RS256" })}.${b64([1])}.c2ln`,
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "non-base64url characters",
      token: () => `${b64({ alg: "RS256" })}.e30=.c2ln`,
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "a header without alg",
      token: () => `${b64({ typ: "JWT" })}.${b64({})}.c2ln`,
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "a crit header",
      token: () => issuer.sign(issuer.githubClaims(), { header: { crit: ["exp"] } }),
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "a numeric kid",
      token: () => issuer.sign(issuer.githubClaims(), { header: { kid: 1 } }),
      code: "ERR_IDENTITY_TOKEN_MALFORMED",
    },
    {
      name: "alg none",
      token: () => issuer.sign(issuer.githubClaims(), { none: true }),
      code: "ERR_IDENTITY_ALG_NOT_ALLOWED",
    },
    {
      name: "HS256 keyed with the issuer's public key",
      token: () => issuer.sign(issuer.githubClaims(), { hmacWithPublicKey: true }),
      code: "ERR_IDENTITY_ALG_NOT_ALLOWED",
    },
    {
      name: "an asymmetric alg the issuer is not configured for",
      token: () => issuer.sign(issuer.githubClaims(), { alg: "PS256" }),
      code: "ERR_IDENTITY_ALG_NOT_ALLOWED",
    },
    {
      name: "an unknown issuer",
      token: () =>
        issuer.sign(issuer.githubClaims({ iss: "https://token.actions.githubusercontent.com" })),
      code: "ERR_IDENTITY_UNKNOWN_ISSUER",
    },
    {
      name: "the issuer url with a trailing slash",
      token: () => issuer.sign(issuer.githubClaims({ iss: `${issuer.url}/` })),
      code: "ERR_IDENTITY_UNKNOWN_ISSUER",
    },
    {
      name: "no iss",
      token: () => issuer.sign(issuer.githubClaims({ iss: undefined })),
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "a numeric iss",
      token: () => issuer.sign(issuer.githubClaims({ iss: 1 })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "an unknown kid",
      token: () => issuer.sign(issuer.githubClaims(), { kid: "no-such-key" }),
      code: "ERR_IDENTITY_UNKNOWN_KID",
    },
    {
      name: "a key the issuer never published",
      token: () => issuer.sign(issuer.githubClaims(), { unpublishedKey: true }),
      code: "ERR_IDENTITY_BAD_SIGNATURE",
    },
    {
      name: "a tampered payload",
      token: async () => {
        const [h, , s] = (await issuer.sign(issuer.githubClaims())).split(".");
        return `${h}.${b64(issuer.githubClaims({ repository_id: "75" }))}.${s}`;
      },
      code: "ERR_IDENTITY_BAD_SIGNATURE",
    },
    {
      name: "an attacker key embedded as a jwk header",
      token: () => attackerToken(issuer.githubClaims(), { kid: issuer.currentKid }),
      code: "ERR_IDENTITY_BAD_SIGNATURE",
    },
    {
      name: "a jku and x5u pointing at another JWKS",
      token: () =>
        attacker.sign(issuer.githubClaims(), {
          header: { jku: `${attacker.url}/.well-known/jwks`, x5u: `${attacker.url}/cert.pem` },
        }),
      code: "ERR_IDENTITY_BAD_SIGNATURE",
    },
    {
      name: "an expired token",
      token: () => issuer.sign(issuer.githubClaims({ exp: NOW_S - 61 })),
      code: "ERR_IDENTITY_TOKEN_EXPIRED",
    },
    {
      name: "no exp",
      token: () => issuer.sign(issuer.githubClaims({ exp: undefined })),
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "a string exp",
      token: () => issuer.sign(issuer.githubClaims({ exp: String(NOW_S + 60) })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "nbf in the future",
      token: () => issuer.sign(issuer.githubClaims({ nbf: NOW_S + 120 })),
      code: "ERR_IDENTITY_NOT_YET_VALID",
    },
    {
      name: "iat far in the future",
      token: () => issuer.sign(issuer.githubClaims({ iat: NOW_S + 3600, exp: NOW_S + 3900 })),
      code: "ERR_IDENTITY_ISSUED_IN_FUTURE",
    },
    {
      name: "another audience",
      token: () => issuer.sign(issuer.githubClaims({ aud: "someone-else" })),
      code: "ERR_IDENTITY_AUDIENCE_MISMATCH",
    },
    {
      name: "the provider's default audience",
      token: () => issuer.sign(issuer.githubClaims({ aud: "https://github.com/acme" })),
      code: "ERR_IDENTITY_AUDIENCE_PROVIDER_DEFAULT",
    },
    {
      name: "an aud array without leash",
      token: () => issuer.sign(issuer.githubClaims({ aud: ["a", "b"] })),
      code: "ERR_IDENTITY_AUDIENCE_MISMATCH",
    },
    {
      name: "no aud",
      token: () => issuer.sign(issuer.githubClaims({ aud: undefined })),
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "a numeric aud",
      token: () => issuer.sign(issuer.githubClaims({ aud: 5 })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "repository_id as a number",
      token: () => issuer.sign(issuer.githubClaims({ repository_id: 74 })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "run_attempt as a number",
      token: () => issuer.sign(issuer.githubClaims({ run_attempt: 1 })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "a numeric jti",
      token: () => issuer.sign(issuer.githubClaims({ jti: 7 })),
      code: "ERR_IDENTITY_CLAIM_TYPE",
    },
    {
      name: "no repository_owner_id",
      token: () => issuer.sign(issuer.githubClaims({ repository_owner_id: undefined })),
      code: "ERR_IDENTITY_CLAIM_MISSING",
    },
    {
      name: "an immutable sub whose ids disagree",
      token: () =>
        issuer.sign(issuer.githubClaims({ sub: "repo:acme@65/app@99:ref:refs/heads/agent/fix" })),
      code: "ERR_IDENTITY_SUBJECT_MISMATCH",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      assert.equal(await codeOf(verifier.verify(await c.token())), c.code);
    });
  }

  it("never fetches a JWKS a token header names", () => {
    assert.equal(attacker.jwksFetches, 0);
    assert.equal(attacker.discoveryFetches, 0);
  });

  it("answers a refusal as 401 invalid_grant and never echoes the token", async () => {
    const token = await issuer.sign(issuer.githubClaims({ exp: NOW_S - 600 }));
    const err = await verifier.verify(token).catch((e: unknown) => e);
    assert.ok(err instanceof LeashError);
    assert.equal(err.status, 401);
    assert.equal(err.error, "invalid_grant");
    assert.ok(!err.message.includes(token) && !JSON.stringify(err.detail).includes(token));
  });
});

describe("createOidcVerifier providers and algorithms", () => {
  const clock = createManualClock(NOW_S * 1000);

  it("verifies GitLab CI tokens from an ES256 issuer", async () => {
    const issuer = await startTestIssuer({ algorithm: "ES256", nowSeconds: NOW_S });
    try {
      const verifier = createOidcVerifier({ issuers: [configFor(issuer, "gitlab")], clock });
      const out = await verifier.verify(await issuer.sign(issuer.gitlabClaims()));
      assert.equal(out.identity.provider, "gitlab");
      assert.equal(out.identity.repository, "acme/app");
      assert.equal(out.identity.ref, "refs/heads/agent/fix");
      assert.equal(out.identity.event, "push");
      assert.equal(out.identity.runnerEnvironment, "gitlab-hosted");
      const tag = issuer.gitlabClaims({
        ref: "v1",
        ref_type: "tag",
        sub: "project_path:acme/app:ref_type:tag:ref:v1",
      });
      assert.equal((await verifier.verify(await issuer.sign(tag))).identity.ref, "refs/tags/v1");
      const bad = issuer.gitlabClaims({ project_id: 74 });
      assert.equal(
        await codeOf(verifier.verify(await issuer.sign(bad))),
        "ERR_IDENTITY_CLAIM_TYPE",
      );
    } finally {
      await issuer.close();
    }
  });

  it("uses a configured jwksUri without discovery", async () => {
    const issuer = await startTestIssuer({ nowSeconds: NOW_S });
    try {
      const config = { ...configFor(issuer, "generic"), jwksUri: `${issuer.url}/.well-known/jwks` };
      const verifier = createOidcVerifier({ issuers: [config], clock });
      const out = await verifier.verify(
        await issuer.sign({ iss: issuer.url, sub: "job:1", aud: "leash", exp: NOW_S + 60 }),
      );
      assert.equal(out.identity.subject, "job:1");
      assert.equal(issuer.discoveryFetches, 0);
      assert.equal(issuer.jwksFetches, 1);
    } finally {
      await issuer.close();
    }
  });
});
