import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { EVIDENCE_KINDS, type EvidenceKind, MAX_EVIDENCE_BYTES, parseEvidence } from "./index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

test("parseEvidence dispatches every kind, from text or from parsed JSON", () => {
  const lockDiff = {
    lockfile: "package-lock.json",
    before: fixture("package-lock-before.json"),
    after: fixture("package-lock-after.json"),
  };
  const cases: [EvidenceKind, string, string][] = [
    ["junit", fixture("jest-junit.xml"), "test-result"],
    ["npm-audit", fixture("npm-audit-v2.json"), "vulnerability-scan"],
    ["osv", fixture("osv-scanner.json"), "vulnerability-scan"],
    ["lockfile-diff", JSON.stringify(lockDiff), "lockfile-diff"],
    ["terraform-plan", fixture("terraform-plan.json"), "terraform-plan"],
    ["drift-check", fixture("terraform-drift.json"), "drift-check"],
  ];
  assert.deepEqual(
    cases.map(([kind]) => kind),
    [...EVIDENCE_KINDS],
  );
  for (const [kind, text, factsKind] of cases) {
    const fromText = parseEvidence(kind, text);
    assert.equal(fromText.kind, factsKind, kind);
    if (kind !== "junit") assert.deepEqual(parseEvidence(kind, JSON.parse(text)), fromText, kind);
  }
});

test("a lockfile-diff picks its differ by name; before may be absent", () => {
  const pnpm = parseEvidence("lockfile-diff", {
    lockfile: "pnpm-lock.yaml",
    after: fixture("pnpm-lock-v6.yaml"),
  });
  assert.equal(pnpm.kind === "lockfile-diff" && pnpm.lockfile, "pnpm-lock.yaml");
  assert.equal(pnpm.kind === "lockfile-diff" && pnpm.added.length, 7);
  const npm = parseEvidence("lockfile-diff", {
    lockfile: "package-lock.json",
    before: null,
    after: fixture("package-lock-before.json"),
  });
  assert.equal(npm.kind === "lockfile-diff" && npm.removed.length, 0);
});

test("parseEvidence refuses unknown kinds and bad envelopes", () => {
  const big = { pad: "x".repeat(MAX_EVIDENCE_BYTES) };
  let deep: unknown[] = [];
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const cases: [string, string, unknown, string, string | undefined][] = [
    ["unknown kind", "sarif", "{}", "ERR_EVIDENCE_UNKNOWN_KIND", undefined],
    ["prototype key as kind", "constructor", "{}", "ERR_EVIDENCE_UNKNOWN_KIND", undefined],
    ["junit given JSON", "junit", { testsuites: [] }, "ERR_EVIDENCE_MALFORMED", ""],
    [
      "yarn lockfile",
      "lockfile-diff",
      { lockfile: "yarn.lock", after: "" },
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      "lockfile",
    ],
    [
      "no after",
      "lockfile-diff",
      { lockfile: "package-lock.json", before: "{}" },
      "ERR_EVIDENCE_MALFORMED",
      "after",
    ],
    [
      "after not text",
      "lockfile-diff",
      { lockfile: "pnpm-lock.yaml", after: { a: 1 } },
      "ERR_EVIDENCE_MALFORMED",
      "after",
    ],
    ["wrapper not an object", "lockfile-diff", "[1]", "ERR_EVIDENCE_MALFORMED", ""],
    ["oversized parsed JSON", "terraform-plan", big, "ERR_EVIDENCE_TOO_LARGE", undefined],
    ["null body", "osv", null, "ERR_EVIDENCE_MALFORMED", ""],
    ["JSON deeper than the stack", "npm-audit", deep, "ERR_EVIDENCE_MALFORMED", ""],
  ];
  for (const [name, kind, content, code, path] of cases) {
    const err = catchError(() => parseEvidence(kind as EvidenceKind, content));
    assert.ok(hasCode(err, code), `${name}: ${err.code}`);
    assert.equal(err.detail?.["path"], path, name);
  }
});

function catchError(fn: () => unknown): LeashError {
  try {
    fn();
  } catch (err) {
    return err as LeashError;
  }
  throw new Error("expected a throw");
}
