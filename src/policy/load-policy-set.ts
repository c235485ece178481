import { parsePolicyFiles } from "./parse-policy-files.js";
import type { ActionPartition } from "./partition-policy-set.js";
import { partitionPolicySet, preparseWholeSet } from "./partition-policy-set.js";
import type { PolicyInfo } from "./read-policy-annotations.js";
import { readPolicySource } from "./read-policy-source.js";
import { readSchemaActions, type SchemaAction } from "./read-schema-actions.js";
import type { PolicySource } from "./types.js";
import { validatePolicies } from "./validate-policies.js";

/** A validated, pre-parsed policy set: what an engine evaluates. Immutable. */
export interface PolicySet {
  /** `sha256:` over the schema and the sorted policy file names and contents. */
  digest: string;
  schemaPath: string;
  policies: readonly PolicyInfo[];
  actions: ReadonlyMap<string, SchemaAction>;
  partitions: ReadonlyMap<string, ActionPartition>;
  /** The whole set as written, pre-parsed for raw-Cedar comparisons only. */
  wholeSetId: string;
}

/**
 * Reads `.cedar` files from `dirs`, checks annotations, validates strictly against the
 * schema, and pre-parses once (one Cedar set per action). Throws ERR_POLICY_INVALID or
 * ERR_POLICY_SCHEMA_INVALID naming the file and policy; the caller keeps its last good set.
 */
export function loadPolicySet(source: PolicySource): PolicySet {
  const text = readPolicySource(source);
  const actions = readSchemaActions(text.schemaText);
  const parsed = parsePolicyFiles(text.files);
  validatePolicies(text.schemaText, parsed);
  const name = source.slot ?? text.digest;
  return {
    digest: text.digest,
    schemaPath: text.schemaPath,
    policies: parsed.map((p) => p.info),
    actions,
    partitions: partitionPolicySet(name, parsed, actions),
    wholeSetId: preparseWholeSet(name, parsed),
  };
}
