import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { before, describe, it } from "node:test";
import { exportJWK } from "jose";
import {
  type CreateDpopProofOptions,
  createDpopKeyPair,
  createDpopProof,
  type DpopKeyPair,
} from "../../test/support/dpop.js";
import { createManualClock } from "../clock/index.js";
import { LeashError } from "../errors/index.js";
import { computeJwkThumbprint, verifyDpopProof } from "./index.js";

const NOW_S = 1_750_000_000;
const URL_ = "https://leash.example/v1/token";
const clock = createManualClock(NOW_S * 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LeashError, `not a LeashError: ${String(err)}`);
    return err.code;
  }
  return "no error";
}

describe("verifyDpopProof", () => {
  let key: DpopKeyPair;
  let other: DpopKeyPair;
  let jkt: string;
  const proof = (extra: Partial<CreateDpopProofOptions> = {}) =>
    createDpopProof({
      privateKey: key.privateKey,
      publicJwk: key.publicJwk,
      method: "POST",
      url: URL_,
      iatSeconds: NOW_S,
      ...extra,
    });

  before(async () => {
    key = await createDpopKeyPair();
    other = await createDpopKeyPair();
    jkt = await computeJwkThumbprint(key.publicJwk);
  });

  it("verifies a proof and returns its thumbprint, jti and iat", async () => {
    const out = await verifyDpopProof(await proof({ jti: "j-1" }), {
      method: "POST",
      url: URL_,
      clock,
    });
    assert.deepEqual(out, { jkt, jti: "j-1", iatSeconds: NOW_S });
  });

  it("binds an access token, an expected key, and ignores the query on the request URL", async () => {
    const p = await proof({ accessToken: "cap-token", url: "HTTPS://Leash.Example:443/v1/token" });
    const out = await verifyDpopProof(p, {
      method: "POST",
      url: `${URL_}?x=1#f`,
      clock,
      accessToken: "cap-token",
      expectedJkt: jkt,
    });
    assert.equal(out.jkt, jkt);
  });

  it("accepts EdDSA and RS256 keys", async () => {
    for (const alg of ["EdDSA", "RS256"] as const) {
      const k = await createDpopKeyPair(alg);
      const p = await createDpopProof({ ...k, method: "GET", url: URL_, iatSeconds: NOW_S, alg });
      const out = await verifyDpopProof(p, { method: "GET", url: URL_, clock });
      assert.equal(out.jkt, await computeJwkThumbprint(k.publicJwk));
    }
  });

  it("computes the RFC 7638 thumbprint of the RFC's example key", async () => {
    const rfcKey = {
      kty: "RSA",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      e: "AQAB",
      alg: "RS256",
      kid: "2011-04-29",
    };
    assert.equal(await computeJwkThumbprint(rfcKey), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });

  type Case = { name: string; proof: () => Promise<string> | string; opts?: object; code: string };
  const cases: Case[] = [
    {
      name: "an oversize proof",
      proof: () => "a".repeat(8 * 1024 + 1),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    { name: "not a JWS", proof: () => "not.a.jws", code: "ERR_DPOP_PROOF_INVALID" },
    {
      name: "typ JWT",
      proof: () => proof({ header: { typ: "JWT" } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "alg none",
      proof: () =>
        `${b64({ typ: "dpop+jwt", alg: "none", jwk: key.publicJwk })}.${b64({ jti: "x", htm: "POST", htu: URL_, iat: NOW_S })}.`,
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "HS256 keyed with the public key",
      proof: () => {
        const input = `${b64({ typ: "dpop+jwt", alg: "HS256", jwk: key.publicJwk })}.${b64({ jti: "x", htm: "POST", htu: URL_, iat: NOW_S })}`;
        return `${input}.${createHmac("sha256", JSON.stringify(key.publicJwk)).update(input).digest("base64url")}`;
      },
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "no jwk",
      proof: () => proof({ header: { jwk: undefined } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "a symmetric jwk",
      proof: () => proof({ header: { jwk: { kty: "oct", k: "c2VjcmV0" } } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "a private jwk",
      proof: async () => proof({ header: { jwk: await exportJWK(key.privateKey) } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "a signature by another key",
      proof: () => proof({ privateKey: other.privateKey }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "a tampered payload",
      proof: async () => {
        const [h, , s] = (await proof()).split(".");
        return `${h}.${b64({ jti: "x", htm: "GET", htu: URL_, iat: NOW_S })}.${s}`;
      },
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "no jti",
      proof: () => proof({ claims: { jti: undefined } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "no htu",
      proof: () => proof({ claims: { htu: undefined } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "an htu that is no URL",
      proof: () => proof({ url: "not a url" }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "a string iat",
      proof: () => proof({ claims: { iat: String(NOW_S) } }),
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "another method",
      proof: () => proof({ method: "GET" }),
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "a lower-case method",
      proof: () => proof({ method: "post" }),
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "another path",
      proof: () => proof({ url: "https://leash.example/v1/introspect" }),
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "another host",
      proof: () => proof({ url: "https://evil.example/v1/token" }),
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "another scheme",
      proof: () => proof({ url: "http://leash.example/v1/token" }),
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "a stale proof",
      proof: () => proof({ iatSeconds: NOW_S - 61 }),
      code: "ERR_DPOP_PROOF_STALE",
    },
    {
      name: "a proof from the future",
      proof: () => proof({ iatSeconds: NOW_S + 60 }),
      code: "ERR_DPOP_PROOF_STALE",
    },
    {
      name: "a proof for another access token",
      proof: () => proof({ accessToken: "other-token" }),
      opts: { accessToken: "cap-token" },
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
    {
      name: "no ath when a token is bound",
      proof: () => proof(),
      opts: { accessToken: "cap-token" },
      code: "ERR_DPOP_PROOF_INVALID",
    },
    {
      name: "another key than the token's jkt",
      proof: () => proof(),
      opts: { expectedJkt: "not-the-jkt" },
      code: "ERR_DPOP_PROOF_MISMATCH",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const p = await c.proof();
      assert.equal(
        await codeOf(verifyDpopProof(p, { method: "POST", url: URL_, clock, ...c.opts })),
        c.code,
      );
    });
  }

  it("answers 400 invalid_dpop_proof and 401 invalid_token", async () => {
    const bad = await verifyDpopProof("x", { method: "POST", url: URL_, clock }).catch(
      (e: unknown) => e,
    );
    assert.ok(bad instanceof LeashError);
    assert.deepEqual([bad.status, bad.error], [400, "invalid_dpop_proof"]);
    const other = await verifyDpopProof(await proof({ method: "GET" }), {
      method: "POST",
      url: URL_,
      clock,
    }).catch((e: unknown) => e);
    assert.ok(other instanceof LeashError);
    assert.deepEqual([other.status, other.error], [401, "invalid_token"]);
  });
});
