import { posix } from "node:path";

/** Lockfiles whose change is a dependency change (decided like `leash attest lockfile-diff`). */
export const LOCKFILES: ReadonlySet<string> = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "pnpm-lock.yaml",
  "yarn.lock",
]);

/** A lockfile at any depth of the tree (a workspace's own lockfile counts too). */
export function isLockfilePath(path: string): boolean {
  return LOCKFILES.has(posix.basename(path));
}
