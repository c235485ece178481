import type { PathScope } from "./classify-path.js";

/** One question to leash (POST /v1/authorize), wire format. */
export interface LeashRequest {
  action: string;
  resource: { type: string; id: string; attrs: Record<string, unknown> };
  context: Record<string, unknown>;
}

/** A refusal the hook makes itself (it still reports the call to leash). */
export interface LocalDenial {
  code: string;
  message: string;
}

/** What one tool call asks leash, and what the hook refuses on its own. */
export interface MappedCall {
  requests: LeashRequest[];
  denials: LocalDenial[];
}

/** Everything the mapping knows besides the tool call: paths, and the job from the capability. */
export interface MappingContext extends PathScope {
  /** The job's ref (capability claim `job.ref`); writes are decided on it. */
  jobRef: string | undefined;
  /** owner/name (capability claim `job.repository`). */
  repository: string | undefined;
  /** The checked-out branch (full ref) from the cwd's `.git/HEAD`; undefined when detached. */
  currentBranch: string | undefined;
  /** The workspace package's name (package.json), read only when a publish needs it. */
  readPackageName: () => string | undefined;
  /** A shell command moved to a directory leash can't tell (`cd "$D"`): relative writes are unknown. */
  cwdUnknown?: boolean;
}

/** What a call writes that leash decides. */
export interface WriteSet {
  /** Workspace paths (of a shell command: only the control paths; other writes are its local run). */
  paths: string[];
  /** Targets named through variables or patterns that could be protected paths, or unreadable. */
  unresolved: string[];
}

/** An empty WriteSet, to collect into. */
export const createWriteSet = (): WriteSet => ({ paths: [], unresolved: [] });

/** Collects requests (deduplicated: one decision per distinct question) and local denials. */
export class MappedCallBuilder {
  readonly requests: LeashRequest[] = [];
  readonly denials: LocalDenial[] = [];
  private readonly seen = new Set<string>();

  readonly ctx: MappingContext;

  constructor(ctx: MappingContext, shared?: MappedCallBuilder) {
    this.ctx = ctx;
    if (shared) {
      this.requests = shared.requests;
      this.denials = shared.denials;
      this.seen = shared.seen;
    }
  }

  /** This builder, reading relative paths from `cwd` (null: a directory leash can't tell). */
  at(cwd: string | null): MappedCallBuilder {
    const { cwdUnknown: _, ...ctx } = this.ctx;
    return new MappedCallBuilder(
      cwd === null ? { ...ctx, cwdUnknown: true } : { ...ctx, cwd },
      this,
    );
  }

  add(request: LeashRequest): void {
    const key = JSON.stringify(request);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.requests.push(request);
  }

  deny(code: string, message: string, report: LeashRequest): void {
    if (!this.denials.some((d) => d.code === code && d.message === message))
      this.denials.push({ code, message });
    this.add(report);
  }

  /**
   * The `code.write`s on the job's ref for what a call writes: one with the workspace paths
   * it names, and one with no `paths` for the targets leash can't resolve (`unresolved_targets`
   * say what was named) — policy takes that as touching control paths, the fail-closed answer.
   * Refused (`branch_unknown`) when the job's branch is unknown.
   */
  write(set: WriteSet, tool: string): void {
    const paths = [...new Set(set.paths)];
    const unresolved = [...new Set(set.unresolved)];
    if (paths.length === 0 && unresolved.length === 0) return;
    const ref = this.ctx.jobRef ?? this.ctx.currentBranch;
    if (!ref) {
      this.deny(
        "branch_unknown",
        `${tool} writes ${[...paths, ...unresolved].join(", ")}, but the job's branch is unknown`,
        toolUse(tool),
      );
      return;
    }
    if (paths.length > 0) this.add(codeWrite(ref, { paths }));
    if (unresolved.length > 0)
      this.add(codeWrite(ref, { unresolved_targets: unresolved.map((t) => t.slice(0, 200)) }));
  }

  result(): MappedCall {
    return { requests: this.requests, denials: this.denials };
  }
}

const request = (
  action: string,
  type: string,
  id: string,
  attrs: Record<string, unknown> = {},
  context: Record<string, unknown> = {},
): LeashRequest => ({ action, resource: { type, id, attrs }, context });

export const codeWrite = (ref: string, attrs: Record<string, unknown>) =>
  request("code.write", "Branch", ref, attrs);
export const egress = (host: string) => request("network.egress", "Host", host);
export const secretRead = (name: string, purpose: string | undefined) =>
  request("secret.read", "Secret", name, {}, purpose ? { purpose } : {});
export const commandRun = (dir: string) => request("command.run", "Path", dir);
export const repoRead = (path: string) => request("repo.read", "Path", path);
export const toolUse = (name: string) => request("tool.use", "Tool", name.slice(0, 200));
export const publish = (pkg: string) => request("artifact.publish", "Package", pkg);
/** A resource of another repository: named so leash sees it is not the capability's own. */
export const otherRepository = (name: string) => ({ repository_id: `name:${name}` });
