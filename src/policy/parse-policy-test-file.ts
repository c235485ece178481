import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import type { EvidenceItem } from "../evidence/facts.js";
import { policyError } from "./policy-errors.js";
import {
  evidenceItemSchema,
  type optionsSchema,
  type PolicyTestExpectation,
  principalSchema,
  testFileSchema,
} from "./policy-test-schema.js";
import type { AuthorizationRequest, Principal } from "./types.js";

export interface PolicyTestCase {
  name: string;
  request: AuthorizationRequest;
  expect: PolicyTestExpectation;
}

export interface PolicyTestFile {
  options: z.infer<typeof optionsSchema>;
  cases: PolicyTestCase[];
}

/**
 * Parses one YAML test file: file-level `principal` defaults merged under each case's,
 * named `evidence` a case may reference by name. Throws ERR_POLICY_TEST_INVALID naming
 * the file, case and field.
 */
export function parsePolicyTestFile(text: string, file: string): PolicyTestFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw invalid(file, `not YAML: ${(cause as Error).message}`, cause);
  }
  const parsed = testFileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(file, describeIssue(parsed.error));
  const doc = parsed.data;
  const cases = doc.cases.map((c, i) => {
    const where = `case ${i + 1} (${c.name})`;
    const merged = { ...doc.principal, ...c.request.principal };
    const principal = parseWith(principalSchema, camel(merged), file, `${where}: principal`);
    const evidence = c.request.evidence.map((e, j) => {
      const named = typeof e === "string" ? doc.evidence[e] : e;
      if (named === undefined) throw invalid(file, `${where}: evidence "${e}" is not defined`);
      return parseWith(evidenceItemSchema, camel(named), file, `${where}: evidence ${j + 1}`);
    });
    const request: AuthorizationRequest = {
      principal: principal as Principal,
      action: c.request.action,
      resource: c.request.resource,
      context: c.request.context,
      // zod checked the shape; its optional fields type as `T | undefined`.
      evidence: evidence as EvidenceItem[],
      ...(c.request.commit === undefined ? {} : { commit: c.request.commit }),
    };
    return { name: c.name, request, expect: c.expect };
  });
  return { options: doc.options, cases };
}

function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  file: string,
  where: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(file, `${where}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid";
  return `${issue.path.join(".") || "(top)"}: ${issue.message}`;
}

/** snake_case keys → camelCase, deeply (principal and evidence only). */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = camel(v);
  }
  return out;
}

function invalid(file: string, problem: string, cause?: unknown): Error {
  return policyError("ERR_POLICY_TEST_INVALID", `${file}: ${problem}`, { file, problem }, cause);
}
