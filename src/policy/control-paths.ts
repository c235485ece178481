// The one list of control paths. The policy engine reads it (touches_workflows) and so does
// the agent hook (which shell writes to ask leash about), so this file and compile-glob.ts
// import nothing: the hook imports them by path, never through the policy module's index,
// which would load the Cedar engine before every agent tool call.
import { compileGlobs } from "./compile-glob.js";

/**
 * Paths that steer CI or leash itself: changing one widens an agent's own leash, so the
 * default pack wants an approval for it. Why each is here, and what is left out on purpose
 * (agent instruction files, other CI systems), is in docs/policy.md.
 *
 * The hook derives its directory and glob checks from these, so each entry is one of three
 * shapes: a literal path, `dir/**` under a literal directory, or `**\/name` where the name may
 * hold `*` (see toControlLocations in src/gateway/hooks/match-protected-pattern.ts).
 */
export const CONTROL_PATHS: readonly string[] = Object.freeze([
  // CI: what runs, with which identity and secrets.
  ".github/workflows/**",
  ".github/actions/**",
  "**/action.yml",
  "**/action.yaml",
  ".gitlab-ci.yml",
  // GitLab CI includes (conventionally .gitlab/ci/*.yml) and its CODEOWNERS live here.
  ".gitlab/**",
  // Dependabot hands its secrets to the registries this file names.
  ".github/dependabot.yml",
  ".github/dependabot.yaml",
  // Who must review a change: an agent that edits it can drop the required reviewers.
  "CODEOWNERS",
  ".github/CODEOWNERS",
  "docs/CODEOWNERS",
  // leash's own config and policies, wherever an operator keeps them (`policy.dirs` may
  // point anywhere, and a platform repository may hold many configs).
  "**/leash.yaml",
  "**/leash.yml",
  "policies/**",
  "**/*.cedar",
  "**/*.cedarschema",
  // How the agent itself is checked: committed, these switch its hook off on the next run.
  // (The hook refuses local writes to them outright; this covers what reaches a push.)
  ".claude/settings.json",
  ".claude/settings.local.json",
  ".claude/hooks/**",
  ".codex/**",
  ".github/hooks/**",
]);

/**
 * Compiles control path globs into a predicate over normalized, `/`-separated paths.
 * Security: matches without regard to case — on a case-insensitive runner or checkout
 * (macOS, Windows) `.GitHub/workflows/ci.yml` is the workflow file, so a change to it must
 * need the same approval.
 */
export function compileControlPaths(globs: readonly string[]): (path: string) => boolean {
  const match = compileGlobs(globs.map((g) => g.toLowerCase()));
  return (path) => match(path.toLowerCase());
}
