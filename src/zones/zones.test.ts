import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MAX_READ_TTL_SECONDS,
  MAX_WRITE_TTL_SECONDS,
  maxTtlSeconds,
  VOUCH_ACTIONS,
  WRITE_ACTIONS,
  writesOrVouches,
  ZONE_ACTIONS,
} from "./zones.js";

test("every attest action of every zone vouches, so no attestation escapes the write guards", () => {
  const attest = Object.values(ZONE_ACTIONS)
    .flat()
    .filter((a) => a.endsWith(".attest"));
  assert.ok(attest.length >= 4);
  for (const a of attest) assert.ok(VOUCH_ACTIONS.has(a), `${a} is not in VOUCH_ACTIONS`);
});

test("actions that write or vouch get the 15-minute cap; the rest 1 hour", () => {
  const cases: [string[], boolean][] = [
    [["repo.read", "test.attest"], true],
    [["scan.attest"], true],
    [["change.attest"], true],
    [["provenance.attest"], true],
    [["code.write"], true],
    [["deploy"], true],
    [["repo.read", "plan.submit"], false],
    [["repo.read", "secret.read"], false],
  ];
  for (const [actions, guarded] of cases) {
    assert.equal(writesOrVouches(actions), guarded, actions.join(","));
    assert.equal(
      maxTtlSeconds(actions),
      guarded ? MAX_WRITE_TTL_SECONDS : MAX_READ_TTL_SECONDS,
      actions.join(","),
    );
  }
});

test("vouching is its own notion: test and scan attestations are not writes", () => {
  assert.ok(!WRITE_ACTIONS.has("test.attest"));
  assert.ok(!WRITE_ACTIONS.has("scan.attest"));
});
