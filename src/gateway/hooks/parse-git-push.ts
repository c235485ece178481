import type { ShellWord } from "./parse-shell-command.js";

/** One ref a `git push` would change on the remote. */
export interface PushTarget {
  /** Full ref name: refs/heads/…, refs/tags/…, or a pattern such as refs/tags/* for --tags. */
  ref: string;
  delete: boolean;
  force: boolean;
}

export type GitPush =
  | { kind: "refs"; remote: string | undefined; targets: PushTarget[] }
  | { kind: "unmappable"; remote: string | undefined; reason: string };

/** Options whose value is the next argument. */
const TAKES_VALUE = new Set(["-o", "--push-option", "--repo", "--receive-pack", "--exec"]);
/** Pushes whose refs the command line doesn't name: leash can't decide them one by one. */
const WHOLESALE = new Set(["--all", "--branches", "--mirror", "--prune"]);

/**
 * Reads the arguments after `git push` into the refs it changes: `HEAD:main`, `origin
 * feature`, `+ref` and `--force`/`-f`/`--force-with-lease` (force), `:ref` and `--delete`
 * (delete), `tag v1`, `--tags`. A ref the refspec leaves implicit is the current branch.
 * Pure; what it can't read confidently comes back as `unmappable` with the reason.
 */
export function parseGitPush(args: ShellWord[], currentBranch: string | undefined): GitPush {
  let force = false;
  let del = false;
  let tags = false;
  const positional: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const t = a.text;
    if (WHOLESALE.has(t))
      return {
        kind: "unmappable",
        remote: undefined,
        reason: `git push ${t} changes refs it doesn't name`,
      };
    if (TAKES_VALUE.has(t)) i++;
    else if (t === "--force" || t.startsWith("--force-with-lease") || t === "--force-if-includes")
      force = true;
    else if (t === "--delete") del = true;
    else if (t === "--tags" || t === "--follow-tags") tags = true;
    else if (/^-[a-zA-Z0-9]+$/.test(t)) {
      if (t.includes("f")) force = true;
      if (t.includes("d")) del = true;
      if (t.includes("o")) i++;
    } else if (!t.startsWith("-") || t === "-") positional.push(a);
  }
  const [remote, ...specs] = positional;
  const remoteName = remote?.text;
  if (remote?.dynamic || specs.some((s) => s.dynamic))
    return {
      kind: "unmappable",
      remote: remoteName,
      reason: "git push names a remote or ref through a variable or substitution",
    };
  const targets = toTargets(
    specs.map((s) => s.text),
    { force, del },
    currentBranch,
  );
  if (typeof targets === "string")
    return { kind: "unmappable", remote: remoteName, reason: targets };
  if (tags) targets.push({ ref: "refs/tags/*", delete: false, force });
  return { kind: "refs", remote: remoteName, targets };
}

function toTargets(
  specs: string[],
  flags: { force: boolean; del: boolean },
  current: string | undefined,
): PushTarget[] | string {
  if (specs.length === 0) {
    // push.default=simple: the current branch to its namesake.
    if (!current) return "git push without a refspec on a detached HEAD";
    return [{ ref: current, delete: flags.del, force: flags.force }];
  }
  const out: PushTarget[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as string;
    if (spec === "tag" && specs[i + 1] !== undefined) {
      out.push({ ref: `refs/tags/${specs[++i]}`, delete: flags.del, force: flags.force });
      continue;
    }
    const t = toTarget(spec, flags, current);
    if (typeof t === "string") return t;
    out.push(t);
  }
  return out;
}

function toTarget(
  raw: string,
  flags: { force: boolean; del: boolean },
  current: string | undefined,
): PushTarget | string {
  const force = flags.force || raw.startsWith("+");
  const spec = raw.replace(/^\+/, "");
  const colon = spec.indexOf(":");
  const src = colon === -1 ? spec : spec.slice(0, colon);
  const dst = colon === -1 ? spec : spec.slice(colon + 1);
  if (dst === "" || dst.includes("*") || /[\s~^?\\]/.test(dst))
    return `git push refspec ${JSON.stringify(raw)} names no single ref`;
  const isDelete = flags.del || (colon !== -1 && src === "");
  if (dst === "HEAD" || (colon === -1 && src === "HEAD")) {
    if (!current) return `git push ${raw} on a detached HEAD`;
    return { ref: current, delete: isDelete, force };
  }
  return { ref: qualify(dst, src), delete: isDelete, force };
}

/** A short destination is a branch, unless its source is a tag (as git resolves it). */
function qualify(dst: string, src: string): string {
  if (dst.startsWith("refs/")) return dst;
  return src.startsWith("refs/tags/") ? `refs/tags/${dst}` : `refs/heads/${dst}`;
}
