import { gitError } from "./git-errors.js";

export type GitService = "git-upload-pack" | "git-receive-pack";

/** A smart-HTTP request: the ref advertisement (GET info/refs) or the service call (POST). */
export interface GitRoute {
  kind: "advertise" | "rpc";
  /** `owner/name`, as configured under `repositories`. */
  repository: string;
  service: GitService;
}

const PATH =
  /^\/git\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const SERVICES: readonly string[] = ["git-upload-pack", "git-receive-pack"];

/**
 * Reads `/git/<owner>/<repo>.git/…` into the one of four smart-HTTP requests it is. Only
 * the smart protocol is served: dumb-HTTP paths and unknown services are not found.
 * Throws ERR_GIT_NOT_FOUND.
 */
export function parseGitPath(method: string, url: URL): GitRoute {
  const m = PATH.exec(url.pathname);
  const [, owner, name, tail] = m ?? [];
  if (!owner || !name || !tail || owner.startsWith(".") || name.startsWith("."))
    throw notFound(url);
  const repository = `${owner}/${name}`;
  if (tail === "info/refs") {
    const service = url.searchParams.get("service") ?? "";
    if (method !== "GET" || !SERVICES.includes(service)) throw notFound(url);
    return { kind: "advertise", repository, service: service as GitService };
  }
  if (method !== "POST") throw notFound(url);
  return { kind: "rpc", repository, service: tail as GitService };
}

const notFound = (url: URL) =>
  gitError(
    "ERR_GIT_NOT_FOUND",
    `${url.pathname} is not a git smart-HTTP path; use <leash URL>/git/<owner>/<repo>.git`,
  );
