/** The job's repository as its CI names it, and where its remote lives. */
export interface JobRepository {
  /** `owner/name` (GitLab: the project path). */
  path: string;
  /** `https://github.com`, or the GitLab instance URL. */
  serverUrl: string;
}

/** GitHub Actions and GitLab CI both say which repository a job works on. */
export function readJobRepository(
  env: Readonly<Record<string, string | undefined>>,
): JobRepository | undefined {
  if (env["GITHUB_REPOSITORY"]) {
    return {
      path: env["GITHUB_REPOSITORY"],
      serverUrl: env["GITHUB_SERVER_URL"] ?? "https://github.com",
    };
  }
  if (env["CI_PROJECT_PATH"] && env["CI_SERVER_URL"])
    return { path: env["CI_PROJECT_PATH"], serverUrl: env["CI_SERVER_URL"] };
  return undefined;
}

/**
 * git configuration that sends the child's fetches and pushes of the job's repository through
 * leash's git gateway: `insteadOf` rewrites of the upstream URL (with and without `.git`; git
 * takes the longest match) and the capability as a header scoped to the gateway URL only, so
 * it is never sent to any other host.
 */
export function gitConfigForGateway(
  leashUrl: string,
  capability: string,
  repo: JobRepository,
): [string, string][] {
  const gateway = `${leashUrl.replace(/\/+$/, "")}/git/${repo.path}.git`;
  const upstream = `${repo.serverUrl.replace(/\/+$/, "")}/${repo.path}`;
  return [
    [`url.${gateway}.insteadOf`, `${upstream}.git`],
    [`url.${gateway}.insteadOf`, upstream],
    [`http.${gateway}.extraHeader`, `Authorization: Bearer ${capability}`],
  ];
}
