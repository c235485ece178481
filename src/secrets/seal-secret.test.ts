import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { hasCode } from "../errors/index.js";
import { openSecret, type SealedSecret, sealSecret } from "./seal-secret.js";

const master = randomBytes(32);
const VALUE = "npm_s3cr3tV4lueThatMustNeverLeak";

test("a sealed secret opens with the master key that sealed it", () => {
  const sealed = sealSecret(master, "NPM_TOKEN", VALUE, 3);
  assert.equal(sealed.version, 3);
  assert.equal(openSecret(master, sealed), VALUE);
});

test("the sealed form holds neither the value nor the data key in the clear", () => {
  const sealed = sealSecret(master, "NPM_TOKEN", VALUE);
  const text = JSON.stringify(sealed);
  assert.ok(!text.includes(VALUE));
  assert.ok(!text.includes(Buffer.from(VALUE).toString("base64url")));
});

test("every seal uses a fresh data key, even for the same value and version", () => {
  const a = sealSecret(master, "NPM_TOKEN", VALUE);
  const b = sealSecret(master, "NPM_TOKEN", VALUE);
  assert.notEqual(a.sealedDataKey, b.sealedDataKey);
  assert.notEqual(a.sealedValue, b.sealedValue);
  // A data key of one seal does not open the value of another.
  assert.throws(
    () => openSecret(master, { ...a, sealedDataKey: b.sealedDataKey }),
    (e) => hasCode(e, "ERR_SEALING_UNSEAL_FAILED"),
  );
});

const flip = (s: string) => {
  const parts = s.split(".");
  const body = Buffer.from(parts[2] ?? "", "base64url");
  body[0] = (body[0] ?? 0) ^ 1;
  parts[2] = body.toString("base64url");
  return parts.join(".");
};

const failsClosed: [string, (s: SealedSecret) => SealedSecret, Buffer?][] = [
  ["another master key", (s) => s, randomBytes(32)],
  ["a tampered value", (s) => ({ ...s, sealedValue: flip(s.sealedValue) })],
  ["a tampered data key", (s) => ({ ...s, sealedDataKey: flip(s.sealedDataKey) })],
  ["the row moved to another name", (s) => ({ ...s, name: "OTHER" })],
  ["the row presented as another version", (s) => ({ ...s, version: 2 })],
  ["a malformed sealed value", (s) => ({ ...s, sealedValue: "v1.x" })],
];
for (const [what, change, key] of failsClosed) {
  test(`${what} fails closed with ERR_SEALING_UNSEAL_FAILED`, () => {
    const sealed = change(sealSecret(master, "NPM_TOKEN", VALUE, 1));
    assert.throws(
      () => openSecret(key ?? master, sealed),
      (e) => hasCode(e, "ERR_SEALING_UNSEAL_FAILED") && !String(e).includes(VALUE),
    );
  });
}
