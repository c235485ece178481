import { join } from "node:path";
import {
  authenticateCapability,
  authorizeAction,
  type Leash,
  recordRefusal,
} from "../../broker/index.js";
import type { Capability } from "../../capability/index.js";
import type { RepositoryConfig } from "../../config/index.js";
import { toLeashError } from "../../errors/index.js";
import { createMirrorCache } from "./create-mirror-cache.js";
import { gitError } from "./git-errors.js";
import {
  DEFAULT_GIT_GATEWAY_LIMITS,
  type GitGatewayContext,
  type GitGatewayLimits,
} from "./git-gateway-context.js";
import { type GitRoute, parseGitPath } from "./parse-git-path.js";
import { proxyGitRead } from "./proxy-git-read.js";
import { readGitCredential } from "./read-git-credential.js";
import { receivePush } from "./receive-push.js";
import { toTextRefusal } from "./render-git-refusal.js";
import { toGitEnv } from "./run-git.js";
import type { GetUpstreamCredential } from "./upstream-credential.js";

export interface GitGatewayOptions {
  leash: Leash;
  getUpstreamCredential: GetUpstreamCredential;
  /** The PATH git is found on (leash's git children get no other variable of its environment). */
  path: string;
  limits?: Partial<GitGatewayLimits>;
}

/** Git smart HTTP at `/git/<owner>/<repo>.git/…`, every request decided by leash. */
export interface GitGateway {
  /** Answers one smart-HTTP request; never throws (a failure is a recorded refusal). */
  handle(request: Request): Promise<Response>;
}

/**
 * Creates the git gateway over leash's configured repositories. Mirrors and in-flight push
 * bodies live under `<stateDir>/git` (0700), created on first use.
 */
export function createGitGateway(opts: GitGatewayOptions): GitGateway {
  const dir = join(opts.leash.config.stateDir, "git");
  const tmpDir = join(dir, "tmp");
  const gitEnv = toGitEnv(opts.path, dir);
  const ctx: GitGatewayContext = {
    leash: opts.leash,
    getUpstreamCredential: opts.getUpstreamCredential,
    mirrors: createMirrorCache({ dir, gitEnv }),
    gitEnv,
    tmpDir,
    limits: { ...DEFAULT_GIT_GATEWAY_LIMITS, ...opts.limits },
  };
  return { handle: (request) => handleGitRequest(ctx, request) };
}

async function handleGitRequest(ctx: GitGatewayContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  let action = "repo.read";
  try {
    const route = parseGitPath(request.method, url);
    if (route.kind === "rpc" && route.service === "git-receive-pack") action = "code.write";
    const { repo, cap } = await admit(ctx, request, route);
    if (action === "code.write") return await receivePush(ctx, request, repo, cap);
    const refusal = await authorizeRead(ctx, cap, repo);
    return refusal ?? (await proxyGitRead(ctx, request, route, repo));
  } catch (err) {
    const refused = await recordRefusal(ctx.leash, "authorize", action, toLeashError(err));
    return toTextRefusal(refused.error, refused.decisionId, challengeable(request));
  }
}

/**
 * A 401 makes git ask for credentials. That helps when the capability came as a Basic
 * password (a helper forgets a bad one) but not when it came in an extraHeader git can't
 * replace: there git would only fail at its prompt, so it gets a 403 and shows leash's reason.
 */
function challengeable(request: Request): boolean {
  return !/^Bearer /i.test(request.headers.get("authorization") ?? "");
}

/**
 * Who may talk to this repository at all: a valid capability (Bearer, or Basic password),
 * for a configured repository, whose repository id is that repository's. DPoP-bound
 * capabilities are refused: git can't prove possession of a key.
 */
async function admit(
  ctx: GitGatewayContext,
  request: Request,
  route: GitRoute,
): Promise<{ repo: RepositoryConfig; cap: Capability }> {
  const token = readGitCredential(request.headers.get("authorization"));
  const cap = await authenticateCapability(ctx.leash, token, undefined);
  const repo = ctx.leash.config.repositories.find((r) => r.name === route.repository);
  if (!repo)
    throw gitError(
      "ERR_GIT_REPOSITORY_UNKNOWN",
      `${route.repository} is not a repository leash serves; the operator adds it under repositories in leash.yaml`,
    );
  if (cap.job.repositoryId !== repo.id)
    throw gitError(
      "ERR_GIT_REPOSITORY_MISMATCH",
      `this capability is for repository id ${cap.job.repositoryId}, not ${repo.name} (id ${repo.id})`,
    );
  return { repo, cap };
}

/** A fetch, clone or ref advertisement is a `repo.read` of the repository; a refusal, or undefined. */
async function authorizeRead(
  ctx: GitGatewayContext,
  cap: Capability,
  repo: RepositoryConfig,
): Promise<Response | undefined> {
  const decided = await authorizeAction(ctx.leash, cap, {
    action: "repo.read",
    resource: { type: "Repository", id: repo.name, attrs: { repository_id: repo.id } },
    context: {},
    evidence: [],
  });
  if (decided.ok && decided.value.decision === "allow") return undefined;
  const error = decided.ok
    ? gitError("ERR_GIT_READ_DENIED", decided.value.reasons[0]?.message ?? "repo.read was denied")
    : decided.error;
  return toTextRefusal(error, decided.decisionId);
}
