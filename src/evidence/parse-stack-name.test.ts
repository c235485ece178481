import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, LeashError } from "../errors/index.js";
import { type EvidenceKind, parseEvidence } from "./index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");
const plan = fixture("terraform-plan.json");
const drift = fixture("terraform-drift-clean.json");
const junit = fixture("jest-junit.xml");
const repository = "acme/infra";

const stackOf = (kind: EvidenceKind, content: string, stack?: string) => {
  const facts = parseEvidence(kind, content, { stack, repository });
  return "stack" in facts ? facts.stack : "(none)";
};

test("a plan or drift check describes the stack it names, else the repository's own", () => {
  const cases: [string, EvidenceKind, string, string | undefined, string][] = [
    ["a named plan", "terraform-plan", plan, "production", "production"],
    ["a named drift check", "drift-check", drift, "staging", "staging"],
    ["a plan naming none", "terraform-plan", plan, undefined, repository],
    ["a drift check naming none", "drift-check", drift, undefined, repository],
    [
      "segments and every allowed character",
      "terraform-plan",
      plan,
      "eu/Prod_1.core-a",
      "eu/Prod_1.core-a",
    ],
    ["a dot-led segment (owner/.github)", "terraform-plan", plan, "acme/.github", "acme/.github"],
    ["256 characters", "terraform-plan", plan, "s".repeat(256), "s".repeat(256)],
    ["other kinds name no stack", "junit", junit, undefined, "(none)"],
  ];
  for (const [name, kind, content, stack, expected] of cases)
    assert.equal(stackOf(kind, content, stack), expected, name);
});

test("a bad stack name, or a stack on a kind that has none, is refused with ERR_EVIDENCE_STACK_INVALID", () => {
  const cases: [string, EvidenceKind, string, string][] = [
    ["empty", "terraform-plan", plan, ""],
    ["257 characters", "terraform-plan", plan, "s".repeat(257)],
    ["a space", "terraform-plan", plan, "prod eu"],
    ["a newline (log forging)", "drift-check", drift, "prod\nstack=staging"],
    ["a leading slash", "terraform-plan", plan, "/production"],
    ["a trailing slash", "terraform-plan", plan, "production/"],
    ["an empty segment", "terraform-plan", plan, "eu//production"],
    ["a dot-dot segment", "terraform-plan", plan, "staging/../production"],
    ["a dot segment", "terraform-plan", plan, "./production"],
    ["a glob", "terraform-plan", plan, "prod-*"],
    ["non-ASCII", "terraform-plan", plan, "prodúction"],
    ["a stack on test results", "junit", junit, "production"],
  ];
  for (const [name, kind, content, stack] of cases) {
    assert.throws(
      () => parseEvidence(kind, content, { stack, repository }),
      // The name is never echoed back (it may hold anything the caller sent).
      (err) =>
        hasCode(err, "ERR_EVIDENCE_STACK_INVALID") &&
        (stack === "" || !err.message.includes(stack)),
      name,
    );
  }
});

test("the stack name is checked before the content is read", () => {
  // Malformed content with a bad name: the name is what the caller hears about first.
  const err = (() => {
    try {
      parseEvidence("terraform-plan", "not json", { stack: "a b", repository });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof LeashError && hasCode(err, "ERR_EVIDENCE_STACK_INVALID"));
});
