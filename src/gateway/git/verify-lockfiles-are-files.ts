import { gitError, uninspectable } from "./git-errors.js";
import type { RefUpdate } from "./inspect-ref-updates.js";
import { LOCKFILES } from "./lockfile-paths.js";
import { runGit } from "./run-git.js";

/** git's mode for a symbolic link. */
const SYMLINK_MODE = "120000";
/** The empty tree of each object format (by id length), which git knows without storing it. */
const EMPTY_TREE: Readonly<Record<number, string>> = {
  40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
};
/** Every lockfile name at any depth; git filters the tree walk, so only these reach leash. */
const LOCKFILE_PATHSPECS = [...LOCKFILES].map((name) => `:(glob)**/${name}`);
const MAX_NAMED_PATHS = 3;

/**
 * Refuses a push whose new tree for any ref holds a lockfile-named symlink, at any depth,
 * whether or not this push added it. Dependency changes are found by lockfile path: a link
 * would make another file the lockfile npm reads, and edits to that file would ask no
 * `dependency.change` at all. Throws ERR_GIT_LOCKFILE_SYMLINK, or ERR_GIT_PACK_INVALID when
 * git can't read a pushed tree.
 */
export async function verifyLockfilesAreFiles(
  env: Readonly<Record<string, string>>,
  updates: readonly RefUpdate[],
): Promise<void> {
  const checked = new Set<string>();
  for (const update of updates) {
    if (update.operation === "delete" || checked.has(update.newId)) continue;
    checked.add(update.newId);
    const links = await findSymlinkedLockfiles(env, update.newId);
    if (links.length === 0) continue;
    const named = links.slice(0, MAX_NAMED_PATHS).join(", ");
    const more =
      links.length > MAX_NAMED_PATHS ? ` and ${links.length - MAX_NAMED_PATHS} more` : "";
    throw gitError(
      "ERR_GIT_LOCKFILE_SYMLINK",
      `${update.ref}: the lockfile ${named}${more} is a symlink at ${update.newId.slice(0, 12)}; ` +
        "leash decides dependency changes by the lockfile's own path, so a lockfile must be a " +
        "regular file: commit the file itself in place of the link and push again",
    );
  }
}

/** Lockfile-named symlinks in `commit`'s tree: a diff against the empty tree, limited to lockfile names. */
async function findSymlinkedLockfiles(
  env: Readonly<Record<string, string>>,
  commit: string,
): Promise<string[]> {
  const empty = EMPTY_TREE[commit.length];
  if (empty === undefined) throw uninspectable(`${commit} is not a commit id`);
  const args = [
    "diff-tree",
    "-r",
    "-z",
    "--no-renames",
    empty,
    commit,
    "--",
    ...LOCKFILE_PATHSPECS,
  ];
  const listed = await runGit(args, { env });
  if (listed.code !== 0) throw uninspectable(`${commit} has no readable tree`);
  // -z: ":<old mode> <new mode> <old id> <new id> <status>" NUL "<path>" NUL, per entry.
  const fields = listed.stdout.toString("utf8").split("\0");
  const links: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const newMode = fields[i]?.split(" ")[1];
    if (newMode === SYMLINK_MODE) links.push(fields[i + 1] as string);
  }
  return links;
}
