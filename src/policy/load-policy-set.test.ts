import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { hasCode } from "../errors/index.js";
import { loadPolicySet } from "./index.js";

const PACK = fileURLToPath(new URL("../../../policies/default", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "leash-policy-load-"));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function dirWith(files: Record<string, string>): string {
  const dir = join(root, `set-${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const READ = `permit (principal, action == Leash::Action::"repo.read", resource) when { resource.own_repository };`;
const GOOD = `@id("read") @reason("reads") @require1("foreign_repository: not yours")\n${READ}`;

describe("loadPolicySet", () => {
  it("loads the default pack with an id per policy and one partition per action", () => {
    const set = loadPolicySet({ dirs: [PACK] });
    assert.match(set.digest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(set.policies.some((p) => p.id === "deploy.verified"));
    assert.ok(set.partitions.has("code.write"));
    assert.equal(set.partitions.has("repo.delete"), false);
  });

  it("puts each policy only into the partitions its action scope matches", () => {
    const set = loadPolicySet({ dirs: [PACK] });
    const ids = (action: string) => {
      const p = set.partitions.get(action);
      assert.ok(p);
      return [...p.forbids.map((f) => f.id), ...p.permits.map((x) => x.info.id)].sort();
    };
    assert.deepEqual(ids("code.write"), [
      "code-write.force-push",
      "code-write.owned-branch",
      "code-write.protected-branch",
      "code-write.ref-delete",
      "granted.code-write",
    ]);
    assert.deepEqual(ids("repo.read"), ["repo-read"]);
    assert.deepEqual(ids("secret.read"), ["secret-read.granted"]);
    assert.deepEqual(ids("test.attest"), ["attest", "granted.test-attest"]);
  });

  it("gives the same digest for the same files and another for any change", () => {
    const a = dirWith({ "a.cedar": GOOD });
    const b = dirWith({ "a.cedar": GOOD });
    const c = dirWith({ "a.cedar": `${GOOD}\n` });
    const d = dirWith({ "b.cedar": GOOD });
    const digest = (dir: string) => loadPolicySet({ dirs: [dir] }).digest;
    assert.equal(digest(a), digest(b));
    assert.notEqual(digest(a), digest(c));
    assert.notEqual(digest(a), digest(d));
  });

  const invalid: { name: string; text: string; code?: string; policyId?: string | null }[] = [
    { name: "no @id", text: `@reason("r") @require1("x: y") ${READ}`, policyId: null },
    { name: "no @reason", text: `@id("p") @require1("x: y") ${READ}`, policyId: "p" },
    {
      name: "a bad @code",
      text: `@id("p") @reason("r") @code("Bad Code") @require1("x: y") ${READ}`,
    },
    { name: "a clause without @requireN", text: `@id("p") @reason("r") ${READ}` },
    {
      name: "a @requireN without a code",
      text: `@id("p") @reason("r") @require1("no code here") ${READ}`,
    },
    {
      name: "an unknown annotation",
      text: `@id("p") @reason("r") @reson("x") @require1("x: y") ${READ}`,
    },
    {
      name: "an unknown placeholder",
      text: `@id("p") @reason("for {nobody}") @require1("x: y") ${READ}`,
    },
    {
      name: "@requireN on a forbid",
      text: `@id("p") @reason("r") @require1("x: y") forbid (principal, action, resource) when { resource.own_repository };`,
    },
    {
      name: "a syntax error",
      text: `@id("p") @reason("r")\npermit (principal, action, resource) when { ;`,
    },
    {
      name: "an attribute the schema lacks",
      text: `@id("p") @reason("r") @require1("x: y") permit (principal, action == Leash::Action::"repo.read", resource) when { resource.owned };`,
      policyId: "p",
    },
    {
      name: "an optional attribute read without has",
      text: `@id("p") @reason("r") @require1("x: y") permit (principal, action == Leash::Action::"deploy", resource) when { principal.environment == "x" };`,
      policyId: "p",
    },
    {
      name: "a template",
      text: `@id("p") @reason("r") permit (principal == ?principal, action, resource);`,
    },
    { name: "a duplicate @id", text: `${GOOD}\n${GOOD}`, policyId: "read" },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name} with ERR_POLICY_INVALID naming the file`, () => {
      const dir = dirWith({ "bad.cedar": c.text });
      assert.throws(
        () => loadPolicySet({ dirs: [dir] }),
        (err) => {
          assert.ok(hasCode(err, c.code ?? "ERR_POLICY_INVALID"), String(err));
          assert.equal(err.detail?.["file"], join(dir, "bad.cedar"));
          if (c.policyId !== undefined) assert.equal(err.detail?.["policyId"], c.policyId);
          return true;
        },
      );
    });
  }

  it("names the line of a syntax error", () => {
    const dir = dirWith({
      "bad.cedar": `${GOOD}\n\n@id("q") @reason("r")\npermit (principal, action, resource) when { ;`,
    });
    assert.throws(
      () => loadPolicySet({ dirs: [dir] }),
      (err) => {
        assert.ok(hasCode(err, "ERR_POLICY_INVALID"));
        assert.match(err.message, /bad\.cedar:\d+:/);
        return true;
      },
    );
  });

  it("refuses a directory without policies, or a missing one", () => {
    const empty = dirWith({ "README.md": "nothing" });
    for (const dirs of [[empty], [join(root, "missing")]]) {
      assert.throws(
        () => loadPolicySet({ dirs }),
        (err) => hasCode(err, "ERR_POLICY_INVALID"),
      );
    }
  });

  it("refuses an unusable schema with ERR_POLICY_SCHEMA_INVALID", () => {
    const dir = dirWith({ "a.cedar": GOOD, "bad.cedarschema": "namespace Leash { entity }" });
    const noNamespace = dirWith({ "a.cedar": GOOD, "s.cedarschema": "entity Agent;" });
    for (const schemaPath of [
      join(dir, "bad.cedarschema"),
      join(noNamespace, "s.cedarschema"),
      join(root, "none.cedarschema"),
    ]) {
      assert.throws(
        () => loadPolicySet({ dirs: [dir], schemaPath }),
        (err) => hasCode(err, "ERR_POLICY_SCHEMA_INVALID"),
      );
    }
  });
});
