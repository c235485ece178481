/**
 * @module gateway/git
 * The git push gateway: Git smart HTTP at `/git/<owner>/<repo>.git/…` in front of each
 * configured upstream. Clients authenticate with their capability (Bearer, or the Basic
 * password); fetches are `repo.read` decisions; a push is parsed, its objects inspected in a
 * quarantine beside a bare mirror of the upstream, and every ref update decided
 * (`code.write` with its operation, force and paths, plus `dependency.change` with leash's
 * own diff of the changed lockfiles / `infra.change` when lockfiles or Terraform change)
 * before a byte goes upstream. Must never
 * forward a push with a refused ref, hand the client leash's upstream credential, or let an
 * agent's objects into the mirror.
 */
export type { GitGateway, GitGatewayOptions } from "./create-git-gateway.js";
export { createGitGateway } from "./create-git-gateway.js";
export type { Refusal, RefVerdict } from "./decide-ref-updates.js";
export { isInfraPath } from "./decide-ref-updates.js";
export type { GitErrorCode } from "./git-errors.js";
export { GIT_ERRORS, gitError } from "./git-errors.js";
export type { GitGatewayLimits } from "./git-gateway-context.js";
export { DEFAULT_GIT_GATEWAY_LIMITS } from "./git-gateway-context.js";
export type { RefUpdate } from "./inspect-ref-updates.js";
export { isLockfilePath, LOCKFILES } from "./lockfile-paths.js";
export type { PushCommands, RefUpdateCommand } from "./parse-push-commands.js";
export { isValidRefName, parsePushCommands } from "./parse-push-commands.js";
export type { PushRefusalReport } from "./to-receive-pack-result.js";
export { toReceivePackResult } from "./to-receive-pack-result.js";
export type { GetUpstreamCredential } from "./upstream-credential.js";
export {
  createEnvUpstreamCredential,
  toUpstreamAuthorization,
  upstreamTokenVariable,
} from "./upstream-credential.js";
