import { readFileSync } from "node:fs";
import { availableParallelism, hostname } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseDocument } from "yaml";
import { LeashError } from "../errors/index.js";
import { checkIssuerAudience, type IssuerConfig } from "../identity/index.js";
import { compileKubernetesConfig, compileProvenanceConfig } from "./compile-promotion-config.js";
import { compileTrustRules } from "./compile-trust-rules.js";
import { type ConfigProblem, configError, formatKeyPath, invalidConfig } from "./config-errors.js";
import { configSchema, type RawConfig, type RawIssuer } from "./config-schema.js";
import type { LeashConfig, StoreLocation } from "./leash-config.js";
import { parseDurationSeconds } from "./parse-duration.js";

/** Reads, validates and compiles leash.yaml. Throws ERR_CONFIG_NOT_FOUND or ERR_CONFIG_INVALID listing every problem. */
export function loadConfig(file: string): LeashConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw configError(
      "ERR_CONFIG_NOT_FOUND",
      `cannot read config file ${path}; pass --config FILE or create leash.yaml (see examples/)`,
    );
  }
  return compileConfig(parseConfigText(text, path), path);
}

/** Parses YAML and checks it against the schema; errors name the key path. */
export function parseConfigText(text: string, file: string): RawConfig {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalidConfig(
      file,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? "?"}`, message: e.message })),
    );
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    throw invalidConfig(
      file,
      result.error.issues.map((i) => ({ path: formatKeyPath(i.path), message: i.message })),
    );
  }
  return result.data;
}

/** Compiles a schema-valid config: issuers, trust rules, absolute paths. */
export function compileConfig(raw: RawConfig, file: string): LeashConfig {
  const baseDir = dirname(file);
  const problems: ConfigProblem[] = [];
  const issuers = raw.issuers.map((x, i) => compileIssuer(x, i, problems));
  checkUniqueIssuers(raw.issuers, problems);
  const trust = compileTrustRules(raw.trust, raw.issuers, problems);
  raw.secrets.forEach((g, i) => {
    if (parseDurationSeconds(g.max_lease) === undefined) {
      problems.push({
        path: `secrets[${i}].max_lease`,
        message: `${JSON.stringify(g.max_lease)} is not a duration; write e.g. 5m`,
      });
    }
  });
  const kubernetes = compileKubernetesConfig(raw.kubernetes, problems);
  if (problems.length > 0) throw invalidConfig(file, problems);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const port = raw.server.port;
  return {
    file,
    stateDir: at(raw.state_dir),
    server: {
      host: raw.server.host,
      port,
      publicUrl: (raw.server.public_url ?? `http://${raw.server.host}:${port}`).replace(/\/+$/, ""),
      instanceId: raw.server.instance_id ?? defaultInstanceId(raw.store.url),
      workers: raw.server.workers === "auto" ? availableParallelism() : raw.server.workers,
    },
    store: toStoreLocation(raw.store, at),
    issuers,
    trust,
    policy: {
      mode: raw.policy.mode,
      observeActions: raw.policy.observe_actions,
      dirs: raw.policy.dirs?.map(at),
      shadowDirs: raw.policy.shadow_dirs?.map(at),
      ownedBranches: raw.policy.owned_branches,
      protectedBranches: raw.policy.protected_branches,
      productionEnvironments: raw.policy.production_environments,
      productionStacks: raw.policy.production_stacks,
    },
    repositories: raw.repositories.map((r) => ({
      name: r.name,
      id: r.id,
      upstream: r.upstream,
      credential: r.credential,
    })),
    secrets: raw.secrets.map((g) => ({
      name: g.name,
      zones: g.zones,
      repositoryIds: g.repository_ids,
      environments: g.environments,
      maxLeaseSeconds: parseDurationSeconds(g.max_lease) as number,
    })),
    network: { allowHosts: raw.network.allow_hosts },
    exec: { allowEnv: raw.exec.allow_env },
    metrics: { requireAdmin: raw.metrics.require_admin },
    provenance: compileProvenanceConfig(raw.provenance, at),
    kubernetes,
  };
}

function compileIssuer(x: RawIssuer, i: number, problems: ConfigProblem[]): IssuerConfig {
  const issuer: IssuerConfig = {
    name: x.name,
    url: x.url.replace(/\/+$/, ""),
    provider: x.provider,
    audience: x.audience,
    allowInsecureLoopback: x.allow_insecure_loopback,
    algorithms: x.algorithms ?? ["RS256", "ES256"],
    ...(x.jwks_uri ? { jwksUri: x.jwks_uri } : {}),
  };
  for (const [key, url] of [
    ["url", x.url],
    ["jwks_uri", x.jwks_uri],
  ] as const) {
    if (url && !isSecureUrl(url, x.allow_insecure_loopback)) {
      problems.push({
        path: `issuers[${i}].${key}`,
        message:
          "must be https (http only for 127.0.0.1/localhost with allow_insecure_loopback: true)",
      });
    }
  }
  try {
    checkIssuerAudience(issuer);
  } catch (err) {
    if (!(err instanceof LeashError)) throw err;
    problems.push({ path: `issuers[${i}].audience`, message: err.message });
  }
  return issuer;
}

function isSecureUrl(url: string, allowLoopback: boolean): boolean {
  const u = new URL(url);
  if (u.protocol === "https:") return true;
  return (
    allowLoopback &&
    u.protocol === "http:" &&
    ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)
  );
}

function checkUniqueIssuers(issuers: readonly RawIssuer[], problems: ConfigProblem[]) {
  const seen = new Set<string>();
  issuers.forEach((x, i) => {
    if (seen.has(x.name))
      problems.push({ path: `issuers[${i}].name`, message: `duplicate issuer name ${x.name}` });
    seen.add(x.name);
  });
}

function toStoreLocation(
  { url, pool_size }: { url: string; pool_size?: number | undefined },
  at: (p: string) => string,
): StoreLocation {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://"))
    return pool_size === undefined
      ? { kind: "postgres", url }
      : { kind: "postgres", url, poolSize: pool_size };
  if (pool_size !== undefined)
    throw configError(
      "ERR_CONFIG_INVALID",
      "store.pool_size applies to a postgres:// store only; remove it for SQLite",
      { problems: [{ path: "store.pool_size" }] },
    );
  if (url.startsWith("sqlite:")) return { kind: "sqlite", path: at(url.slice("sqlite:".length)) };
  throw configError(
    "ERR_CONFIG_INVALID",
    `store.url: ${JSON.stringify(url)} is neither sqlite:PATH nor postgres://…`,
    { problems: [{ path: "store.url" }] },
  );
}

/**
 * The audit chain id of this process. One embedded SQLite instance keeps one chain across
 * restarts; instances sharing PostgreSQL each need their own chain, so they default to
 * host and pid unless `server.instance_id` names them.
 */
function defaultInstanceId(storeUrl: string): string {
  return storeUrl.startsWith("sqlite:") ? "default" : `${hostname()}-${process.pid}`;
}
