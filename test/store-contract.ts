/**
 * The one store contract: every Store implementation runs this suite unchanged
 * (test/store-sqlite.test.ts, test/store-postgres.test.ts). Each case opens its own store.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { main } from "../src/cli/main.js";
import type {
  AttestationRow,
  DecisionRow,
  RevocationProbe,
  RevocationRow,
  SecretRow,
  SigningKeyRow,
  Store,
} from "../src/store/index.js";

export type OpenTestStore = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

const key = (kid: string, createdMs: number): SigningKeyRow => ({
  kid,
  alg: "ES256",
  publicJwk: JSON.stringify({ kty: "EC", kid }),
  privateSealed: `sealed:${kid}`,
  createdMs,
  retiredMs: null,
});

const decision = (chain: string, seq: number, over: Partial<DecisionRow> = {}): DecisionRow => ({
  chain,
  seq,
  decisionId: `dec_${chain}_${seq}`,
  timeMs: 1_700_000_000_000 + seq * 1000,
  type: "authorize",
  result: "allow",
  action: null,
  repositoryId: null,
  capabilityId: null,
  body: JSON.stringify({ chain, seq }),
  prevHash: `prev_${seq}`,
  hash: `hash_${chain}_${seq}`,
  ...over,
});

const attestation = (id: string, over: Partial<AttestationRow> = {}): AttestationRow => ({
  id,
  kind: "test-results",
  zone: "validation",
  repositoryId: "74",
  subjectSha: "a".repeat(40),
  subjectDigest: null,
  envelope: JSON.stringify({ payloadType: "application/vnd.in-toto+json" }),
  facts: JSON.stringify({ passed: 3 }),
  createdMs: 1_700_000_000_000,
  decisionId: `dec_${id}`,
  ...over,
});

const ids = (rows: readonly { decisionId: string }[]) => rows.map((r) => r.decisionId);

const secret = (name: string, version: number, over: Partial<SecretRow> = {}): SecretRow => ({
  name,
  sealedValue: `value:${name}:${version}`,
  sealedDataKey: `key:${name}:${version}`,
  version,
  createdMs: 1_700_000_000_000,
  updatedMs: 1_700_000_000_000 + version,
  ...over,
});

/** Registers the contract's cases for one implementation. */
export function runStoreContract(name: string, open: OpenTestStore): void {
  const withStore = (title: string, fn: (store: Store) => Promise<void>) =>
    test(title, async () => {
      const { store, cleanup } = await open();
      try {
        await fn(store);
      } finally {
        await cleanup();
      }
    });

  describe(`store contract: ${name}`, () => {
    describe("signing keys", () => {
      withStore("a new store has no signing keys", async (store) => {
        assert.deepEqual(await store.listSigningKeys(), []);
      });

      withStore(
        "rotating retires every current key at the new key's creation time",
        async (store) => {
          await store.rotateSigningKey(key("key_1", 1000));
          assert.deepEqual(await store.listSigningKeys(), [key("key_1", 1000)]);
          await store.rotateSigningKey(key("key_2", 2000));
          await store.rotateSigningKey(key("key_3", 3000));
          assert.deepEqual(await store.listSigningKeys(), [
            { ...key("key_1", 1000), retiredMs: 2000 },
            { ...key("key_2", 2000), retiredMs: 3000 },
            key("key_3", 3000),
          ]);
        },
      );

      withStore("concurrent rotations leave exactly one current key", async (store) => {
        await store.rotateSigningKey(key("key_0", 1000));
        const kids = [1, 2, 3, 4, 5, 6].map((i) => `key_${i}`);
        await Promise.all(kids.map((kid, i) => store.rotateSigningKey(key(kid, 2000 + i))));
        const rows = await store.listSigningKeys();
        assert.equal(rows.length, 7);
        assert.equal(rows.filter((r) => r.retiredMs === null).length, 1);
      });

      withStore("a key with a kid already stored is refused and changes nothing", async (store) => {
        await store.rotateSigningKey(key("key_1", 1000));
        await assert.rejects(store.rotateSigningKey(key("key_1", 2000)));
        assert.deepEqual(await store.listSigningKeys(), [key("key_1", 1000)]);
      });
    });

    describe("claimOnce (replay cache)", () => {
      withStore("the first claim wins; a claim before expiry is a replay", async (store) => {
        const steps: [key: string, expiresMs: number, nowMs: number, first: boolean][] = [
          ["oidc:a", 100, 10, true],
          ["oidc:a", 100, 20, false],
          ["oidc:b", 100, 20, true],
          // Still live at exactly its expiry.
          ["oidc:a", 300, 100, false],
          // Expired: pruned by nowMs, so it can be claimed again, with its new expiry.
          ["oidc:a", 300, 101, true],
          ["oidc:a", 400, 250, false],
        ];
        for (const [k, expiresMs, nowMs, first] of steps) {
          assert.equal(await store.claimOnce(k, expiresMs, nowMs), first, `${k} at ${nowMs}`);
        }
      });

      withStore("of concurrent claims of one key exactly one wins", async (store) => {
        const results = await Promise.all(
          Array.from({ length: 12 }, () => store.claimOnce("oidc:race", 10_000, 1)),
        );
        assert.equal(results.filter(Boolean).length, 1);
      });
    });

    describe("revocations", () => {
      const probe: RevocationProbe = {
        capabilityId: "cap_1",
        run: "74/9001",
        repositoryId: "74",
        subject: "repo:acme/app:ref:refs/heads/agent/x",
      };
      const cases: [RevocationRow["kind"], string][] = [
        ["capability", probe.capabilityId],
        ["run", probe.run],
        ["repository", probe.repositoryId],
        ["subject", probe.subject],
      ];
      for (const [kind, value] of cases) {
        withStore(`a ${kind} revocation is found by the probe's ${kind}`, async (store) => {
          const row: RevocationRow = { kind, value, revokedMs: 1_700_000_000_123, reason: "test" };
          await store.insertRevocation(row);
          assert.deepEqual(await store.findRevocations(probe), [row]);
          const other = { ...probe, capabilityId: "x", run: "x", repositoryId: "x", subject: "x" };
          assert.deepEqual(await store.findRevocations(other), []);
        });
      }

      withStore("a value matches only under its own kind", async (store) => {
        await store.insertRevocation({ kind: "run", value: "74", revokedMs: 1, reason: "r" });
        await store.insertRevocation({
          kind: "subject",
          value: "cap_1",
          revokedMs: 1,
          reason: "r",
        });
        assert.deepEqual(await store.findRevocations(probe), []);
      });

      withStore("every revocation matching a probe is returned", async (store) => {
        for (const [kind, value] of cases) {
          await store.insertRevocation({ kind, value, revokedMs: 5, reason: kind });
        }
        await store.insertRevocation({
          kind: "repository",
          value: "99",
          revokedMs: 5,
          reason: "x",
        });
        const found = await store.findRevocations(probe);
        assert.deepEqual(found.map((r) => r.kind).sort(), [
          "capability",
          "repository",
          "run",
          "subject",
        ]);
      });
    });

    describe("decision log", () => {
      const seed = [decision("a", 1), decision("a", 2)];
      const refused: [string, DecisionRow[]][] = [
        [
          "a duplicate (chain, seq) inside the batch",
          [decision("a", 3), decision("a", 3, { decisionId: "dec_x" })],
        ],
        [
          "a (chain, seq) already stored",
          [decision("b", 1), decision("a", 2, { decisionId: "dec_y" })],
        ],
        [
          "a duplicate decision id inside the batch",
          [decision("a", 3), decision("a", 4, { decisionId: "dec_a_3" })],
        ],
        [
          "a decision id already stored",
          [decision("a", 3), decision("b", 1, { decisionId: "dec_a_1" })],
        ],
      ];
      for (const [what, batch] of refused) {
        withStore(`a batch with ${what} writes nothing`, async (store) => {
          await store.appendDecisions(seed);
          await assert.rejects(store.appendDecisions(batch));
          assert.deepEqual(await store.queryDecisions({}), seed);
          assert.deepEqual(await store.listChains(), ["a"]);
        });
      }

      withStore("an empty batch succeeds and writes nothing", async (store) => {
        await store.appendDecisions([]);
        assert.deepEqual(await store.queryDecisions({}), []);
      });

      withStore("lastDecision and getDecision return rows exactly as written", async (store) => {
        assert.equal(await store.lastDecision("a"), undefined);
        assert.equal(await store.getDecision("dec_a_1"), undefined);
        const full = decision("a", 2, {
          action: "code.write",
          repositoryId: "74",
          capabilityId: "cap_1",
        });
        await store.appendDecisions([decision("a", 1), full, decision("b", 1)]);
        assert.deepEqual(await store.lastDecision("a"), full);
        assert.deepEqual(await store.lastDecision("b"), decision("b", 1));
        assert.deepEqual(await store.getDecision("dec_a_1"), decision("a", 1));
        assert.equal(await store.getDecision("dec_nope"), undefined);
      });

      withStore("queryDecisions filters by each field", async (store) => {
        await store.appendDecisions([
          decision("b", 1, { result: "deny", action: "code.write", repositoryId: "74" }),
          decision("b", 2, { type: "exchange", action: "token.exchange", capabilityId: "cap_1" }),
          decision("B", 1, { result: "deny", repositoryId: "75", capabilityId: "cap_1" }),
          decision("a", 3, { action: "code.write", repositoryId: "74" }),
        ]);
        const t = (seq: number) => 1_700_000_000_000 + seq * 1000;
        const cases: [string, Parameters<Store["queryDecisions"]>[0], string[]][] = [
          [
            "everything, by chain bytewise then seq",
            {},
            ["dec_B_1", "dec_a_3", "dec_b_1", "dec_b_2"],
          ],
          ["chain", { chain: "b" }, ["dec_b_1", "dec_b_2"]],
          ["since (inclusive)", { sinceMs: t(2) }, ["dec_a_3", "dec_b_2"]],
          ["until (exclusive)", { untilMs: t(2) }, ["dec_B_1", "dec_b_1"]],
          ["type", { type: "exchange" }, ["dec_b_2"]],
          ["result", { result: "deny" }, ["dec_B_1", "dec_b_1"]],
          ["action", { action: "code.write" }, ["dec_a_3", "dec_b_1"]],
          ["repository id", { repositoryId: "74" }, ["dec_a_3", "dec_b_1"]],
          ["capability id", { capabilityId: "cap_1" }, ["dec_B_1", "dec_b_2"]],
          ["several at once", { result: "deny", repositoryId: "74" }, ["dec_b_1"]],
          ["limit", { limit: 2 }, ["dec_B_1", "dec_a_3"]],
          ["no match", { chain: "zzz" }, []],
        ];
        for (const [what, query, expected] of cases) {
          assert.deepEqual(ids(await store.queryDecisions(query)), expected, what);
        }
      });

      withStore("afterSeq and limit page through a chain in order", async (store) => {
        const rows = [5, 3, 1, 4, 2].map((seq) => decision("c", seq));
        await store.appendDecisions(rows);
        await store.appendDecisions([decision("d", 1)]);
        const pages: string[][] = [];
        for (let after = 0; ; ) {
          const page = await store.queryDecisions({ chain: "c", afterSeq: after, limit: 2 });
          if (page.length === 0) break;
          pages.push(ids(page));
          after = page.at(-1)?.seq ?? after;
        }
        assert.deepEqual(pages, [["dec_c_1", "dec_c_2"], ["dec_c_3", "dec_c_4"], ["dec_c_5"]]);
      });

      withStore(
        "pruneChain deletes a chain's prefix and the checkpoints before its anchor",
        async (store) => {
          await store.appendDecisions([1, 2, 3, 4, 5].map((seq) => decision("c", seq)));
          await store.appendDecisions([decision("d", 1)]);
          const checkpoint = { hash: "h", timeMs: 1, kid: "k", signature: "s" };
          for (const seq of [2, 4])
            await store.insertCheckpoint({ ...checkpoint, chain: "c", seq });
          assert.deepEqual(await store.pruneChain("c", 4), { decisions: 4, checkpoints: 1 });
          assert.deepEqual(
            (await store.queryDecisions({ chain: "c" })).map((r) => r.seq),
            [5],
          );
          assert.deepEqual(
            (await store.listCheckpoints("c")).map((c) => c.seq),
            [4],
          );
          assert.equal((await store.queryDecisions({ chain: "d" })).length, 1);
        },
      );

      withStore("listChains names each chain once, sorted bytewise", async (store) => {
        assert.deepEqual(await store.listChains(), []);
        await store.appendDecisions([decision("b", 1), decision("b", 2), decision("B", 1)]);
        await store.appendDecisions([decision("a", 1)]);
        assert.deepEqual(await store.listChains(), ["B", "a", "b"]);
        // A chain whose records are all gone still has its checkpoints: it must be listed,
        // or audit verify would never see that it was emptied.
        const checkpoint = { seq: 1, hash: "h", timeMs: 1, kid: "k", signature: "s" };
        await store.insertCheckpoint({ ...checkpoint, chain: "c" });
        await store.insertCheckpoint({ ...checkpoint, chain: "a" });
        assert.deepEqual(await store.listChains(), ["B", "a", "b", "c"]);
      });
    });

    describe("checkpoints", () => {
      const cp = (chain: string, seq: number) => ({
        chain,
        seq,
        hash: `hash_${chain}_${seq}`,
        timeMs: 1_700_000_000_000 + seq,
        kid: "key_1",
        signature: `jws.${chain}.${seq}`,
      });
      withStore(
        "are listed per chain in seq order; a second one at a seq is refused",
        async (store) => {
          assert.deepEqual(await store.listCheckpoints("a"), []);
          for (const c of [cp("a", 2000), cp("b", 5), cp("a", 1000)])
            await store.insertCheckpoint(c);
          assert.deepEqual(await store.listCheckpoints("a"), [cp("a", 1000), cp("a", 2000)]);
          await assert.rejects(store.insertCheckpoint({ ...cp("a", 1000), hash: "other" }));
          assert.deepEqual(await store.listCheckpoints("a"), [cp("a", 1000), cp("a", 2000)]);
        },
      );
      withStore("the last one of a chain is the one with the highest seq", async (store) => {
        assert.equal(await store.lastCheckpoint("a"), undefined);
        for (const c of [cp("a", 2000), cp("b", 5000), cp("a", 1000)])
          await store.insertCheckpoint(c);
        assert.deepEqual(await store.lastCheckpoint("a"), cp("a", 2000));
        assert.deepEqual(await store.lastCheckpoint("b"), cp("b", 5000));
      });
    });

    describe("attestations", () => {
      const sha = "a".repeat(40);
      const digest = `sha256:${"d".repeat(64)}`;
      const rows = [
        attestation("att_1", { createdMs: 1 }),
        attestation("att_2", { kind: "vulnerability-scan", createdMs: 2 }),
        attestation("att_3", {
          kind: "provenance",
          subjectSha: null,
          subjectDigest: digest,
          createdMs: 3,
        }),
        attestation("att_4", { subjectSha: "b".repeat(40), createdMs: 4 }),
        // Same commit, another repository: never evidence for repository 74.
        attestation("att_5", { repositoryId: "75", subjectDigest: digest, createdMs: 5 }),
      ];

      withStore(
        "getAttestation returns the row as written; a duplicate id is refused",
        async (store) => {
          await store.appendDecisions([], rows);
          assert.deepEqual(await store.getAttestation("att_3"), rows[2]);
          assert.equal(await store.getAttestation("att_nope"), undefined);
          await assert.rejects(store.appendDecisions([], [attestation("att_1")]));
        },
      );

      withStore(
        "attestations commit with their decision records: both or neither",
        async (store) => {
          const record = decision("e", 1, { decisionId: "dec_att_6" });
          const evidence = attestation("att_6", { decisionId: "dec_att_6" });
          await store.appendDecisions([decision("e", 2)]);
          // The record's batch fails (record 2 exists): the evidence must not stay behind.
          await assert.rejects(store.appendDecisions([record, decision("e", 2)], [evidence]));
          assert.equal(await store.getAttestation("att_6"), undefined);
          assert.equal(await store.getDecision("dec_att_6"), undefined);
          await store.appendDecisions([record], [evidence]);
          assert.deepEqual(await store.getAttestation("att_6"), evidence);
          assert.equal((await store.getDecision("dec_att_6"))?.seq, 1);
          // The other side: the attestation fails (its id exists), so the record must not stay.
          const next = decision("e", 3, { decisionId: "dec_att_7" });
          await assert.rejects(store.appendDecisions([next], [attestation("att_6")]));
          assert.equal(await store.getDecision("dec_att_7"), undefined);
        },
      );

      withStore(
        "findAttestations filters by sha, digest and kinds within one repository",
        async (store) => {
          await store.appendDecisions([], rows);
          const cases: [string, Parameters<Store["findAttestations"]>[0], string[]][] = [
            [
              "repository only, newest first",
              { repositoryId: "74" },
              ["att_4", "att_3", "att_2", "att_1"],
            ],
            ["sha", { repositoryId: "74", sha }, ["att_2", "att_1"]],
            ["digest", { repositoryId: "74", digest }, ["att_3"]],
            [
              "kinds",
              { repositoryId: "74", kinds: ["provenance", "vulnerability-scan"] },
              ["att_3", "att_2"],
            ],
            ["kinds and sha", { repositoryId: "74", sha, kinds: ["test-results"] }, ["att_1"]],
            ["empty kinds means any", { repositoryId: "74", sha, kinds: [] }, ["att_2", "att_1"]],
            ["other repository", { repositoryId: "75", sha }, ["att_5"]],
            ["unknown repository", { repositoryId: "76", sha }, []],
          ];
          for (const [what, query, expected] of cases) {
            const found = await store.findAttestations(query);
            assert.deepEqual(
              found.map((a) => a.id),
              expected,
              what,
            );
          }
        },
      );
    });

    describe("evidence lookup", () => {
      const sha = "a".repeat(40);
      const digest = `sha256:${"d".repeat(64)}`;
      withStore(
        "findEvidenceAttestations matches any sha, digest or kind, within one repository, newest first",
        async (store) => {
          const rows = [
            attestation("att_1", { createdMs: 1 }),
            attestation("att_2", {
              kind: "provenance",
              subjectSha: null,
              subjectDigest: digest,
              createdMs: 2,
            }),
            attestation("att_3", { kind: "approval", subjectSha: "c".repeat(40), createdMs: 3 }),
            attestation("att_4", { subjectSha: "b".repeat(40), createdMs: 4 }),
            attestation("att_5", { repositoryId: "75", createdMs: 5 }),
          ];
          await store.appendDecisions([], rows);
          const cases: [
            string,
            { shas: string[]; digests: string[]; kinds: string[] },
            string[],
          ][] = [
            [
              "sha, digest and kind together",
              { shas: [sha], digests: [digest], kinds: ["approval"] },
              ["att_3", "att_2", "att_1"],
            ],
            ["sha only", { shas: [sha], digests: [], kinds: [] }, ["att_1"]],
            ["nothing asked, nothing found", { shas: [], digests: [], kinds: [] }, []],
            [
              "two shas",
              { shas: [sha, "b".repeat(40)], digests: [], kinds: [] },
              ["att_4", "att_1"],
            ],
          ];
          for (const [what, match, expected] of cases) {
            const found = await store.findEvidenceAttestations("74", { ...match, limit: 200 });
            assert.deepEqual(
              found.rows.map((a) => a.id),
              expected,
              what,
            );
            assert.equal(found.truncated, false, what);
          }
          assert.deepEqual(
            (
              await store.findEvidenceAttestations("75", {
                shas: [sha],
                digests: [],
                kinds: [],
                limit: 200,
              })
            ).rows.map((a) => a.id),
            ["att_5"],
          );
        },
      );
      withStore(
        "findEvidenceAttestations says when rows about the subjects exceed the limit; kinds only cap",
        async (store) => {
          const rows = [
            attestation("att_1", { createdMs: 1 }),
            attestation("att_2", { createdMs: 2 }),
            attestation("att_3", { createdMs: 3 }),
            attestation("att_4", { kind: "approval", subjectSha: "c".repeat(40), createdMs: 4 }),
            attestation("att_5", { kind: "approval", subjectSha: "c".repeat(40), createdMs: 5 }),
            attestation("att_6", { kind: "approval", subjectSha: "c".repeat(40), createdMs: 6 }),
          ];
          await store.appendDecisions([], rows);
          const ask = (shas: string[], kinds: string[], limit: number) =>
            store.findEvidenceAttestations("74", { shas, digests: [], kinds, limit });
          // Three rows about the sha: a limit of 2 can't hold them, so the answer is incomplete.
          assert.equal((await ask([sha], [], 2)).truncated, true);
          const exact = await ask([sha], [], 3);
          assert.equal(exact.truncated, false);
          assert.deepEqual(
            exact.rows.map((a) => a.id),
            ["att_3", "att_2", "att_1"],
          );
          // Rows of a kind (approvals: only an admin mints them) are the newest `limit`, not an error.
          const kinds = await ask([sha], ["approval"], 3);
          assert.equal(kinds.truncated, false);
          assert.deepEqual(
            kinds.rows.map((a) => a.id),
            ["att_6", "att_5", "att_4", "att_3", "att_2", "att_1"],
          );
          assert.deepEqual(
            (await ask([], ["approval"], 2)).rows.map((a) => a.id),
            ["att_6", "att_5"],
          );
        },
      );
    });

    describe("secrets", () => {
      withStore(
        "put and get return a secret as written; list shows names and versions only",
        async (store) => {
          assert.equal(await store.getSecret("NPM_TOKEN"), undefined);
          assert.deepEqual(await store.listSecrets(), []);
          assert.equal(await store.putSecret(secret("NPM_TOKEN", 1)), true);
          assert.equal(await store.putSecret(secret("AWS_KEY", 1)), true);
          assert.deepEqual(await store.getSecret("NPM_TOKEN"), secret("NPM_TOKEN", 1));
          assert.deepEqual(await store.listSecrets(), [
            {
              name: "AWS_KEY",
              version: 1,
              createdMs: 1_700_000_000_000,
              updatedMs: 1_700_000_000_001,
            },
            {
              name: "NPM_TOKEN",
              version: 1,
              createdMs: 1_700_000_000_000,
              updatedMs: 1_700_000_000_001,
            },
          ]);
        },
      );

      withStore(
        "a put must follow the stored version; the creation time is kept",
        async (store) => {
          const steps: [string, SecretRow, boolean][] = [
            ["version 2 of a secret not stored", secret("S", 2), false],
            ["version 1 of a new secret", secret("S", 1), true],
            ["version 1 again", secret("S", 1, { sealedValue: "other" }), false],
            ["a version that skips one", secret("S", 3), false],
            ["the next version", secret("S", 2, { createdMs: 5 }), true],
          ];
          for (const [what, row, stored] of steps) {
            assert.equal(await store.putSecret(row), stored, what);
          }
          assert.deepEqual(await store.getSecret("S"), secret("S", 2));
        },
      );

      withStore("of concurrent puts of one version exactly one wins", async (store) => {
        await store.putSecret(secret("S", 1));
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.putSecret(secret("S", 2, { sealedValue: `v${i}` })),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal((await store.getSecret("S"))?.version, 2);
      });

      withStore(
        "undoing a put restores the row it replaced, or removes a new secret",
        async (store) => {
          const first = secret("S", 1);
          const second = secret("S", 2, { sealedValue: "v2", sealedDataKey: "k2" });
          await store.putSecret(first);
          await store.putSecret(second);
          assert.equal(await store.undoSecretPut(second, first), true);
          assert.deepEqual(await store.getSecret("S"), first);

          const fresh = secret("N", 1);
          await store.putSecret(fresh);
          assert.equal(await store.undoSecretPut(fresh, undefined), true);
          assert.equal(await store.getSecret("N"), undefined);
        },
      );

      withStore("an undo leaves alone a row a later put or a rewrap changed", async (store) => {
        const first = secret("S", 1);
        const second = secret("S", 2, { sealedValue: "v2", sealedDataKey: "k2" });
        const third = secret("S", 3, { sealedValue: "v3", sealedDataKey: "k3" });
        await store.putSecret(first);
        await store.putSecret(second);
        await store.putSecret(third);
        assert.equal(await store.undoSecretPut(second, first), false, "a later put");
        assert.deepEqual(await store.getSecret("S"), third);

        const rewrapped = await store.replaceSealed({
          secrets: [{ name: "S", version: 3, sealedDataKey: "k3-rewrapped" }],
          signingKeys: [],
        });
        assert.equal(rewrapped, true);
        assert.equal(await store.undoSecretPut(third, second), false, "a rewrap");
        assert.equal((await store.getSecret("S"))?.sealedDataKey, "k3-rewrapped");
      });

      withStore("a lease is stored once; its id can't be reused", async (store) => {
        const lease = {
          leaseId: "lse_1",
          name: "S",
          capabilityId: "cap_1",
          repositoryId: "74",
          purpose: "publish",
          fingerprint: "hmac-sha256:ab",
          createdMs: 1,
          expiresMs: 2,
          decisionId: "dec_1",
        };
        await store.insertLease(lease);
        await assert.rejects(store.insertLease(lease));
      });

      const sealedSeed = async (store: Store) => {
        await store.putSecret(secret("A", 1));
        await store.putSecret(secret("B", 1));
        await store.putSecret(secret("B", 2));
        await store.rotateSigningKey(key("key_1", 1000));
        await store.rotateSigningKey(key("key_2", 2000));
      };
      const full = {
        secrets: [
          { name: "A", version: 1, sealedDataKey: "new:A" },
          { name: "B", version: 2, sealedDataKey: "new:B" },
        ],
        signingKeys: [
          { kid: "key_1", privateSealed: "new:key_1" },
          { kid: "key_2", privateSealed: "new:key_2" },
        ],
      };

      withStore("replaceSealed re-wraps every data key and signing key at once", async (store) => {
        await sealedSeed(store);
        assert.deepEqual(
          (await store.listSealedSecrets()).map((r) => [r.name, r.version, r.sealedValue]),
          [
            ["A", 1, "value:A:1"],
            ["B", 2, "value:B:2"],
          ],
        );
        assert.equal(await store.replaceSealed(full), true);
        assert.deepEqual(
          (await store.listSealedSecrets()).map((r) => [r.name, r.sealedDataKey, r.sealedValue]),
          [
            ["A", "new:A", "value:A:1"],
            ["B", "new:B", "value:B:2"],
          ],
        );
        assert.deepEqual(
          (await store.listSigningKeys()).map((k) => [k.kid, k.privateSealed, k.retiredMs]),
          [
            ["key_1", "new:key_1", 2000],
            ["key_2", "new:key_2", null],
          ],
        );
      });

      const incomplete: [string, Parameters<Store["replaceSealed"]>[0]][] = [
        ["a secret left out", { ...full, secrets: full.secrets.slice(1) }],
        ["a signing key left out", { ...full, signingKeys: full.signingKeys.slice(1) }],
        [
          "a secret at an old version",
          { ...full, secrets: [full.secrets[0]!, { name: "B", version: 1, sealedDataKey: "x" }] },
        ],
        [
          "a secret named twice",
          { ...full, secrets: [full.secrets[0]!, full.secrets[0]!, full.secrets[1]!] },
        ],
        [
          "a secret not stored",
          { ...full, secrets: [full.secrets[0]!, { name: "C", version: 1, sealedDataKey: "x" }] },
        ],
        [
          "a signing key not stored",
          { ...full, signingKeys: [full.signingKeys[0]!, { kid: "key_9", privateSealed: "x" }] },
        ],
      ];
      for (const [what, rewrap] of incomplete) {
        withStore(`replaceSealed with ${what} changes nothing`, async (store) => {
          await sealedSeed(store);
          const before = [await store.listSealedSecrets(), await store.listSigningKeys()];
          assert.equal(await store.replaceSealed(rewrap), false);
          assert.deepEqual(
            [await store.listSealedSecrets(), await store.listSigningKeys()],
            before,
          );
        });
      }
    });

    describe("change notification (when the store offers it)", () => {
      withStore(
        "notify reaches subscribers of that channel only, until they unsubscribe",
        async (store) => {
          if (!store.subscribe || !store.notify) return;
          const heard = { policy: 0, keys: 0 };
          const keysHeard = createCounter();
          const offPolicy = await store.subscribe("policy", () => heard.policy++);
          const offKeys = await store.subscribe("keys", () => {
            heard.keys++;
            keysHeard.bump();
          });
          // Notifications arrive in commit order, so once `keys` is heard `policy` was too.
          await store.notify("policy");
          await store.notify("keys");
          await keysHeard.reach(1);
          assert.deepEqual(heard, { policy: 1, keys: 1 });
          await offPolicy();
          await store.notify("policy");
          await store.notify("keys");
          await keysHeard.reach(2);
          assert.deepEqual(heard, { policy: 1, keys: 2 });
          await offKeys();
        },
      );
    });
  });
}

/** A counter a test can await reaching a value; fails after `timeoutMs` rather than hang. */
export function createCounter(timeoutMs = 5000) {
  let count = 0;
  let waiters: { n: number; resolve: () => void }[] = [];
  return {
    get count() {
      return count;
    },
    bump() {
      count++;
      const ready = waiters.filter((w) => count >= w.n);
      waiters = waiters.filter((w) => count < w.n);
      for (const w of ready) w.resolve();
    },
    reach(n: number): Promise<void> {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`count stayed at ${count}, expected ${n}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** Runs `leash migrate --json` with ./leash.yaml in `dir`; the exit code and the parsed report. */
export async function runMigrate(dir: string): Promise<{ code: number; report: unknown }> {
  const out: string[] = [];
  const io = { env: {}, cwd: dir, out: (t: string) => void out.push(t), err: () => {} };
  const code = await main(["migrate", "--json"], {}, io);
  return { code, report: JSON.parse(out.join("")) as unknown };
}
