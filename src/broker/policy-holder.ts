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

/**
 * Loads, validates and pre-parses the configured sets once; request code only evaluates.
 * Each generation's sets are pre-parsed into one of two slots per role, the one not in use:
 * a reload that fails leaves the sets in force untouched, and one that succeeds replaces
 * the generation before the last instead of adding sets Cedar would never free.
 */
export function createPolicyHolder(config: PolicyConfig, clock: Clock): PolicyHolder {
  const engineConfig = {
    ownedBranches: config.ownedBranches,
    protectedBranches: config.protectedBranches,
    productionEnvironments: config.productionEnvironments,
    productionStacks: config.productionStacks,
    clock,
  };
  const build = (generation: number) => {
    const slot = generation % 2;
    const active = createPolicyEngine(
      loadPolicySet({ dirs: config.dirs ?? [DEFAULT_POLICY_DIR], slot: `active-${slot}` }),
      engineConfig,
    );
    const shadow = config.shadowDirs
      ? createPolicyEngine(
          loadPolicySet({ dirs: config.shadowDirs, slot: `shadow-${slot}` }),
          engineConfig,
        )
      : undefined;
    return { active, shadow };
  };
  let generation = 0;
  let sets = build(generation);
  return {
    get active() {
      return sets.active;
    },
    get shadow() {
      return sets.shadow;
    },
    reload() {
      sets = build(generation + 1);
      generation += 1;
      return { digest: sets.active.digest, shadowDigest: sets.shadow?.digest };
    },
  };
}
