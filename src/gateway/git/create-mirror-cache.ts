import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RepositoryConfig } from "../../config/index.js";
import { gitError } from "./git-errors.js";
import { runGit } from "./run-git.js";

/** Bare mirrors of the upstreams, where pushed objects are inspected before they go anywhere. */
export interface MirrorCache {
  /**
   * Fetches the repository's mirror from its upstream, then runs `inspect` with its git
   * directory. One at a time per repository, so a fetch never moves refs under an inspection.
   * Throws ERR_GIT_UPSTREAM_UNAVAILABLE when the fetch fails.
   */
  withFreshMirror<T>(
    repo: RepositoryConfig,
    authorization: string | undefined,
    inspect: (gitDir: string) => Promise<T>,
  ): Promise<T>;
}

export interface MirrorCacheOptions {
  /** `<stateDir>/git`: mirrors live at `<dir>/<repository id>.git`. */
  dir: string;
  gitEnv: Readonly<Record<string, string>>;
}

/** Creates the cache of bare mirrors under `dir`. */
export function createMirrorCache(opts: MirrorCacheOptions): MirrorCache {
  const queues = new Map<string, Promise<unknown>>();
  return {
    withFreshMirror(repo, authorization, inspect) {
      const gitDir = join(opts.dir, `${repo.id}.git`);
      const run = async () => {
        await ensureMirror(gitDir, opts.gitEnv);
        await fetchUpstream(gitDir, repo, authorization, opts.gitEnv);
        return inspect(gitDir);
      };
      const previous = queues.get(repo.id) ?? Promise.resolve();
      const next = previous.then(run, run);
      const settled = next.catch(() => {});
      queues.set(repo.id, settled);
      void settled.then(() => {
        if (queues.get(repo.id) === settled) queues.delete(repo.id);
      });
      return next;
    },
  };
}

async function ensureMirror(gitDir: string, env: Readonly<Record<string, string>>): Promise<void> {
  if (existsSync(join(gitDir, "HEAD"))) return;
  mkdirSync(gitDir, { recursive: true, mode: 0o700 });
  const init = await runGit(["init", "--quiet", "--bare", gitDir], { env });
  if (init.code !== 0) throw unavailable("the local mirror could not be created");
}

async function fetchUpstream(
  gitDir: string,
  repo: RepositoryConfig,
  authorization: string | undefined,
  env: Readonly<Record<string, string>>,
): Promise<void> {
  // The credential goes through the environment, never argv (visible to every user in ps).
  const auth = authorization
    ? {
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "http.extraHeader",
        GIT_CONFIG_VALUE_0: `Authorization: ${authorization}`,
      }
    : {};
  const fetched = await runGit(
    [
      "--git-dir",
      gitDir,
      "fetch",
      "--quiet",
      "--prune",
      "--no-tags",
      "--no-write-fetch-head",
      repo.upstream,
      "+refs/heads/*:refs/heads/*",
      "+refs/tags/*:refs/tags/*",
    ],
    { env: { ...env, ...auth } },
  );
  if (fetched.code !== 0) throw unavailable(`fetching ${repo.name} from its upstream failed`);
}

const unavailable = (why: string) =>
  gitError(
    "ERR_GIT_UPSTREAM_UNAVAILABLE",
    `${why}; the push was not forwarded. Try again, or ask the operator to check the upstream and its credential`,
  );
