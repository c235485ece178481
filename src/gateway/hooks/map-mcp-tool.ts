import {
  codeWrite,
  type LeashRequest,
  type MappedCallBuilder,
  otherRepository,
  toolUse,
} from "./leash-request.js";

type Input = Record<string, unknown>;
type GitHubTool = (input: Input, attrs: Record<string, unknown>) => LeashRequest | string;

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const branch = (name: string) => (name.startsWith("refs/") ? name : `refs/heads/${name}`);

/**
 * GitHub MCP server tools leash knows, as the write each one is. A tool the table doesn't
 * hold is not mapped (denied by the caller); a known tool whose call lacks what the decision
 * needs answers with the reason instead of a request.
 */
const GITHUB: Record<string, GitHubTool> = {
  // A merge writes its base branch; which files it brings is unknown, so paths stay unset.
  merge_pull_request: (i, a) => {
    const base = str(i["base"]);
    return base
      ? codeWrite(branch(base), a)
      : "the merge call does not name its base branch, so leash can't decide the write; pass base";
  },
  create_pull_request: (i, a) => {
    const head = str(i["head"]);
    if (!head) return "the pull request names no head branch";
    return codeWrite(branch(head.slice(head.indexOf(":") + 1)), { ...a, paths: [] });
  },
  push_files: (i, a) => withBranch(i, { ...a, paths: filePaths(i["files"]) }),
  create_or_update_file: (i, a) =>
    withBranch(i, { ...a, ...(str(i["path"]) ? { paths: [str(i["path"])] } : {}) }),
  delete_file: (i, a) =>
    withBranch(i, { ...a, ...(str(i["path"]) ? { paths: [str(i["path"])] } : {}) }),
  create_branch: (i, a) => withBranch(i, { ...a, operation: "create", paths: [] }),
};

function withBranch(input: Input, attrs: Record<string, unknown>): LeashRequest | string {
  const b = str(input["branch"]);
  return b ? codeWrite(branch(b), attrs) : "the call names no branch";
}

function filePaths(files: unknown): string[] | undefined {
  if (!Array.isArray(files)) return undefined;
  const paths = files.map((f) =>
    f && typeof f === "object" ? str((f as Input)["path"]) : undefined,
  );
  return paths.every((p): p is string => p !== undefined) ? paths : undefined;
}

/**
 * An MCP tool call `mcp__<server>__<tool>`: GitHub writes become `code.write` on the branch
 * they change (reads, `get_*`/`list_*`/`search_*`, a `repo.read`); anything else is
 * `tool.use` of that tool, which the default pack denies. Returns false when not mapped.
 */
export function mapMcpTool(
  name: string,
  server: string,
  tool: string,
  input: Input,
  out: MappedCallBuilder,
): boolean {
  if (!/github/i.test(server)) return false;
  const attrs = repositoryAttrs(input, out.ctx.repository);
  if (/^(get|list|search)_/.test(tool)) {
    const repo =
      str(input["owner"]) && str(input["repo"])
        ? `${input["owner"]}/${input["repo"]}`
        : (out.ctx.repository ?? "(repository)");
    out.add({
      action: "repo.read",
      resource: { type: "Repository", id: repo, attrs },
      context: {},
    });
    return true;
  }
  const map = GITHUB[tool];
  if (!map) return false;
  const mapped = map(input, attrs);
  if (typeof mapped === "string")
    out.deny("tool_call_incomplete", `${name}: ${mapped}`, toolUse(name));
  else out.add(mapped);
  return true;
}

/** A call naming another repository than the capability's is decided as that repository's. */
function repositoryAttrs(input: Input, own: string | undefined): Record<string, unknown> {
  const owner = str(input["owner"]);
  const repo = str(input["repo"]);
  if (!owner || !repo || !own) return {};
  const named = `${owner}/${repo}`;
  return named.toLowerCase() === own.toLowerCase() ? {} : otherRepository(named);
}
