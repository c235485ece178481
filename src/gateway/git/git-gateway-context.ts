import type { Leash } from "../../broker/index.js";
import type { RepositoryConfig } from "../../config/index.js";
import type { MirrorCache } from "./create-mirror-cache.js";
import { gitError } from "./git-errors.js";
import { type GetUpstreamCredential, toUpstreamAuthorization } from "./upstream-credential.js";

/** Size limits of the gateway; every one refuses rather than truncates. */
export interface GitGatewayLimits {
  /** A push body (commands and pack) larger than this is refused. Default 1 GiB. */
  maxPushBytes: number;
  /** The command section must end within this many bytes. Default 1 MiB. */
  maxCommandBytes: number;
  /** A receive-pack ref advertisement larger than this is refused. Default 64 MiB. */
  maxAdvertisementBytes: number;
}

export const DEFAULT_GIT_GATEWAY_LIMITS: GitGatewayLimits = {
  maxPushBytes: 1024 * 1024 * 1024,
  maxCommandBytes: 1024 * 1024,
  maxAdvertisementBytes: 64 * 1024 * 1024,
};

/** What every request handler of the gateway shares. */
export interface GitGatewayContext {
  leash: Leash;
  getUpstreamCredential: GetUpstreamCredential;
  mirrors: MirrorCache;
  gitEnv: Readonly<Record<string, string>>;
  /** Where push bodies and quarantines live while a push is decided (`<stateDir>/git/tmp`). */
  tmpDir: string;
  limits: GitGatewayLimits;
}

/** The `Authorization` value for the upstream, if leash holds a credential for it. */
export async function upstreamAuthorization(
  ctx: GitGatewayContext,
  repo: RepositoryConfig,
): Promise<string | undefined> {
  let credential: string | undefined;
  try {
    credential = await ctx.getUpstreamCredential(repo);
  } catch {
    // Fail closed, and say nothing about the credential itself.
    throw gitError(
      "ERR_GIT_UPSTREAM_UNAVAILABLE",
      `leash could not read its upstream credential for ${repo.name}; nothing was forwarded`,
    );
  }
  return credential === undefined ? undefined : toUpstreamAuthorization(credential);
}
