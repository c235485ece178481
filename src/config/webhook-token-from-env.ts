import { configError } from "./config-errors.js";
import type { LeashConfig } from "./leash-config.js";

/** The variable that carries the admission webhook's token, e.g. from a Kubernetes Secret. */
export const WEBHOOK_TOKEN_ENV = "LEASH_WEBHOOK_TOKEN";

/**
 * The config with `kubernetes.webhook_token` taken from LEASH_WEBHOOK_TOKEN when that is set:
 * leash.yaml often lives in a ConfigMap or a repository, where a bearer token should not,
 * while a Secret mounted as an environment variable is where Kubernetes keeps such things.
 * The variable wins over the file. Without a `kubernetes` section it changes nothing (that
 * section is what turns admission on). Throws ERR_CONFIG_INVALID on a token under 16 characters.
 */
export function withWebhookTokenFromEnv(
  config: LeashConfig,
  env: Readonly<Record<string, string | undefined>>,
): LeashConfig {
  const token = env[WEBHOOK_TOKEN_ENV];
  if (token === undefined || token === "" || config.kubernetes === undefined) return config;
  if (token.length < 16) {
    throw configError(
      "ERR_CONFIG_INVALID",
      `${WEBHOOK_TOKEN_ENV} is too short: use at least 16 characters (e.g. openssl rand -hex 24)`,
      { problems: [{ path: WEBHOOK_TOKEN_ENV }] },
    );
  }
  return { ...config, kubernetes: { ...config.kubernetes, webhookToken: token } };
}
