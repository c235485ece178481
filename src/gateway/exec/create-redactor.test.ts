import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createRedactor, MAX_HOLD_CHARS, MAX_KEY_BLOCK_CHARS } from "./create-redactor.js";

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const alnum = (n: number, seed: string) =>
  (seed.repeat(Math.ceil(n / seed.length)) as string).slice(0, n);

const JWT = `${b64url({ alg: "ES256", kid: "k1" })}.${b64url({ sub: "repo:acme/app", zone: "editing" })}.${randomBytes(64).toString("base64url")}`;
const LITERAL = "correct-horse-battery-staple-42";
const ODD_LITERAL = "p@ss.w*rd(x)+y?[z]$";
const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString()
  .trimEnd();
const rsaKey = generateKeyPairSync("rsa", { modulusLength: 1024 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString()
  .trimEnd();

/** Each secret, the mask expected in its place, and whether to try every three-way split. */
const SECRETS: { name: string; secret: string; mask: string; threeWay: boolean }[] = [
  { name: "JWT", secret: JWT, mask: "[REDACTED:jwt]", threeWay: true },
  {
    name: "ghp_",
    secret: `ghp_${alnum(36, "aB3dE6")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "gho_",
    secret: `gho_${alnum(36, "Zx9")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "ghs_",
    secret: `ghs_${alnum(40, "q1W2")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "ghu_",
    secret: `ghu_${alnum(36, "m7")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "ghr_",
    secret: `ghr_${alnum(36, "r8T")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "github_pat_",
    secret: `github_pat_11ABCDEFG0${alnum(12, "x")}_${alnum(59, "Yz5")}`,
    mask: "[REDACTED:github-token]",
    threeWay: true,
  },
  {
    name: "AKIA",
    secret: "AKIAIOSFODNN7EXAMPLE",
    mask: "[REDACTED:aws-access-key-id]",
    threeWay: true,
  },
  {
    name: "ASIA",
    secret: "ASIAY34FZKBOKMUTVV7A",
    mask: "[REDACTED:aws-access-key-id]",
    threeWay: true,
  },
  { name: "npm_", secret: `npm_${alnum(36, "N0p")}`, mask: "[REDACTED:npm-token]", threeWay: true },
  {
    name: "xoxb-",
    secret: "xoxb-2048339208-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    mask: "[REDACTED:slack-token]",
    threeWay: true,
  },
  { name: "literal", secret: LITERAL, mask: "[REDACTED:secret]", threeWay: true },
  {
    name: "literal with regex characters",
    secret: ODD_LITERAL,
    mask: "[REDACTED:secret]",
    threeWay: true,
  },
  {
    name: "EC private key (PKCS#8)",
    secret: ecKey,
    mask: "[REDACTED:private-key]",
    threeWay: true,
  },
  {
    name: "RSA private key (PKCS#1)",
    secret: rsaKey,
    mask: "[REDACTED:private-key]",
    threeWay: false,
  },
];

function run(chunks: (string | Buffer)[], literals: string[] = [LITERAL, ODD_LITERAL]): string {
  const r = createRedactor({ literals });
  return chunks.map((c) => r.push(c)).join("") + r.end();
}

/** The tell-tale parts of a secret: the whole, and every line of a key block body. */
function fragments(secret: string): string[] {
  const lines = secret.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----"));
  return [secret, ...lines];
}

describe("createRedactor: a secret split anywhere never appears", () => {
  for (const { name, secret, mask, threeWay } of SECRETS) {
    const text = `before ${secret} after\n`;
    const expected = `before ${mask} after\n`;
    test(`${name}, whole`, () => assert.equal(run([text]), expected));

    test(`${name}, split in two at every offset`, () => {
      for (let i = 0; i <= text.length; i++) {
        const out = run([text.slice(0, i), text.slice(i)]);
        for (const f of fragments(secret)) assert.ok(!out.includes(f), `leak at split ${i}`);
        assert.equal(out, expected, `split at ${i}`);
      }
    });

    if (threeWay) {
      test(`${name}, split in three at every pair of offsets`, () => {
        for (let i = 0; i <= text.length; i++) {
          for (let j = i; j <= text.length; j++) {
            const out = run([text.slice(0, i), text.slice(i, j), text.slice(j)]);
            if (out !== expected) assert.fail(`split at ${i},${j}: ${JSON.stringify(out)}`);
          }
        }
      });
    }
  }

  test("one character at a time", () => {
    for (const { secret, mask } of SECRETS) {
      assert.equal(run([...`x ${secret} y`]), `x ${mask} y`);
    }
  });
});

describe("createRedactor: behaviour", () => {
  test("ordinary output passes at once, without waiting for more", () => {
    const r = createRedactor({ literals: [LITERAL] });
    assert.equal(r.push("building 3 packages\n"), "building 3 packages\n");
    assert.equal(r.push("Continue? [y/N] "), "Continue? [y/N] ");
    assert.equal(r.push("progress 50%"), "progress 50%");
    assert.equal(r.end(), "");
  });

  test("only a tail that could start a secret is held back", () => {
    const r = createRedactor({ literals: [LITERAL] });
    assert.equal(r.push("token: gh"), "token: ");
    assert.equal(r.push("x\n"), "ghx\n");
    assert.equal(r.push("see corr"), "see ");
    assert.equal(r.push("ect horse\n"), "correct horse\n");
    assert.equal(r.end(), "");
  });

  test("a literal added later is masked from then on", () => {
    const r = createRedactor();
    const leased = "s3cr3t-leased-value-9";
    assert.equal(r.push(`${leased}\n`), `${leased}\n`);
    r.add(leased);
    assert.equal(r.push(`value=${leased}\n`), "value=[REDACTED:secret]\n");
  });

  test("a literal's trimmed and JSON-escaped forms are masked too", () => {
    const r = createRedactor({ literals: ["line-one-secret\nline-two\n"] });
    const out =
      r.push('{"value":"line-one-secret\\nline-two\\n"} and line-one-secret\nline-two\n.') +
      r.end();
    assert.equal(out, '{"value":"[REDACTED:secret]"} and [REDACTED:secret].');
  });

  test("literals shorter than 8 characters are ignored", () => {
    assert.equal(run(["the word short stays\n"], ["short"]), "the word short stays\n");
  });

  test("a multi-byte character split across Buffers survives", () => {
    const bytes = Buffer.from(`héllo ${LITERAL} wörld\n`);
    for (let i = 0; i <= bytes.length; i++) {
      assert.equal(
        run([bytes.subarray(0, i), bytes.subarray(i)]),
        "héllo [REDACTED:secret] wörld\n",
      );
    }
  });

  test("a runaway token-shaped run is not held without bound", () => {
    const r = createRedactor();
    const out = r.push(`eyJ${"a".repeat(MAX_HOLD_CHARS * 2)}`);
    assert.ok(out.length >= MAX_HOLD_CHARS, "most of it was emitted before end()");
    r.end();
  });

  test("a key block with no end marker is suppressed, then output resumes", () => {
    const r = createRedactor();
    let out = r.push("-----BEGIN PRIVATE KEY-----\n");
    out += r.push(`${"A".repeat(64)}\n`.repeat(Math.ceil(MAX_KEY_BLOCK_CHARS / 65) + 2));
    out += r.push("later output\n") + r.end();
    assert.ok(out.startsWith("[REDACTED:private-key]"));
    assert.ok(out.endsWith("later output\n"));
    assert.ok(out.length < 65 * 4, "the key material is not echoed");
  });

  test("a key block cut off at the end of the stream stays suppressed", () => {
    const body = ecKey.slice(0, ecKey.length - 30);
    assert.equal(run([`x ${body}`]), "x [REDACTED:private-key]");
  });
});
