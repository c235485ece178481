import type { PolicyJson } from "./cedar.js";
import { policyError } from "./policy-errors.js";
import { findUnknownPlaceholders } from "./render-message.js";
import type { Reason } from "./types.js";

/** What leash knows about one policy, from its annotations. */
export interface PolicyInfo {
  id: string;
  file: string;
  effect: "permit" | "forbid";
  reason: string;
  code?: string;
  /** Permits only: one per `when`/`unless` clause, in order, from `@require1`…`@requireN`. */
  requirements: Reason[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const CODE = /^[a-z][a-z0-9_]*$/;
const REQUIRE_KEY = /^require([1-9][0-9]*)$/;
const REQUIRE_VALUE = /^([a-z][a-z0-9_]*): (\S[\s\S]*)$/;

/**
 * Reads and checks a policy's annotations: `@id` and `@reason` required, `@code` optional,
 * and on a permit exactly one `@requireN("code: message")` per condition clause.
 * Throws ERR_POLICY_INVALID naming the file and policy.
 */
export function readPolicyAnnotations(json: PolicyJson, file: string, index: number): PolicyInfo {
  const notes = json.annotations ?? {};
  const id = notes["id"];
  const where = id === undefined ? `policy #${index + 1}` : `policy "${id}"`;
  const fail = (problem: string) =>
    policyError("ERR_POLICY_INVALID", `${file}: ${where}: ${problem}`, {
      file,
      policyId: id ?? null,
      problem,
    });
  if (id === undefined || !ID.test(id)) throw fail("needs an @id of letters, digits, . _ : -");
  const reason = notes["reason"];
  if (reason === undefined || reason.trim() === "") throw fail("needs a non-empty @reason");
  const code = notes["code"];
  if (code !== undefined && !CODE.test(code)) throw fail("@code must be lower_snake_case");
  const requirements = readRequirements(json, notes, fail);
  checkPlaceholders([reason, ...requirements.map((r) => r.message)], fail);
  const info: PolicyInfo = { id, file, effect: json.effect, reason, requirements };
  if (code !== undefined) info.code = code;
  return info;
}

function readRequirements(
  json: PolicyJson,
  notes: Record<string, string>,
  fail: (problem: string) => Error,
): Reason[] {
  const keys = Object.keys(notes).filter((k) => !["id", "reason", "code"].includes(k));
  for (const k of keys) {
    if (!REQUIRE_KEY.test(k)) throw fail(`unknown annotation @${k}`);
  }
  if (json.effect === "forbid") {
    if (keys.length > 0) throw fail("@requireN belongs on permits; a forbid has @reason and @code");
    return [];
  }
  const clauses = json.conditions.length;
  if (keys.length !== clauses) {
    throw fail(`has ${clauses} condition clause(s) but ${keys.length} @requireN annotation(s)`);
  }
  const out: Reason[] = [];
  for (let n = 1; n <= clauses; n++) {
    const m = REQUIRE_VALUE.exec(notes[`require${n}`] ?? "");
    if (m === null) throw fail(`@require${n} must read "code: message" (code lower_snake_case)`);
    out.push({ code: m[1] as string, message: m[2] as string });
  }
  return out;
}

function checkPlaceholders(messages: string[], fail: (problem: string) => Error): void {
  for (const message of messages) {
    const unknown = findUnknownPlaceholders(message);
    if (unknown.length > 0) throw fail(`unknown placeholder {${unknown[0]}} in a message`);
  }
}
