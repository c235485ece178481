import { uninspectable } from "./git-errors.js";
import { runGit } from "./run-git.js";

/** A lockfile as one commit's tree holds it. */
export type LockfileBlob =
  | { kind: "absent" }
  | { kind: "text"; text: string }
  | { kind: "too-large"; bytes: number }
  /** A symlink, a submodule or a folder under a lockfile's name: nothing a parser reads. */
  | { kind: "not-a-file" };

const ENTRY = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(\d+|-)\t/;

/**
 * Reads `path` at `commit` (in the mirror or the push's quarantine), its size checked before
 * a byte of it is read: a huge lockfile costs one `ls-tree`, never its content. Throws
 * ERR_GIT_PACK_INVALID when git can't read what the push names.
 */
export async function readLockfileBlob(
  env: Readonly<Record<string, string>>,
  commit: string,
  path: string,
  maxBytes: number,
): Promise<LockfileBlob> {
  // Literal: a file named `*.json` must not match every JSON file as a pathspec.
  const args = ["--literal-pathspecs", "ls-tree", "-z", "-l", commit, "--", path];
  const listed = await runGit(args, { env });
  if (listed.code !== 0) throw uninspectable(`${commit} has no readable tree`);
  const entry = listed.stdout
    .toString("utf8")
    .split("\0")
    .find((line) => line.endsWith(`\t${path}`));
  if (entry === undefined) return { kind: "absent" };
  const [, mode, type, oid, size] = ENTRY.exec(entry) ?? [];
  if (type !== "blob" || (mode !== "100644" && mode !== "100755") || !oid || !size)
    return { kind: "not-a-file" };
  const bytes = Number(size);
  if (bytes > maxBytes) return { kind: "too-large", bytes };
  const blob = await runGit(["cat-file", "blob", oid], { env, maxStdoutBytes: maxBytes });
  if (blob.code !== 0) throw uninspectable(`${path} at ${commit} can't be read`);
  return { kind: "text", text: blob.stdout.toString("utf8") };
}
