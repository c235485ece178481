import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type ComputedEvidence, recordRefusal } from "../../broker/index.js";
import type { Capability } from "../../capability/index.js";
import type { RepositoryConfig } from "../../config/index.js";
import { toLeashError } from "../../errors/index.js";
import { decideRefUpdates, type RefVerdict } from "./decide-ref-updates.js";
import { diffPushedLockfiles, newLockfileBudget } from "./diff-pushed-lockfiles.js";
import { gitError } from "./git-errors.js";
import { type GitGatewayContext, upstreamAuthorization } from "./git-gateway-context.js";
import { inspectRefUpdates, type RefUpdate } from "./inspect-ref-updates.js";
import { type PushCommands, parsePushCommands } from "./parse-push-commands.js";
import { checkUpstreamAnswer } from "./proxy-git-read.js";
import { toQuarantineEnv } from "./quarantine-env.js";
import {
  toEmptyPushResult,
  toPushFailure,
  toPushRefusal,
  toTextRefusal,
} from "./render-git-refusal.js";
import { requestUpstream, toUpstreamUrl } from "./request-upstream.js";
import { type SpooledBody, spoolPushBody } from "./spool-push-body.js";
import { verifyLockfilesAreFiles } from "./verify-lockfiles-are-files.js";

/**
 * A push, decided ref by ref before a byte of it reaches the upstream: spool the body,
 * parse its commands, fetch the mirror, inspect the pushed objects in quarantine, refuse a
 * lockfile that is a symlink, ask policy about each ref, then either refuse the whole push in git's own report format or replay
 * the exact body upstream with leash's credential. The spooled body and quarantine are
 * deleted when the exchange ends, whatever happened.
 */
export async function receivePush(
  ctx: GitGatewayContext,
  request: Request,
  repo: RepositoryConfig,
  cap: Capability,
): Promise<Response> {
  await mkdir(ctx.tmpDir, { recursive: true, mode: 0o700 });
  const workDir = await mkdtemp(join(ctx.tmpDir, "push-"));
  const cleanup = () => rm(workDir, { recursive: true, force: true }).catch(() => {});
  let parsed: PushCommands | undefined;
  let forwarded = false;
  try {
    const body = await readPush(ctx, request, workDir);
    parsed = body.parsed;
    if (parsed.commands.length === 0) return toEmptyPushResult();
    const authorization = await upstreamAuthorization(ctx, repo);
    const verdicts = await decidePush(ctx, { repo, cap, authorization, workDir, body });
    if (verdicts.some((v) => !v.allowed)) return toPushRefusal(verdicts, parsed.capabilities);
    const response = await forwardPush(repo, authorization, body.spooled, cleanup);
    forwarded = true;
    return response;
  } catch (err) {
    const refused = await recordRefusal(ctx.leash, "authorize", "code.write", toLeashError(err));
    if (!parsed) return toTextRefusal(refused.error, refused.decisionId);
    return toPushFailure(parsed.commands, parsed.capabilities, refused.error, refused.decisionId);
  } finally {
    // A forwarded push cleans up when the upstream's answer ends; every other path, now.
    if (!forwarded) await cleanup();
  }
}

async function readPush(
  ctx: GitGatewayContext,
  request: Request,
  workDir: string,
): Promise<{ spooled: SpooledBody; parsed: PushCommands }> {
  if (request.headers.get("content-encoding"))
    throw gitError("ERR_GIT_PUSH_MALFORMED", "a push body must not be content-encoded");
  const spooled = await spoolPushBody(request.body, join(workDir, "body"), {
    maxBytes: ctx.limits.maxPushBytes,
    headBytes: ctx.limits.maxCommandBytes,
  });
  const parsed = parsePushCommands(spooled.head);
  if (!parsed) {
    const why =
      spooled.bytes > spooled.head.length
        ? `the command list is longer than ${ctx.limits.maxCommandBytes} bytes`
        : "the command list does not end with a flush packet";
    throw gitError("ERR_GIT_PUSH_MALFORMED", `the push could not be read: ${why}`);
  }
  if (parsed.commands.length > 0 && !asksForReport(parsed.capabilities))
    throw gitError(
      "ERR_GIT_PUSH_MALFORMED",
      "the push must ask for report-status, or a refusal could not be shown",
    );
  return { spooled, parsed };
}

interface PushWork {
  repo: RepositoryConfig;
  cap: Capability;
  authorization: string | undefined;
  workDir: string;
  body: { spooled: SpooledBody; parsed: PushCommands };
}

async function decidePush(ctx: GitGatewayContext, w: PushWork): Promise<RefVerdict[]> {
  return ctx.mirrors.withFreshMirror(w.repo, w.authorization, async (gitDir) => {
    const quarantineDir = join(w.workDir, "quarantine");
    const updates = await inspectRefUpdates({
      gitDir,
      quarantineDir,
      bodyFile: w.body.spooled.file,
      bodyBytes: w.body.spooled.bytes,
      packOffset: w.body.parsed.packOffset,
      commands: w.body.parsed.commands,
      gitEnv: ctx.gitEnv,
    });
    const env = toQuarantineEnv(gitDir, quarantineDir, ctx.gitEnv);
    await verifyLockfilesAreFiles(env, updates);
    const lockfileDiffs = await diffPushLockfiles(env, w.repo.id, updates);
    return decideRefUpdates(ctx.leash, w.cap, w.repo, updates, lockfileDiffs);
  });
}

/** Leash's own diff of the lockfiles each ref update changes; none for the rest (no git run). */
async function diffPushLockfiles(
  env: Record<string, string>,
  repositoryId: string,
  updates: readonly RefUpdate[],
): Promise<Map<RefUpdate, ComputedEvidence>> {
  const budget = newLockfileBudget();
  const diffs = new Map<RefUpdate, ComputedEvidence>();
  for (const update of updates) {
    const computed = await diffPushedLockfiles(env, repositoryId, update, budget);
    if (computed) diffs.set(update, computed);
  }
  return diffs;
}

async function forwardPush(
  repo: RepositoryConfig,
  authorization: string | undefined,
  spooled: SpooledBody,
  cleanup: () => Promise<void>,
): Promise<Response> {
  const res = await requestUpstream({
    method: "POST",
    url: toUpstreamUrl(repo.upstream, "git-receive-pack"),
    headers: {
      "user-agent": "leash-git-gateway",
      "content-type": "application/x-git-receive-pack-request",
      accept: "application/x-git-receive-pack-result",
      "content-length": String(spooled.bytes),
      ...(authorization ? { authorization } : {}),
    },
    body: createReadStream(spooled.file),
  });
  res.once("close", () => void cleanup());
  checkUpstreamAnswer(res, "application/x-git-receive-pack-result", repo);
  return new Response(Readable.toWeb(res) as unknown as ReadableStream, {
    status: 200,
    headers: {
      "content-type": "application/x-git-receive-pack-result",
      "cache-control": "no-cache",
    },
  });
}

function asksForReport(capabilities: readonly string[]): boolean {
  return capabilities.includes("report-status") || capabilities.includes("report-status-v2");
}
