import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { test } from "node:test";
import { rewrapSigningKey } from "../capability/index.js";
import { hasCode } from "../errors/index.js";
import { seal, unseal } from "../sealing/index.js";
import type { SecretRow, SigningKeyRow } from "../store/index.js";
import { rewrapAll } from "./rewrap-all.js";
import { openSecret, sealSecret } from "./seal-secret.js";

const oldKey = randomBytes(32);
const newKey = randomBytes(32);

const secretRow = (name: string, value: string, version: number): SecretRow => ({
  ...sealSecret(oldKey, name, value, version),
  createdMs: 1,
  updatedMs: 2,
});

function signingRow(kid: string): SigningKeyRow {
  const der = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    format: "der",
    type: "pkcs8",
  });
  return {
    kid,
    alg: "ES256",
    publicJwk: "{}",
    privateSealed: seal(oldKey, der, `leash-signing-key:${kid}`),
    createdMs: 1,
    retiredMs: null,
  };
}

test("every data key and signing key moves to the new master key; values stay sealed as they were", () => {
  const secrets = [secretRow("A", "value-a", 1), secretRow("B", "value-b", 4)];
  const keys = [signingRow("key_1"), signingRow("key_2")];
  const rewrap = rewrapAll(oldKey, newKey, { secrets, signingKeys: keys });
  assert.deepEqual(
    rewrap.secrets.map((s) => [s.name, s.version]),
    [
      ["A", 1],
      ["B", 4],
    ],
  );
  secrets.forEach((s, i) => {
    const moved = { ...s, sealedDataKey: rewrap.secrets[i]?.sealedDataKey ?? "" };
    assert.equal(openSecret(newKey, moved), i === 0 ? "value-a" : "value-b");
    assert.throws(
      () => openSecret(oldKey, moved),
      (e) => hasCode(e, "ERR_SEALING_UNSEAL_FAILED"),
    );
  });
  keys.forEach((k, i) => {
    const sealed = rewrap.signingKeys[i]?.privateSealed ?? "";
    assert.deepEqual(
      unseal(newKey, sealed, `leash-signing-key:${k.kid}`),
      unseal(oldKey, k.privateSealed, `leash-signing-key:${k.kid}`),
    );
    // The rewrapped row is the old key's no longer.
    assert.throws(
      () => rewrapSigningKey({ ...k, privateSealed: sealed }, oldKey, newKey),
      (e) => hasCode(e, "ERR_SEALING_UNSEAL_FAILED"),
    );
  });
});

test("a row the old key did not seal stops the whole rewrap with ERR_SEALING_UNSEAL_FAILED", () => {
  const stranger = { ...sealSecret(randomBytes(32), "C", "x"), createdMs: 1, updatedMs: 1 };
  assert.throws(
    () =>
      rewrapAll(oldKey, newKey, { secrets: [secretRow("A", "a", 1), stranger], signingKeys: [] }),
    (e) => hasCode(e, "ERR_SEALING_UNSEAL_FAILED"),
  );
});

test("rewrapping to the same key is refused with ERR_SECRET_MASTER_KEY_UNCHANGED", () => {
  assert.throws(
    () => rewrapAll(oldKey, Buffer.from(oldKey), { secrets: [], signingKeys: [] }),
    (e) => hasCode(e, "ERR_SECRET_MASTER_KEY_UNCHANGED"),
  );
});
