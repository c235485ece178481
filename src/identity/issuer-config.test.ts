import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createManualClock } from "../clock/index.js";
import { LeashError } from "../errors/index.js";
import {
  checkIssuerAudience,
  checkIssuerConfig,
  createOidcVerifier,
  type IssuerConfig,
  isAllowedIssuerUrl,
} from "./index.js";

const base: IssuerConfig = {
  name: "github",
  url: "https://token.actions.githubusercontent.com",
  provider: "github",
  audience: "leash",
  allowInsecureLoopback: false,
  algorithms: ["RS256", "ES256"],
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof LeashError);
    return err.code;
  }
  return "no error";
}

describe("checkIssuerAudience", () => {
  const cases: { name: string; issuer: IssuerConfig; code: string }[] = [
    { name: "a leash audience", issuer: base, code: "no error" },
    {
      name: "GitHub's default owner audience",
      issuer: { ...base, audience: "https://github.com/acme" },
      code: "ERR_IDENTITY_DEFAULT_AUDIENCE",
    },
    {
      name: "GitHub's default, other case",
      issuer: { ...base, audience: "HTTPS://GitHub.com/acme" },
      code: "ERR_IDENTITY_DEFAULT_AUDIENCE",
    },
    {
      name: "GitLab's default (the instance url)",
      issuer: {
        ...base,
        provider: "gitlab",
        url: "https://gitlab.com",
        audience: "https://gitlab.com/",
      },
      code: "ERR_IDENTITY_DEFAULT_AUDIENCE",
    },
    {
      name: "a GitLab leash audience",
      issuer: { ...base, provider: "gitlab", url: "https://gitlab.com" },
      code: "no error",
    },
    {
      name: "an empty audience",
      issuer: { ...base, audience: " " },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
  ];
  for (const c of cases) {
    it(`answers ${c.code} for ${c.name}`, () => {
      assert.equal(
        codeOf(() => checkIssuerAudience(c.issuer)),
        c.code,
      );
    });
  }
  it("is a server_error (a config mistake, not the caller's)", () => {
    const err = (() => {
      try {
        checkIssuerAudience({ ...base, audience: "https://github.com/acme" });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof LeashError);
    assert.equal(err.status, 500);
  });
});

describe("checkIssuerConfig", () => {
  const cases: { name: string; issuer: IssuerConfig; code: string }[] = [
    { name: "https", issuer: base, code: "no error" },
    {
      name: "http on a public host",
      issuer: { ...base, url: "http://issuer.example", allowInsecureLoopback: true },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "http loopback without the flag",
      issuer: { ...base, url: "http://127.0.0.1:8080" },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "http loopback with the flag",
      issuer: { ...base, url: "http://127.0.0.1:8080", allowInsecureLoopback: true },
      code: "no error",
    },
    {
      name: "an http jwks_uri",
      issuer: { ...base, jwksUri: "http://keys.example/jwks" },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "HS256 allowed",
      issuer: { ...base, algorithms: ["RS256", "HS256"] },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "none allowed",
      issuer: { ...base, algorithms: ["none"] },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "no algorithm",
      issuer: { ...base, algorithms: [] },
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
  ];
  for (const c of cases) {
    it(`answers ${c.code} for ${c.name}`, () => {
      assert.equal(
        codeOf(() => checkIssuerConfig(c.issuer)),
        c.code,
      );
    });
  }

  it("knows the loopback hosts", () => {
    assert.equal(isAllowedIssuerUrl("http://localhost:1", true), true);
    assert.equal(isAllowedIssuerUrl("http://[::1]:1", true), true);
    assert.equal(isAllowedIssuerUrl("http://127.0.0.2:1", true), false);
    assert.equal(isAllowedIssuerUrl("https://user:pw@issuer.example", false), false);
    assert.equal(isAllowedIssuerUrl("not a url", true), false);
  });
});

describe("createOidcVerifier configuration", () => {
  const clock = createManualClock(0);
  const cases: { name: string; make: () => unknown; code: string }[] = [
    {
      name: "a duplicate issuer",
      make: () => createOidcVerifier({ issuers: [base, { ...base, name: "again" }], clock }),
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "a cooldown above 30 s",
      make: () => createOidcVerifier({ issuers: [base], clock, jwksCooldownMs: 30_001 }),
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "a skew above 60 s",
      make: () => createOidcVerifier({ issuers: [base], clock, maxSkewSeconds: 61 }),
      code: "ERR_IDENTITY_ISSUER_CONFIG",
    },
    {
      name: "a default audience",
      make: () =>
        createOidcVerifier({ issuers: [{ ...base, audience: "https://github.com/acme" }], clock }),
      code: "ERR_IDENTITY_DEFAULT_AUDIENCE",
    },
    {
      name: "a valid config",
      make: () => createOidcVerifier({ issuers: [base], clock }),
      code: "no error",
    },
  ];
  for (const c of cases) {
    it(`answers ${c.code} for ${c.name}`, () => {
      assert.equal(codeOf(c.make), c.code);
    });
  }
});
