import { runGit } from "./run-git.js";

/** The policy engine's default branch is refs/heads/main; a mirror without one may use master. */
const DEFAULT_BRANCHES = ["refs/heads/main", "refs/heads/master"];

/** The commit the mirror's default branch is at, or undefined when it has none. */
export async function readDefaultBranchTip(
  env: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  for (const ref of DEFAULT_BRANCHES) {
    const tip = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { env });
    if (tip.code === 0) return tip.stdout.toString("utf8").trim();
  }
  return undefined;
}
