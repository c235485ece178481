/**
 * The environment an agent command starts with: an allowlist of harmless variables and the
 * names the pipeline asked to pass, nothing else. A name that looks like a credential is
 * withheld even when `--pass` names it, unless the operator's config allows that exact name.
 */

/** Variables every command needs to behave normally; none of them carries a credential. */
const BASE_NAMES = ["PATH", "HOME", "LANG", "TERM", "TZ", "TMPDIR", "CI", "USER", "SHELL"];

/**
 * GitHub Actions context that says which job this is and nothing more. Deliberately absent:
 * GITHUB_TOKEN, ACTIONS_* (the ID-token request and runtime tokens), and GITHUB_ENV /
 * GITHUB_PATH / GITHUB_OUTPUT / GITHUB_STATE, through which a step could change the
 * environment or outputs of the steps after it.
 */
const GITHUB_NAMES = [
  "GITHUB_ACTIONS",
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_ID",
  "GITHUB_REPOSITORY_OWNER",
  "GITHUB_REPOSITORY_OWNER_ID",
  "GITHUB_REF",
  "GITHUB_REF_NAME",
  "GITHUB_REF_TYPE",
  "GITHUB_REF_PROTECTED",
  "GITHUB_HEAD_REF",
  "GITHUB_BASE_REF",
  "GITHUB_SHA",
  "GITHUB_WORKSPACE",
  "GITHUB_EVENT_NAME",
  "GITHUB_EVENT_PATH",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_NUMBER",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_ACTOR",
  "GITHUB_ACTOR_ID",
  "GITHUB_TRIGGERING_ACTOR",
  "GITHUB_WORKFLOW",
  "GITHUB_WORKFLOW_REF",
  "GITHUB_WORKFLOW_SHA",
  "GITHUB_JOB",
  "GITHUB_SERVER_URL",
  "GITHUB_API_URL",
  "GITHUB_GRAPHQL_URL",
  "RUNNER_OS",
  "RUNNER_ARCH",
  "RUNNER_NAME",
  "RUNNER_ENVIRONMENT",
  "RUNNER_TEMP",
  "RUNNER_TOOL_CACHE",
  "RUNNER_DEBUG",
];

/**
 * GitLab CI context. Deliberately absent: CI_JOB_TOKEN, CI_JOB_JWT*, CI_REGISTRY_PASSWORD,
 * CI_DEPENDENCY_PROXY_PASSWORD and CI_REPOSITORY_URL (it embeds the job token as userinfo).
 */
const GITLAB_NAMES = [
  "GITLAB_CI",
  "GITLAB_USER_ID",
  "GITLAB_USER_LOGIN",
  "CI_SERVER",
  "CI_SERVER_URL",
  "CI_SERVER_HOST",
  "CI_API_V4_URL",
  "CI_PROJECT_ID",
  "CI_PROJECT_NAME",
  "CI_PROJECT_NAMESPACE",
  "CI_PROJECT_NAMESPACE_ID",
  "CI_PROJECT_PATH",
  "CI_PROJECT_URL",
  "CI_PROJECT_DIR",
  "CI_BUILDS_DIR",
  "CI_DEFAULT_BRANCH",
  "CI_COMMIT_SHA",
  "CI_COMMIT_SHORT_SHA",
  "CI_COMMIT_BEFORE_SHA",
  "CI_COMMIT_REF_NAME",
  "CI_COMMIT_REF_SLUG",
  "CI_COMMIT_BRANCH",
  "CI_COMMIT_TAG",
  "CI_PIPELINE_ID",
  "CI_PIPELINE_IID",
  "CI_PIPELINE_SOURCE",
  "CI_PIPELINE_URL",
  "CI_JOB_ID",
  "CI_JOB_NAME",
  "CI_JOB_STAGE",
  "CI_JOB_URL",
  "CI_ENVIRONMENT_NAME",
  "CI_MERGE_REQUEST_IID",
  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
  "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
  "CI_RUNNER_ID",
];

const ALLOWED = new Set([...BASE_NAMES, ...GITHUB_NAMES, ...GITLAB_NAMES]);

/** Locale variables (LC_ALL, LC_CTYPE, …) pass as a family. */
const ALLOWED_PATTERN = /^LC_[A-Z_]+$/;

/**
 * Names that look like a credential. Matched case-insensitively on the whole name; a
 * `(^|_)…(_|$)` word keeps AUTHOR or PASSPORT from matching AUTH or PASS.
 */
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /TOKEN/i,
  /SECRET/i,
  /KEY/i,
  /PASSWORD/i,
  /PASSWD/i,
  /CREDENTIAL/i,
  /PRIVATE/i,
  /COOKIE/i,
  /SESSION/i,
  /(^|_)(PASS|PAT|AUTH)(_|$)/i,
  /^(AWS|AZURE|ARM|GOOGLE|GCP|GCLOUD|CLOUDSDK|VAULT)_/i,
  /^ACTIONS_/i,
  /^CI_JOB_/i,
  /^CI_REPOSITORY_URL$/i,
  /^LEASH_/i,
];

export interface ScrubOptions {
  /** Names the pipeline asked to pass (`--pass`). */
  pass: readonly string[];
  /** Credential-looking names the operator's config allows `--pass` to pass. */
  configAllowed: readonly string[];
}

export interface ScrubbedEnvironment {
  env: Record<string, string>;
  /** Names dropped from the environment, sorted. Never values. */
  removed: string[];
  /** `--pass` names withheld because they look like a credential and config does not allow them. */
  refused: string[];
}

/** True when a variable name looks like it holds a credential. */
export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_PATTERNS.some((p) => p.test(name));
}

/** Filters `env` down to the allowlist and the passed names. Pure; never looks at values. */
export function scrubEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: ScrubOptions,
): ScrubbedEnvironment {
  const pass = new Set(options.pass);
  const configAllowed = new Set(options.configAllowed);
  const kept: Record<string, string> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (looksLikeCredential(name)) {
      // A credential needs both keys: the pipeline asks for it and the operator allows it.
      if (pass.has(name) && configAllowed.has(name)) kept[name] = value;
      else removed.push(name);
    } else if (ALLOWED.has(name) || ALLOWED_PATTERN.test(name) || pass.has(name)) {
      kept[name] = value;
    } else {
      removed.push(name);
    }
  }
  const refused = [...pass].filter((n) => looksLikeCredential(n) && !configAllowed.has(n));
  return { env: kept, removed: removed.sort(), refused: refused.sort() };
}
