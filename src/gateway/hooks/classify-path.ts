import { posix } from "node:path";
import { CONTROL_PATHS, compileControlPaths } from "../../policy/control-paths.js";

/** Where a tool call runs: the job's workspace and the runner's home and scratch dirs. */
export interface PathScope {
  /** Absolute, normalized workspace root. */
  workspace: string;
  /** Absolute working directory of the call. */
  cwd: string;
  home: string;
  /** Job-local scratch space (TMPDIR, RUNNER_TEMP, /tmp): not "outside the workspace". */
  tempDirs: readonly string[];
}

/** What writing a path would touch. */
export type WriteTarget =
  | { kind: "workspace"; path: string }
  | { kind: "git-dir"; path: string }
  | { kind: "scratch" }
  | { kind: "device" }
  | { kind: "outside"; path: string };

// By path, not through src/policy/index.ts: that would load the Cedar engine into the hook,
// which runs before every tool call. This is the list policy decides on, compiled the same
// way; leash decides, the hook only learns which shell writes are edits worth a code.write.
const isControl = compileControlPaths(CONTROL_PATHS);

/** Files under home that hold credentials, by path relative to home. */
const HOME_SECRETS = [
  /^\.aws(\/|$)/,
  /^\.ssh(\/|$)/,
  /^\.netrc$/,
  /^\.npmrc$/,
  /^\.pypirc$/,
  /^\.git-credentials$/,
  /^\.docker\/config\.json$/,
  /^\.config\/gh(\/|$)/,
  /^\.kube(\/|$)/,
  /^\.config\/gcloud(\/|$)/,
  /^\.azure(\/|$)/,
];

/** `.env`, `.env.local`, `prod.env`…, but not the templates projects commit on purpose. */
const DOTENV = /^(\.env(\..+)?|.+\.env)$/;
const DOTENV_TEMPLATE = /\.(example|sample|template|dist|defaults)$/;

/** Resolves `p` against the call's cwd: absolute, normalized, no `..` left. */
export function toAbsolutePath(p: string, scope: PathScope): string {
  return posix.resolve(scope.cwd, p);
}

/** `abs` relative to the workspace root, or null when it lies outside. */
export function toWorkspacePath(abs: string, scope: PathScope): string | null {
  const rel = posix.relative(scope.workspace, abs);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith("../") || posix.isAbsolute(rel)) return null;
  return rel;
}

/** The name of the secret reading `abs` would touch, or null when it is not a credential file. */
export function toSecretName(abs: string, scope: PathScope): string | null {
  const base = posix.basename(abs);
  if (DOTENV.test(base) && !DOTENV_TEMPLATE.test(base)) {
    const rel = toWorkspacePath(abs, scope);
    return `file:${rel ?? abs}`;
  }
  if (/^\/proc\/[^/]+\/environ$/.test(abs)) return "file:/proc/*/environ";
  if (abs.startsWith("/run/secrets/")) return `file:${abs}`;
  const inHome = posix.relative(scope.home, abs);
  if (inHome !== "" && !inHome.startsWith("..") && HOME_SECRETS.some((r) => r.test(inHome)))
    return `file:~/${inHome}`;
  return null;
}

/** Classifies a path a tool call writes. Symlinks are not followed (no I/O on the hot path). */
export function toWriteTarget(p: string, scope: PathScope): WriteTarget {
  const abs = toAbsolutePath(p, scope);
  if (abs === "/dev/null" || abs === "/dev/stdout" || abs === "/dev/stderr")
    return { kind: "device" };
  if (abs.startsWith("/dev/fd/")) return { kind: "device" };
  const rel = toWorkspacePath(abs, scope);
  if (rel !== null)
    return /^\.git(\/|$)/i.test(rel)
      ? { kind: "git-dir", path: rel }
      : { kind: "workspace", path: rel };
  if (scope.tempDirs.some((t) => abs === t || abs.startsWith(`${t}/`))) return { kind: "scratch" };
  return { kind: "outside", path: abs };
}

/**
 * True when a workspace path steers CI or leash itself (CONTROL_PATHS). Case is folded:
 * macOS and Windows runners write `.GitHub/Workflows/ci.yml` to the real workflow.
 */
export function isControlPath(rel: string): boolean {
  return isControl(posix.normalize(rel).replace(/^\.\//, "").replace(/\/+$/, ""));
}
