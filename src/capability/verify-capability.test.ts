import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createManualClock, systemClock } from "../clock/index.js";
import { hasCode, type LeashError } from "../errors/index.js";
import { openSqliteStore, type RevocationKind, type Store } from "../store/index.js";
import { CAPABILITY_JWT_TYPE, type JobContext } from "./capability.js";
import { createKeyRing } from "./key-ring.js";
import { mintCapability } from "./mint-capability.js";
import { REVOCATION_CLOCK_SKEW_MS, verifyCapability } from "./verify-capability.js";

const ISSUER = "https://leash.example";
const store = openSqliteStore(":memory:");
after(() => store.close());
const kek = randomBytes(32);

const job: JobContext = {
  issuer: "https://token.actions.githubusercontent.com",
  repository: "acme/app",
  repositoryId: "74",
  owner: "acme",
  ownerId: "65",
  ref: "refs/heads/agent/fix",
  sha: "a".repeat(40),
  workflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
  jobWorkflowRef: "acme/app/.github/workflows/agent.yml@refs/heads/main",
  runId: "1",
  runAttempt: "1",
  event: "push",
  environment: undefined,
  runnerEnvironment: "github-hosted",
  actor: "agent",
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** A capability-shaped token naming a key no leash has: anyone can send one. */
const unknownKid = (i: number) =>
  `${b64({ alg: "ES256", typ: CAPABILITY_JWT_TYPE, kid: `nobody-${i}` })}.${b64({ jti: `cap_${i}` })}.${randomBytes(64).toString("base64url")}`;

test("tokens naming unknown keys reload the key ring at most once a second; a key rotated elsewhere is still found", async () => {
  const clock = createManualClock(Date.now());
  // The store's key reads, counted: each is one load of the ring.
  let loads = 0;
  const counted: Store = {
    ...store,
    listSigningKeys: () => {
      loads++;
      return store.listSigningKeys();
    },
  };
  const ring = createKeyRing({ store: counted, kek, clock });
  await ring.load();
  loads = 0;
  const opts = { keyRing: ring, store, clock, issuer: ISSUER };

  const refusals = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) => verifyCapability(unknownKid(i), opts)),
  );
  for (let i = 50; i < 100; i++) {
    clock.advance(10); // 500 ms in all: still within the cooldown
    refusals.push(...(await Promise.allSettled([verifyCapability(unknownKid(i), opts)])));
  }
  for (const r of refusals) {
    assert.equal(r.status, "rejected");
    assert.equal((r as PromiseRejectedResult).reason.code, "ERR_CAPABILITY_INVALID");
  }
  assert.equal(loads, 1, "100 unauthenticated tokens, one reload of the store's keys");

  // Another instance rotates; once the cooldown has passed, the first token under the new
  // key reloads and is accepted.
  const elsewhere = createKeyRing({ store, kek, clock });
  await elsewhere.load();
  const minted = mintCapability(
    {
      subject: "repo:acme/app:ref:refs/heads/agent/fix",
      zone: "editing",
      actions: ["code.write"],
      rule: "r",
      ttlSeconds: 300,
      job,
      jkt: undefined,
    },
    await elsewhere.rotate(),
    { clock, issuer: ISSUER },
  );
  clock.advance(501);
  const cap = await verifyCapability(minted.token, opts);
  assert.equal(cap.id, minted.id);
  assert.equal(loads, 2);
});

describe("revocation across instances whose clocks differ", () => {
  // Instance A handles the revoke and the next request; instance B minted the capability a
  // second before the revoke, in real time, but B's clock runs 2 s ahead of A's.
  const revokedMs = Date.now();
  const clockA = createManualClock(revokedMs);
  const kinds: { kind: RevocationKind; job: JobContext; subject: string; value: string }[] = [
    {
      kind: "run",
      job: { ...job, repositoryId: "801", runId: "9" },
      subject: "s1",
      value: "801/9",
    },
    { kind: "repository", job: { ...job, repositoryId: "802" }, subject: "s2", value: "802" },
    { kind: "subject", job: { ...job, repositoryId: "803" }, subject: "s3", value: "s3" },
  ];
  const mintAt = async (atMs: number, k: (typeof kinds)[number]) => {
    const ring = createKeyRing({ store, kek, clock: systemClock });
    await ring.load();
    const input = { subject: k.subject, zone: "editing" as const, actions: ["code.write"] };
    const minted = mintCapability(
      { ...input, rule: "r", ttlSeconds: 300, job: k.job, jkt: undefined },
      ring.current(),
      { clock: createManualClock(atMs), issuer: ISSUER },
    );
    return { ring, token: minted.token };
  };

  before(async () => {
    for (const k of kinds)
      await store.insertRevocation({ kind: k.kind, value: k.value, revokedMs, reason: "" });
  });

  for (const k of kinds) {
    test(`a ${k.kind} revocation covers a capability minted on an instance 2 s ahead`, async () => {
      const { ring, token } = await mintAt(revokedMs + 2000 - 1000, k);
      await assert.rejects(
        verifyCapability(token, { keyRing: ring, store, clock: clockA, issuer: ISSUER }),
        (err: LeashError) => hasCode(err, "ERR_CAPABILITY_REVOKED"),
      );
    });

    test(`a ${k.kind} revocation leaves capabilities minted after the skew allowance alone`, async () => {
      const laterMs = revokedMs + REVOCATION_CLOCK_SKEW_MS + 1000;
      const { ring, token } = await mintAt(laterMs, k);
      const clock = createManualClock(laterMs);
      const cap = await verifyCapability(token, { keyRing: ring, store, clock, issuer: ISSUER });
      assert.equal(cap.subject, k.subject);
    });
  }
});
