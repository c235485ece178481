import { createReadStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { gitError, uninspectable } from "./git-errors.js";
import type { RefUpdateCommand } from "./parse-push-commands.js";
import { toQuarantineEnv } from "./quarantine-env.js";
import { readDefaultBranchTip } from "./read-default-branch-tip.js";
import { runGit } from "./run-git.js";

/** A ref update with the facts policy decides on. */
export interface RefUpdate extends RefUpdateCommand {
  operation: "create" | "update" | "delete";
  /** An update whose old commit is not an ancestor of the new one: history is rewritten. */
  force: boolean;
  /** Paths the pushed commits change (and, for a force push, where old and new differ). */
  paths: string[];
}

export interface InspectInput {
  /** The bare mirror of the upstream, freshly fetched. */
  gitDir: string;
  /** A new, empty directory that receives the pushed objects and is deleted after. */
  quarantineDir: string;
  /** The spooled request body, its size, and where its pack starts. */
  bodyFile: string;
  bodyBytes: number;
  packOffset: number;
  commands: readonly RefUpdateCommand[];
  gitEnv: Readonly<Record<string, string>>;
}

const ZERO_ID = /^0+$/;

/**
 * Indexes the pushed pack into a quarantine beside the mirror (the mirror itself never
 * holds an agent's objects) and derives, per command, the operation, whether it rewrites
 * history, and the changed paths. Throws ERR_GIT_PACK_INVALID when the pack or a named
 * commit can't be read: what can't be inspected is not pushed.
 */
export async function inspectRefUpdates(input: InspectInput): Promise<RefUpdate[]> {
  await mkdir(join(input.quarantineDir, "objects", "pack"), { recursive: true, mode: 0o700 });
  const env = toQuarantineEnv(input.gitDir, input.quarantineDir, input.gitEnv);
  if (input.bodyBytes > input.packOffset) await indexPack(input, env);
  const updates: RefUpdate[] = [];
  for (const command of input.commands) updates.push(await inspectCommand(command, env));
  return updates;
}

async function indexPack(input: InspectInput, env: Record<string, string>): Promise<void> {
  const stdin = createReadStream(input.bodyFile, { start: input.packOffset });
  const indexed = await runGit(["index-pack", "--stdin", "--fix-thin"], { env, stdin });
  if (indexed.code !== 0)
    throw gitError(
      "ERR_GIT_PACK_INVALID",
      "the pushed pack could not be indexed; nothing was pushed",
    );
}

async function inspectCommand(
  command: RefUpdateCommand,
  env: Record<string, string>,
): Promise<RefUpdate> {
  if (ZERO_ID.test(command.newId))
    return { ...command, operation: "delete", force: false, paths: [] };
  if (ZERO_ID.test(command.oldId)) {
    // A new branch counts where its tree differs from the default branch (which covers all
    // its merges bring in): a branch created at an older upstream commit (or on one) carries
    // that commit's workflows, and CI runs them on push, though no pushed commit changed them.
    // With no default branch to compare with, everything its merges bring in counts.
    const paths = new Set(await logPaths("-c", command.newId, env));
    const unlikeDefault = await pathsUnlikeDefaultBranch(command.newId, env);
    for (const p of unlikeDefault ?? (await logPaths("-m", command.newId, env))) paths.add(p);
    return { ...command, operation: "create", force: false, paths: sorted(paths) };
  }
  const paths = await introducedPaths(command.newId, env);
  const force = !(await isAncestor(command, env));
  if (force) for (const p of await changedPaths(command, env)) paths.add(p);
  return { ...command, operation: "update", force, paths: sorted(paths) };
}

/**
 * What the commits new to the upstream change: their own edits (`-c`: a merge's paths that
 * differ from all of its parents), plus what their merges bring in that is not already the
 * default branch's. `-c` alone hides a file whose merge result equals one parent's version,
 * so a merge of main with an older upstream commit (or one without the file) could restore
 * or delete a workflow with no path counted. Merging the default branch in is no change.
 */
async function introducedPaths(newId: string, env: Record<string, string>): Promise<Set<string>> {
  const paths = new Set(await logPaths("-c", newId, env));
  const brought = (await logPaths("-m", newId, env)).filter((p) => !paths.has(p));
  if (brought.length === 0) return paths;
  const unlikeDefault = await pathsUnlikeDefaultBranch(newId, env);
  for (const p of brought) if (!unlikeDefault || unlikeDefault.has(p)) paths.add(p);
  return paths;
}

async function logPaths(
  merges: "-c" | "-m",
  newId: string,
  env: Record<string, string>,
): Promise<string[]> {
  const args = ["log", "--format=", merges, "--name-only", "--no-renames", "-z"];
  const why = `commit ${newId} is not in the push or the upstream`;
  return splitNul(await gitOk([...args, newId, "--not", "--all"], env, why));
}

/** Where the pushed tree differs from the default branch tip; undefined (count all) without one. */
async function pathsUnlikeDefaultBranch(
  newId: string,
  env: Record<string, string>,
): Promise<Set<string> | undefined> {
  const tip = await readDefaultBranchTip(env);
  if (tip === undefined) return undefined;
  return new Set(await changedPaths({ oldId: tip, newId }, env));
}

async function changedPaths(
  c: Pick<RefUpdateCommand, "oldId" | "newId">,
  env: Record<string, string>,
): Promise<string[]> {
  const args = ["diff", "--name-only", "--no-renames", "-z", c.oldId, c.newId, "--"];
  return splitNul(await gitOk(args, env, `${c.oldId} and ${c.newId} can't be compared`));
}

async function isAncestor(c: RefUpdateCommand, env: Record<string, string>): Promise<boolean> {
  const r = await runGit(["merge-base", "--is-ancestor", c.oldId, c.newId], { env });
  if (r.code === 0 || r.code === 1) return r.code === 0;
  throw uninspectable(
    `${c.ref} is at ${c.oldId} in the push, which the upstream does not have; fetch and push again`,
  );
}

async function gitOk(args: string[], env: Record<string, string>, why: string): Promise<Buffer> {
  const r = await runGit(args, { env });
  if (r.code !== 0) throw uninspectable(why);
  return r.stdout;
}

function splitNul(out: Buffer): string[] {
  return out
    .toString("utf8")
    .split("\0")
    .map((p) => p.replace(/^\n+/, ""))
    .filter((p) => p !== "");
}

const sorted = (paths: Set<string>) => [...paths].sort();
