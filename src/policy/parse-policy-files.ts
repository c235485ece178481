import {
  type DetailedError,
  type PolicyJson,
  policySetTextToParts,
  policyToJson,
} from "./cedar.js";
import { policyError } from "./policy-errors.js";
import { type PolicyInfo, readPolicyAnnotations } from "./read-policy-annotations.js";
import type { PolicyFile } from "./read-policy-source.js";

/** One policy as written, with what its annotations say. */
export interface ParsedPolicy {
  info: PolicyInfo;
  text: string;
  json: PolicyJson;
}

/**
 * Splits every file into policies and reads their annotations. Templates are refused
 * (leash links none). Throws ERR_POLICY_INVALID naming the file, line and policy.
 */
export function parsePolicyFiles(files: readonly PolicyFile[]): ParsedPolicy[] {
  const out: ParsedPolicy[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    for (const policy of parsePolicyFile(file)) {
      const other = seen.get(policy.info.id);
      if (other !== undefined) {
        throw policyError(
          "ERR_POLICY_INVALID",
          `${file.path}: policy "${policy.info.id}": @id already used in ${other}`,
          { file: file.path, policyId: policy.info.id, problem: "duplicate @id" },
        );
      }
      seen.set(policy.info.id, file.path);
      out.push(policy);
    }
  }
  return out;
}

function parsePolicyFile(file: PolicyFile): ParsedPolicy[] {
  const parts = policySetTextToParts(file.text);
  if (parts.type === "failure") throw syntaxError(file, parts.errors);
  if (parts.policy_templates.length > 0) {
    throw policyError("ERR_POLICY_INVALID", `${file.path}: templates are not supported`, {
      file: file.path,
      problem: "template",
    });
  }
  return parts.policies.map((text, index) => {
    const answer = policyToJson(text);
    if (answer.type === "failure") throw syntaxError(file, answer.errors);
    return { info: readPolicyAnnotations(answer.json, file.path, index), text, json: answer.json };
  });
}

function syntaxError(file: PolicyFile, errors: DetailedError[]): Error {
  const first = errors[0];
  const offset = first?.sourceLocations?.[0]?.start;
  const at = offset === undefined ? "" : `:${lineOf(file.text, offset)}`;
  const problem = first?.message ?? "cannot parse";
  return policyError("ERR_POLICY_INVALID", `${file.path}${at}: ${problem}`, {
    file: file.path,
    policyId: null,
    problem,
  });
}

/** 1-based line of a byte offset. Cedar reports offsets into the text it was given. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}
