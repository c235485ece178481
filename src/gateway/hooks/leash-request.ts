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
}

/** Collects requests (deduplicated: one decision per distinct question) and local denials. */
export class MappedCallBuilder {
  readonly requests: LeashRequest[] = [];
  readonly denials: LocalDenial[] = [];
  private readonly seen = new Set<string>();

  readonly ctx: MappingContext;

  constructor(ctx: MappingContext) {
    this.ctx = ctx;
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

  /** `code.write` on the job's ref with the workspace paths it changes. */
  writeFiles(paths: string[], tool: string): void {
    const ref = this.ctx.jobRef ?? this.ctx.currentBranch;
    if (!ref) {
      this.deny(
        "branch_unknown",
        `${tool} writes ${paths.join(", ")}, but the job's branch is unknown`,
        toolUse(tool),
      );
      return;
    }
    this.add(codeWrite(ref, { paths }));
  }

  /**
   * `code.write` on the job's ref whose paths are not known (`targets` say what was named):
   * with no `paths`, policy takes it as touching control paths — the fail-closed answer for a
   * write leash can't resolve.
   */
  writeUnresolved(targets: string[], tool: string): void {
    const ref = this.ctx.jobRef ?? this.ctx.currentBranch;
    if (!ref) {
      this.deny(
        "branch_unknown",
        `${tool} writes ${targets.join(", ")}, but the job's branch is unknown`,
        toolUse(tool),
      );
      return;
    }
    this.add(codeWrite(ref, { unresolved_targets: targets.map((t) => t.slice(0, 200)) }));
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
