import type { Clock } from "../clock/index.js";
import type { PolicyConfig } from "../config/index.js";
import {
  createPolicyEngine,
  DEFAULT_POLICY_DIR,
  loadPolicySet,
  type PolicyEngine,
} from "../policy/index.js";

/** The policy sets in force: swapped whole on reload, never half-updated. */
export interface PolicyHolder {
  readonly active: PolicyEngine;
  readonly shadow: PolicyEngine | undefined;
  /** Reloads from disk; on any error keeps the last good sets and throws the coded error. */
  reload(): { digest: string; shadowDigest: string | undefined };
}

/** Loads, validates and pre-parses the configured sets once; request code only evaluates. */
export function createPolicyHolder(config: PolicyConfig, clock: Clock): PolicyHolder {
  const build = () => {
    const engineConfig = {
      ownedBranches: config.ownedBranches,
      protectedBranches: config.protectedBranches,
      clock,
    };
    const active = createPolicyEngine(
      loadPolicySet({ dirs: config.dirs ?? [DEFAULT_POLICY_DIR] }),
      engineConfig,
    );
    const shadow = config.shadowDirs
      ? createPolicyEngine(loadPolicySet({ dirs: config.shadowDirs }), engineConfig)
      : undefined;
    return { active, shadow };
  };
  let sets = build();
  return {
    get active() {
      return sets.active;
    },
    get shadow() {
      return sets.shadow;
    },
    reload() {
      sets = build();
      return { digest: sets.active.digest, shadowDigest: sets.shadow?.digest };
    },
  };
}
