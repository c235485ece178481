import type { RepositoryConfig } from "../../config/index.js";

/**
 * Where the gateway gets the credential it pushes and fetches upstream with. The secret
 * broker provides it (by `repositories[].credential`); the agent never sees it. A token
 * is sent as HTTP Basic `x-access-token:<token>` (GitHub, GitLab, Gitea accept it); a value
 * that already names its scheme (`Basic …`, `Bearer …`) is sent as it is.
 */
export type GetUpstreamCredential = (repo: RepositoryConfig) => Promise<string | undefined>;

/**
 * The interim source: environment variable `LEASH_UPSTREAM_TOKEN_<REPOSITORY ID>`, read
 * at each use (so a rotated value applies at once); undefined when unset.
 */
export function createEnvUpstreamCredential(
  env: Readonly<Record<string, string | undefined>>,
): GetUpstreamCredential {
  return async (repo) => {
    const value = env[upstreamTokenVariable(repo)];
    return value === undefined || value === "" ? undefined : value;
  };
}

/** `LEASH_UPSTREAM_TOKEN_74` for repository id 74. */
export function upstreamTokenVariable(repo: RepositoryConfig): string {
  return `LEASH_UPSTREAM_TOKEN_${repo.id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The upstream `Authorization` header value for a credential. */
export function toUpstreamAuthorization(credential: string): string {
  if (/^(?:Basic|Bearer) \S+$/i.test(credential)) return credential;
  return `Basic ${Buffer.from(`x-access-token:${credential}`).toString("base64")}`;
}
