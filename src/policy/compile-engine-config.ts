import type { Clock } from "../clock/index.js";
import { compileGlobs } from "./compile-glob.js";
import { CONTROL_PATHS, compileControlPaths } from "./control-paths.js";
import type { PolicyEngineConfig } from "./types.js";

/** Engine configuration with every glob compiled, once. */
export interface EngineConfig {
  clock: Clock;
  ownedBranches: readonly string[];
  controlPaths: readonly string[];
  isOwnedBranch(ref: string): boolean;
  isProtectedBranch(ref: string): boolean;
  defaultBranch: string;
  isProductionStack(id: string): boolean;
  isProductionEnvironment(name: string): boolean;
  isControlPath(path: string): boolean;
}

/** Compiles the engine configuration, filling defaults. */
export function compileEngineConfig(config: PolicyEngineConfig): EngineConfig {
  const ownedBranches = config.ownedBranches ?? ["refs/heads/agent/*"];
  const controlPaths = config.controlPaths ?? CONTROL_PATHS;
  // Environment names compare case-insensitively: forges treat `Production` and
  // `production` as one environment, so the production gate must too.
  const production = new Set((config.productionEnvironments ?? ["production"]).map(lower));
  // Stack ids too: an agent names the Stack it asks about, and `Production` must not slip
  // past a `production` glob and its approval.
  const productionStack = compileGlobs((config.productionStacks ?? []).map(lower));
  return {
    clock: config.clock,
    ownedBranches,
    controlPaths,
    isOwnedBranch: compileGlobs(ownedBranches),
    isProtectedBranch: compileGlobs(config.protectedBranches ?? []),
    defaultBranch: config.defaultBranch ?? "refs/heads/main",
    isProductionStack: (id) => productionStack(lower(id)),
    isProductionEnvironment: (name) => production.has(lower(name)),
    isControlPath: compileControlPaths(controlPaths),
  };
}

function lower(text: string): string {
  return text.toLowerCase();
}
