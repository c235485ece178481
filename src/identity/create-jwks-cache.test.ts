import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startTestIssuer, type TestIssuer } from "../../test/support/oidc-issuer.js";
import { createManualClock, type ManualClock } from "../clock/index.js";
import { LeashError } from "../errors/index.js";
import { JWKS_FAILURE_BACKOFF_MS, JWKS_MAX_AGE_MS } from "./create-jwks-cache.js";
import { createOidcVerifier, type OidcVerifier } from "./index.js";

const NOW_S = 1_750_000_000;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LeashError, `not a LeashError: ${String(err)}`);
    return err.code;
  }
  return "no error";
}

async function withIssuer(
  fn: (issuer: TestIssuer, verifier: OidcVerifier, clock: ManualClock) => Promise<void>,
  cooldownMs = 30_000,
): Promise<void> {
  const issuer = await startTestIssuer({ nowSeconds: NOW_S });
  const clock = createManualClock(NOW_S * 1000);
  const verifier = createOidcVerifier({
    issuers: [
      {
        name: "github",
        url: issuer.url,
        provider: "github",
        audience: "leash",
        allowInsecureLoopback: true,
        algorithms: ["RS256"],
      },
    ],
    clock,
    jwksCooldownMs: cooldownMs,
  });
  try {
    await fn(issuer, verifier, clock);
  } finally {
    await issuer.close();
  }
}

/** Claims valid at the clock's current time, whatever it was advanced to. */
function claimsAt(issuer: TestIssuer, clock: ManualClock): Record<string, unknown> {
  const now = Math.floor(clock.now() / 1000);
  return issuer.githubClaims({ iat: now, nbf: now - 5, exp: now + 300 });
}

describe("JWKS cache", () => {
  it("discovers once and fetches the JWKS once for many tokens", async () => {
    await withIssuer(async (issuer, verifier) => {
      for (let i = 0; i < 5; i++) await verifier.verify(await issuer.sign(issuer.githubClaims()));
      assert.equal(issuer.discoveryFetches, 1);
      assert.equal(issuer.jwksFetches, 1);
    });
  });

  it("shares one in-flight fetch between concurrent requests", async () => {
    await withIssuer(async (issuer, verifier) => {
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () => issuer.sign(issuer.githubClaims())),
      );
      await Promise.all(tokens.map((t) => verifier.verify(t)));
      assert.equal(issuer.discoveryFetches, 1);
      assert.equal(issuer.jwksFetches, 1);
    });
  });

  it("accepts a rotated key only after the cooldown, without refetching before it", async () => {
    await withIssuer(async (issuer, verifier, clock) => {
      await verifier.verify(await issuer.sign(issuer.githubClaims()));
      const newKid = await issuer.rotate();
      const rotated = await issuer.sign(issuer.githubClaims());
      clock.advance(29_999);
      assert.equal(await codeOf(verifier.verify(rotated)), "ERR_IDENTITY_UNKNOWN_KID");
      assert.equal(issuer.jwksFetches, 1, "no refetch inside the cooldown");
      clock.advance(1);
      const out = await verifier.verify(await issuer.sign(claimsAt(issuer, clock)));
      assert.equal(out.identity.repository, "acme/app");
      assert.equal(issuer.jwksFetches, 2);
      assert.equal(issuer.discoveryFetches, 1, "discovery is not repeated");
      const old = await issuer.sign(claimsAt(issuer, clock), { kid: "key-1" });
      await verifier.verify(old); // the old key stays published and cached
      assert.equal(issuer.jwksFetches, 2);
      assert.notEqual(newKid, "key-1");
    });
  });

  it("does not let a spray of unknown kids hammer the issuer", async () => {
    await withIssuer(async (issuer, verifier, clock) => {
      await verifier.verify(await issuer.sign(issuer.githubClaims()));
      for (let round = 0; round < 4; round++) {
        const sprays = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            issuer.sign(claimsAt(issuer, clock), { kid: `made-up-${round}-${i}` }),
          ),
        );
        const codes = await Promise.all(sprays.map((t) => codeOf(verifier.verify(t))));
        assert.ok(codes.every((c) => c === "ERR_IDENTITY_UNKNOWN_KID"));
        clock.advance(10_000);
      }
      // 40 unknown kids at t = 0, 10, 20, 30 s: one refetch, when the cooldown ran out at 30 s.
      assert.equal(issuer.jwksFetches, 2);
    });
  });

  it("stops accepting a retired key once the cached JWKS is refreshed", async () => {
    await withIssuer(async (issuer, verifier, clock) => {
      await verifier.verify(await issuer.sign(issuer.githubClaims()));
      await issuer.rotate();
      issuer.retireOldKeys();
      clock.advance(JWKS_MAX_AGE_MS);
      const old = await issuer.sign(claimsAt(issuer, clock), { kid: "key-1" });
      assert.equal(await codeOf(verifier.verify(old)), "ERR_IDENTITY_UNKNOWN_KID");
      assert.equal(issuer.jwksFetches, 2);
      await verifier.verify(await issuer.sign(claimsAt(issuer, clock)));
      assert.equal(issuer.jwksFetches, 2);
    });
  });

  it("answers 503 while the JWKS is down and backs off before asking again", async () => {
    await withIssuer(async (issuer, verifier, clock) => {
      issuer.failJwks = true;
      const token = await issuer.sign(issuer.githubClaims());
      const err = await verifier.verify(token).catch((e: unknown) => e);
      assert.ok(err instanceof LeashError);
      assert.equal(err.code, "ERR_IDENTITY_JWKS_UNAVAILABLE");
      assert.equal(err.status, 503);
      assert.equal(err.error, "temporarily_unavailable");
      assert.equal(await codeOf(verifier.verify(token)), "ERR_IDENTITY_JWKS_UNAVAILABLE");
      assert.equal(issuer.jwksFetches, 1, "no second fetch inside the backoff");
      issuer.failJwks = false;
      clock.advance(JWKS_FAILURE_BACKOFF_MS);
      await verifier.verify(await issuer.sign(claimsAt(issuer, clock)));
      assert.equal(issuer.jwksFetches, 2);
    });
  });

  it("keeps verifying with cached keys while a periodic refresh fails", async () => {
    await withIssuer(async (issuer, verifier, clock) => {
      await verifier.verify(await issuer.sign(issuer.githubClaims()));
      issuer.failJwks = true;
      clock.advance(JWKS_MAX_AGE_MS);
      await verifier.verify(await issuer.sign(claimsAt(issuer, clock)));
      assert.equal(issuer.jwksFetches, 2);
    });
  });

  it("answers 503 when the issuer cannot be reached at all", async () => {
    await withIssuer(async (issuer, verifier) => {
      const token = await issuer.sign(issuer.githubClaims());
      await issuer.close();
      assert.equal(await codeOf(verifier.verify(token)), "ERR_IDENTITY_JWKS_UNAVAILABLE");
    });
  });
});
