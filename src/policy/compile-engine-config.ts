import type { Clock } from "../clock/index.js";
import { compileGlobs } from "./compile-glob.js";
import type { PolicyEngineConfig } from "./types.js";

/**
 * Paths that steer CI or leash itself: changing one widens an agent's own leash, so the
 * default pack wants an approval for it.
 */
export const CONTROL_PATHS: readonly string[] = Object.freeze([
  ".github/workflows/**",
  ".github/actions/**",
  "**/action.yml",
  "**/action.yaml",
  ".gitlab-ci.yml",
  // GitLab CI includes (conventionally .gitlab/ci/*.yml) and its CODEOWNERS live here.
  ".gitlab/**",
  // Who must review a change: an agent that edits it can drop the required reviewers.
  "CODEOWNERS",
  ".github/CODEOWNERS",
  "docs/CODEOWNERS",
  "leash.yaml",
  "leash.yml",
  "policies/**",
]);

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
  return {
    clock: config.clock,
    ownedBranches,
    controlPaths,
    isOwnedBranch: compileGlobs(ownedBranches),
    isProtectedBranch: compileGlobs(config.protectedBranches ?? []),
    defaultBranch: config.defaultBranch ?? "refs/heads/main",
    isProductionStack: compileGlobs(config.productionStacks ?? []),
    isProductionEnvironment: (name) => production.has(lower(name)),
    isControlPath: compileControlPaths(controlPaths),
  };
}

/**
 * Control paths match without regard to case: on a case-insensitive runner or checkout
 * (macOS, Windows) `.GitHub/workflows/ci.yml` is the workflow file, so a change to it must
 * need the same approval.
 */
function compileControlPaths(globs: readonly string[]): (path: string) => boolean {
  const match = compileGlobs(globs.map((g) => g.toLowerCase()));
  return (path) => match(path.toLowerCase());
}

function lower(text: string): string {
  return text.toLowerCase();
}
