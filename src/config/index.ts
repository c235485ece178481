/**
 * @module config
 * leash.yaml: schema, validation with key-path errors, compilation into a LeashConfig.
 * Request code never parses YAML; everything is checked once, at load. Unknown keys are errors.
 */

export {
  DEFAULT_NPM_REGISTRY_KEYS,
  DEFAULT_TRUSTED_ROOT,
} from "./compile-promotion-config.js";
export type { ConfigProblem } from "./config-errors.js";
export { CONFIG_ERRORS } from "./config-errors.js";
export type {
  KubernetesConfig,
  KubernetesNamespace,
  LeashConfig,
  PolicyConfig,
  ProvenanceConfig,
  RepositoryConfig,
  SecretGrant,
  StoreLocation,
} from "./leash-config.js";
export { compileConfig, loadConfig, parseConfigText } from "./load-config.js";
export { parseDurationSeconds } from "./parse-duration.js";
export { WEBHOOK_TOKEN_ENV, withWebhookTokenFromEnv } from "./webhook-token-from-env.js";
