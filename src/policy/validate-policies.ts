import { validate } from "./cedar.js";
import type { ParsedPolicy } from "./parse-policy-files.js";
import { policyError } from "./policy-errors.js";

/**
 * Validates every policy strictly against the schema (types, attributes, `has` guards,
 * action/resource pairs). Throws ERR_POLICY_INVALID naming the first bad policy's file
 * and @id, or ERR_POLICY_SCHEMA_INVALID when the schema itself is unusable.
 */
export function validatePolicies(schemaText: string, policies: readonly ParsedPolicy[]): void {
  const staticPolicies: Record<string, string> = {};
  for (const p of policies) staticPolicies[p.info.id] = p.text;
  const answer = validate({
    schema: schemaText,
    policies: { staticPolicies },
    validationSettings: { mode: "strict" },
  });
  if (answer.type === "failure") {
    const problem = answer.errors[0]?.message ?? "validation failed";
    throw policyError("ERR_POLICY_SCHEMA_INVALID", `the policy schema is invalid: ${problem}`, {
      problem,
    });
  }
  const first = answer.validationErrors[0];
  if (first === undefined) return;
  const file = policies.find((p) => p.info.id === first.policyId)?.info.file ?? "?";
  const problem = first.error.message;
  throw policyError(
    "ERR_POLICY_INVALID",
    `${file}: policy "${first.policyId}": ${problem}${
      answer.validationErrors.length > 1 ? ` (and ${answer.validationErrors.length - 1} more)` : ""
    }`,
    {
      file,
      policyId: first.policyId,
      problem,
      errors: answer.validationErrors.map((e) => ({
        policyId: e.policyId,
        message: e.error.message,
      })),
    },
  );
}
