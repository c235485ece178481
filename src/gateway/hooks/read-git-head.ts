import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface GitHead {
  /** The working tree's root (the directory holding `.git`). */
  root: string;
  /** The checked-out branch as a full ref, or undefined on a detached HEAD. */
  branch: string | undefined;
}

/**
 * Finds the git working tree holding `dir` and its checked-out branch by reading `.git/HEAD`
 * directly (following a worktree's `gitdir:` file): no git process on the hook's hot path.
 * Returns null outside any working tree or when HEAD can't be read.
 */
export function readGitHead(dir: string): GitHead | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const gitDir = toGitDir(join(at, ".git"));
    if (gitDir !== null) {
      const head = readText(join(gitDir, "HEAD"));
      if (head === null) return null;
      const m = /^ref: (refs\/\S+)\s*$/.exec(head);
      return { root: at, branch: m ? (m[1] as string) : undefined };
    }
    if (dirname(at) === at) return null;
  }
}

function toGitDir(dotGit: string): string | null {
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return null;
  }
  const text = readText(dotGit);
  const m = text ? /^gitdir: (.+)$/m.exec(text) : null;
  return m ? resolve(dirname(dotGit), (m[1] as string).trim()) : null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
