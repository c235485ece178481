import { fileURLToPath } from "node:url";
import type { ConfigProblem } from "./config-errors.js";
import type { RawConfig } from "./config-schema.js";
import type { KubernetesConfig, KubernetesNamespace, ProvenanceConfig } from "./leash-config.js";

/** The trust material shipped in the package's trust/ folder (src/ or dist/src/ alike). */
export const DEFAULT_TRUSTED_ROOT = fileURLToPath(
  new URL("../../../trust/trusted_root.public-good.json", import.meta.url),
);
export const DEFAULT_NPM_REGISTRY_KEYS = fileURLToPath(
  new URL("../../../trust/npm-registry-keys.json", import.meta.url),
);

/** `provenance:` with paths made absolute; the pinned public-good root and npm keys by default. */
export function compileProvenanceConfig(
  raw: RawConfig["provenance"],
  at: (path: string) => string,
): ProvenanceConfig {
  return {
    trustedRoots: raw.trusted_roots?.map(at) ?? [DEFAULT_TRUSTED_ROOT],
    npmRegistryKeys:
      raw.npm_registry_keys === undefined ? DEFAULT_NPM_REGISTRY_KEYS : at(raw.npm_registry_keys),
  };
}

/**
 * `kubernetes:`: each namespace as `{ environment, repository_ids }`, or as an environment
 * name that takes the section's `repository_ids`. A namespace with no repository would admit
 * nothing, so that is a config problem rather than a silent deny-all.
 */
export function compileKubernetesConfig(
  raw: RawConfig["kubernetes"],
  problems: ConfigProblem[],
): KubernetesConfig | undefined {
  if (raw === undefined) return undefined;
  const namespaces = new Map<string, KubernetesNamespace>();
  for (const [name, value] of Object.entries(raw.namespaces)) {
    if (typeof value !== "string") {
      namespaces.set(name, { environment: value.environment, repositoryIds: value.repository_ids });
      continue;
    }
    if (raw.repository_ids.length === 0) {
      problems.push({
        path: `kubernetes.namespaces.${name}`,
        message:
          "names only an environment: set kubernetes.repository_ids or write { environment, repository_ids }",
      });
    }
    namespaces.set(name, { environment: value, repositoryIds: raw.repository_ids });
  }
  return { webhookToken: raw.webhook_token, namespaces };
}
