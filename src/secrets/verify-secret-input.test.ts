import assert from "node:assert/strict";
import { test } from "node:test";
import { hasCode } from "../errors/index.js";
import {
  MAX_SECRET_VALUE_BYTES,
  verifySecretName,
  verifySecretValue,
} from "./verify-secret-input.js";

const names: [string, boolean][] = [
  ["NPM_TOKEN", true],
  ["deploy.key-1", true],
  ["a".repeat(128), true],
  ["", false],
  ["a".repeat(129), false],
  ["A:B", false],
  ["../etc", false],
  ["NPM TOKEN", false],
];
for (const [name, ok] of names) {
  test(`secret name ${JSON.stringify(name.slice(0, 20))} is ${ok ? "accepted" : "refused"}`, () => {
    if (ok) assert.equal(verifySecretName(name), name);
    else
      assert.throws(
        () => verifySecretName(name),
        (e) => hasCode(e, "ERR_SECRET_NAME_INVALID"),
      );
  });
}

const values: [string, string, boolean][] = [
  ["a one-byte value", "x", true],
  ["the largest value", "x".repeat(MAX_SECRET_VALUE_BYTES), true],
  ["an empty value", "", false],
  ["a value over the limit", "x".repeat(MAX_SECRET_VALUE_BYTES + 1), false],
];
for (const [what, value, ok] of values) {
  test(`${what} is ${ok ? "accepted" : "refused, without echoing it"}`, () => {
    if (ok) assert.equal(verifySecretValue(value), value);
    else
      assert.throws(
        () => verifySecretValue(value),
        (e) =>
          hasCode(e, "ERR_SECRET_VALUE_INVALID") && (value === "" || !String(e).includes(value)),
      );
  });
}
