import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock } from "../clock/index.js";
import { openSqliteStore } from "../store/index.js";
import { CAPABILITY_JWT_TYPE, type JobContext } from "./capability.js";
import { createKeyRing, type KeyRing } from "./key-ring.js";
import { mintCapability } from "./mint-capability.js";
import { verifyCapability } from "./verify-capability.js";

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
  const ring = createKeyRing({ store, kek, clock: systemClock });
  await ring.load();
  let loads = 0;
  const counted: KeyRing = {
    ...ring,
    load: () => {
      loads++;
      return ring.load();
    },
  };
  const opts = { keyRing: counted, store, clock: systemClock, issuer: ISSUER };

  const refusals = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) => verifyCapability(unknownKid(i), opts)),
  );
  for (let i = 50; i < 100; i++)
    refusals.push(...(await Promise.allSettled([verifyCapability(unknownKid(i), opts)])));
  for (const r of refusals) {
    assert.equal(r.status, "rejected");
    assert.equal((r as PromiseRejectedResult).reason.code, "ERR_CAPABILITY_INVALID");
  }
  assert.equal(loads, 1, "100 unauthenticated tokens, one reload of the store's keys");

  // Another instance rotates; once the cooldown has passed, the first token under the new
  // key reloads and is accepted.
  const elsewhere = createKeyRing({ store, kek, clock: systemClock });
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
    { clock: systemClock, issuer: ISSUER },
  );
  await sleep(1100);
  const cap = await verifyCapability(minted.token, opts);
  assert.equal(cap.id, minted.id);
  assert.equal(loads, 2);
});
