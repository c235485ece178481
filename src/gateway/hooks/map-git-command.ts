import { findGitConfigHosts } from "./find-git-config-hosts.js";
import { findGitWriteTargets } from "./find-git-write-targets.js";
import { findScpHost, findUrlHosts } from "./find-hosts.js";
import {
  codeWrite,
  type MappedCallBuilder,
  secretRead,
  toolUse,
  type WriteSet,
} from "./leash-request.js";
import { mapWriteTargets } from "./map-file-access.js";
import { addEgress } from "./map-network-command.js";
import { parseGitConfig } from "./parse-git-config.js";
import { parseGitPush } from "./parse-git-push.js";
import type { ShellWord } from "./parse-shell-command.js";
import { readGitArgs } from "./read-git-args.js";
import type { Stdin } from "./read-stdin.js";

/**
 * The runner user's git settings an agent may change: identity and harmless defaults. Every
 * other key can run code on a later step's git command (core.fsmonitor, core.hooksPath,
 * core.sshCommand, alias.*, credential.helper, filter.*, include.path, …) or redirect a push.
 */
const SAFE_USER_KEYS: ReadonlySet<string> = new Set([
  "user.name",
  "user.email",
  "init.defaultbranch",
  "pull.rebase",
  "push.autosetupremote",
  "color.ui",
]);

/** Subcommands that talk to a remote named by URL (a remote name goes through the gateway). */
const REMOTE_COMMANDS = new Set(["clone", "fetch", "pull", "ls-remote", "remote", "submodule"]);

/**
 * `git …`: a push is `code.write` on each ref it changes (delete and force as facts, like
 * the git gateway reports them); reading an `http.*.extraheader` or credentials is a
 * `secret.read`; a URL remote is egress to its host; the worktree files it writes
 * (`checkout`/`restore` paths, `apply`, `clone`, `config -f`) join `walk.writes`, decided
 * like any shell write. Returns true when this decided the command, `"local"` when it is an
 * ordinary local git command.
 */
export function mapGitCommand(
  args: ShellWord[],
  stdin: Stdin,
  out: MappedCallBuilder,
  walk: { purpose: string | undefined; writes: WriteSet },
): true | "local" {
  const { purpose } = walk;
  // `-c http.proxy=…`, `url.….insteadOf=…`: where any git command connects, remote or not.
  addEgress(findGitConfigHosts(args), out);
  const { sub, rest, dir } = readGitArgs(args);
  const texts = rest.map((a) => a.text);
  mapWriteTargets(findGitWriteTargets(sub, rest, dir, stdin), `git ${sub}`, out, walk.writes);
  if (sub === "push") return mapPush(rest, out);
  if (sub === "config" && mapConfigWrite(rest, out, walk.writes)) return true;
  if (sub === "config" && (texts.some((t) => /extraheader/i.test(t)) || texts.some(isListing))) {
    out.add(secretRead("git:http.extraheader", purpose));
    return true;
  }
  if (sub === "credential" || sub?.startsWith("credential-")) {
    out.add(secretRead("git:credentials", purpose));
    return true;
  }
  if (sub && REMOTE_COMMANDS.has(sub)) {
    const hosts = rest.flatMap((a) => [
      ...findUrlHosts(a.text),
      ...(findScpHost(a.text) ? [findScpHost(a.text) as string] : []),
    ]);
    if (hosts.length > 0) {
      addEgress(hosts, out);
      return true;
    }
  }
  return "local";
}

/**
 * A `git config` write to the repository's config is a write of `.git/config`: a key like
 * `core.fsmonitor`, `core.hooksPath` or `core.sshCommand` runs code on the next git command,
 * which a later CI step runs with the pipeline's tokens. True when this decided the call.
 */
function mapConfigWrite(args: ShellWord[], out: MappedCallBuilder, writes: WriteSet): boolean {
  const call = parseGitConfig(args);
  if (call.kind === "write-repository") {
    out.deny(
      "git_config_write",
      `git config writes ${call.file}, whose keys (core.fsmonitor, core.hooksPath, …) run code on the next git command a CI step runs; for one command use git -c key=value, for the runner user's settings git config --global`,
      toolUse(`git config ${call.file}`),
    );
    return true;
  }
  if (call.kind === "write-user" && !(call.key && SAFE_USER_KEYS.has(call.key))) {
    out.deny(
      "git_config_write",
      `git config --global/--system writes ${call.key ?? "a key it doesn't name plainly"} to the runner's config, which the job's later steps share, and keys like core.fsmonitor or alias.* run code there; agents may set only ${[...SAFE_USER_KEYS].join(", ")} this way (for one command: git -c key=value)`,
      toolUse(`git config --global ${call.key ?? "?"}`),
    );
    return true;
  }
  if (call.kind === "write-file") {
    // `-f FILE` writes FILE: decided like any shell write of it (`-f .git/config` included).
    mapWriteTargets([call.file], "git config", out, writes);
  }
  return false;
}

const isListing = (t: string) =>
  t === "--list" || t === "-l" || t === "--get-regexp" || t === "--get-all";

function mapPush(args: ShellWord[], out: MappedCallBuilder): true {
  const push = parseGitPush(args, out.ctx.currentBranch);
  const remote = push.remote ?? "";
  // A URL instead of a remote name bypasses the gateway the job's remotes point at.
  addEgress(
    [...findUrlHosts(remote), ...(findScpHost(remote) ? [findScpHost(remote) as string] : [])],
    out,
  );
  if (push.kind === "unmappable") {
    out.deny(
      "push_unmappable",
      `${push.reason}; push named refs (git push origin HEAD:refs/heads/agent/…) so leash can decide each`,
      toolUse("git push"),
    );
    return true;
  }
  // The hook decides the refs; which files a push carries is decided by the git gateway,
  // which reads them from the pack (an empty list here keeps the ref question on its own).
  for (const t of push.targets)
    out.add(
      codeWrite(t.ref, { paths: [], ...(t.delete ? { operation: "delete" } : {}), force: t.force }),
    );
  return true;
}
