import { createReadStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { gitError } from "./git-errors.js";
import type { RefUpdateCommand } from "./parse-push-commands.js";
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
  const objects = join(input.quarantineDir, "objects");
  await mkdir(join(objects, "pack"), { recursive: true, mode: 0o700 });
  const env = {
    ...input.gitEnv,
    GIT_DIR: input.gitDir,
    GIT_OBJECT_DIRECTORY: objects,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: join(input.gitDir, "objects"),
    // git refuses ref updates while this is set: inspection can't change the mirror.
    GIT_QUARANTINE_PATH: objects,
  };
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
  const paths = new Set(await introducedPaths(command.newId, env));
  if (ZERO_ID.test(command.oldId))
    return { ...command, operation: "create", force: false, paths: sorted(paths) };
  const force = !(await isAncestor(command, env));
  if (force) for (const p of await changedPaths(command, env)) paths.add(p);
  return { ...command, operation: "update", force, paths: sorted(paths) };
}

/**
 * What the commits new to the upstream change. A merge counts only what differs from all of
 * its parents (its own edits): what it brings in from a parent is counted where that parent's
 * commits are introduced, or is already upstream and not this push's change.
 */
async function introducedPaths(newId: string, env: Record<string, string>): Promise<string[]> {
  const args = [
    "log",
    "--format=",
    "-c",
    "--name-only",
    "--no-renames",
    "-z",
    newId,
    "--not",
    "--all",
  ];
  return splitNul(await gitOk(args, env, `commit ${newId} is not in the push or the upstream`));
}

async function changedPaths(c: RefUpdateCommand, env: Record<string, string>): Promise<string[]> {
  const args = ["diff", "--name-only", "--no-renames", "-z", c.oldId, c.newId, "--"];
  return splitNul(await gitOk(args, env, `${c.oldId} and ${c.newId} can't be compared`));
}

async function isAncestor(c: RefUpdateCommand, env: Record<string, string>): Promise<boolean> {
  const r = await runGit(["merge-base", "--is-ancestor", c.oldId, c.newId], { env });
  if (r.code === 0 || r.code === 1) return r.code === 0;
  throw unreadable(
    `${c.ref} is at ${c.oldId} in the push, which the upstream does not have; fetch and push again`,
  );
}

async function gitOk(args: string[], env: Record<string, string>, why: string): Promise<Buffer> {
  const r = await runGit(args, { env });
  if (r.code !== 0) throw unreadable(why);
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

const unreadable = (why: string) =>
  gitError("ERR_GIT_PACK_INVALID", `the push could not be inspected: ${why}`);
