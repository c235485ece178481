import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { test } from "node:test";
import { deriveFingerprintKey, fingerprintSecret } from "./fingerprint-secret.js";

const VALUE = "ghp_exampleValue0123456789";

test("a fingerprint is a keyed HMAC: stable under one master key, different under another", () => {
  const master = randomBytes(32);
  const key = deriveFingerprintKey(master);
  const fp = fingerprintSecret(VALUE, key);
  assert.match(fp, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.equal(fingerprintSecret(VALUE, deriveFingerprintKey(master)), fp);
  assert.notEqual(fingerprintSecret(VALUE, deriveFingerprintKey(randomBytes(32))), fp);
  assert.notEqual(fingerprintSecret(`${VALUE}x`, key), fp);
});

test("a fingerprint is neither the value, its plain hash, nor keyed with the master key itself", () => {
  const master = randomBytes(32);
  const fp = fingerprintSecret(VALUE, deriveFingerprintKey(master));
  assert.ok(!fp.includes(VALUE));
  assert.ok(!fp.includes(createHash("sha256").update(VALUE).digest("hex")));
  assert.notEqual(fingerprintSecret(VALUE, master), fp);
  assert.notDeepEqual(deriveFingerprintKey(master), master);
});
