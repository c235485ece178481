import { posix } from "node:path";
import type { CedarContext } from "./cedar.js";
import type { EngineConfig } from "./compile-engine-config.js";
import type { AuthorizationRequest } from "./types.js";

type Attrs = CedarContext;

/**
 * The Cedar attributes of the request's resource, computed from config where Cedar
 * can't (globs, path sets). Only known attrs are read, so a caller can't set a computed
 * attribute such as `owned` itself. Names and meaning are documented in the schema.
 */
export function toResourceAttributes(
  req: AuthorizationRequest,
  config: EngineConfig,
  /** touchedControlPaths of `attrs.paths`, computed once per request by the caller. */
  controlPaths: string[] | null,
): Attrs {
  const { resource, principal } = req;
  const named = resource.attrs["repository_id"];
  const repositoryId = typeof named === "string" && named !== "" ? named : principal.repositoryId;
  const base = {
    repository_id: repositoryId,
    own_repository: repositoryId === principal.repositoryId,
  };
  switch (resource.type) {
    case "Branch":
      return {
        ...base,
        owned: config.isOwnedBranch(resource.id),
        protected: config.isProtectedBranch(resource.id),
        is_default: resource.id === config.defaultBranch,
        touches_workflows: controlPaths !== null,
        ...refChange(resource.attrs),
      };
    case "Path":
      return { ...base, touches_workflows: touchedControlPaths([resource.id], config) !== null };
    case "Stack":
      return { ...base, ...stackAttributes(resource.id, resource.attrs["environment"], config) };
    case "Secret":
      return {
        ...base,
        grant_zones: strings(resource.attrs["grant_zones"]),
        grant_repository_ids: strings(resource.attrs["grant_repository_ids"]),
        grant_environments: strings(resource.attrs["grant_environments"]),
      };
    case "Environment":
      return {
        ...base,
        name: resource.id,
        production: config.isProductionEnvironment(resource.id),
      };
    case "Host":
      // allowed_hosts comes from config (the server fills it, as it does a Secret's grants).
      return {
        ...base,
        name: toHostName(resource.id),
        allowed_hosts: strings(resource.attrs["allowed_hosts"]).map(toHostName),
      };
    default:
      return base;
  }
}

/** How the ref changes, as the enforcement point (git gateway, hook) saw it; absent when not said. */
function refChange(attrs: Record<string, unknown>): Attrs {
  const out: Attrs = {};
  if (typeof attrs["operation"] === "string") out["operation"] = attrs["operation"];
  if (typeof attrs["force"] === "boolean") out["force"] = attrs["force"];
  return out;
}

function stackAttributes(id: string, environment: unknown, config: EngineConfig): Attrs {
  const env = typeof environment === "string" ? environment : "";
  return {
    environment: env,
    production: config.isProductionEnvironment(env) || config.isProductionStack(id),
  };
}

/**
 * The control paths a change touches, or null when it touches none. Fails closed: when
 * `paths` is missing or malformed, or a path escapes the repository, the change counts as
 * touching them — what it changes is unknown.
 */
export function touchedControlPaths(paths: unknown, config: EngineConfig): string[] | null {
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
    // Read in the reason as "control paths (paths it could not name)".
    return ["paths it could not name"];
  }
  const touched = (paths as string[]).filter((p) => isControl(p, config));
  return touched.length === 0 ? null : touched;
}

function isControl(path: string, config: EngineConfig): boolean {
  // A backslash is a separator on Windows runners: the path counts when either reading of
  // it is a control path, so reading it one way never hides a match the other way finds.
  if (isControlForm(path, config)) return true;
  return path.includes("\\") && isControlForm(path.replace(/\\/g, "/"), config);
}

function isControlForm(path: string, config: EngineConfig): boolean {
  // Trailing slashes are stripped (`a/action.yml/` names the file on most checkouts).
  const normal = posix
    .normalize(path)
    .replace(/^(\.\/|\/)+/, "")
    .replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../")) return true;
  return config.isControlPath(normal);
}

/** Host names compare case-insensitively, and `example.com.` is `example.com`. */
function toHostName(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
