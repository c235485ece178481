import type { LeashError } from "../../errors/index.js";
import type { RefVerdict } from "./decide-ref-updates.js";
import type { RefUpdateCommand } from "./parse-push-commands.js";
import { type PushRefusalReport, toReceivePackResult } from "./to-receive-pack-result.js";

const NG_REASON_CHARS = 240;

/**
 * A refusal before any git exchange: plain text, which git prints as `remote: leash: …` on a
 * failed ref advertisement. A 401 carries the Basic challenge git answers with a credential;
 * with `challenge` false it becomes a 403, which git reports instead of prompting.
 */
export function toTextRefusal(error: LeashError, decisionId: string, challenge = true): Response {
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-cache",
  };
  let status = error.status;
  if (status === 401 && challenge) headers["www-authenticate"] = 'Basic realm="leash"';
  if (status === 401 && !challenge) status = 403;
  const text = `leash: ${error.message} (${error.code}, decision ${decisionId})\n`;
  return new Response(text, { status, headers });
}

/** The receive-pack answer refusing a push: why each refused ref was refused, and that nothing went upstream. */
export function toPushRefusal(verdicts: readonly RefVerdict[], capabilities: string[]): Response {
  const report: PushRefusalReport = {
    unpack: "ok",
    refs: verdicts.map((v) => ({
      ref: v.update.ref,
      reason: v.refusal
        ? clip(`leash: ${v.refusal.code}: ${v.refusal.message}`)
        : "leash: not pushed, another ref of this push was refused",
    })),
    messages: [
      "leash: push refused; nothing was sent to the upstream",
      ...verdicts.flatMap((v) =>
        v.refusal
          ? [
              `leash: ${v.update.ref}: ${v.refusal.action} denied (${v.refusal.code}): ${v.refusal.message}`,
              `leash: ${v.update.ref}: decision ${v.refusal.decisionId}`,
            ]
          : [],
      ),
    ],
  };
  return toResultResponse(report, capabilities);
}

/** The receive-pack answer when the push could not be inspected or forwarded at all. */
export function toPushFailure(
  commands: readonly RefUpdateCommand[],
  capabilities: string[],
  error: LeashError,
  decisionId: string,
): Response {
  const unpack = error.code === "ERR_GIT_PACK_INVALID" ? "leash could not read the pack" : "ok";
  const report: PushRefusalReport = {
    unpack,
    refs: commands.map((c) => ({ ref: c.ref, reason: clip(`leash: ${error.code}`) })),
    messages: [`leash: ${error.message}`, `leash: ${error.code}, decision ${decisionId}`],
  };
  return toResultResponse(report, capabilities);
}

/** git's own probe before a large push: nothing to decide, nothing to forward. */
export function toEmptyPushResult(): Response {
  return toResultResponse(null, []);
}

function toResultResponse(report: PushRefusalReport | null, capabilities: string[]): Response {
  const body = report
    ? new Uint8Array(toReceivePackResult(report, capabilities))
    : new Uint8Array();
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/x-git-receive-pack-result",
      "cache-control": "no-cache",
    },
  });
}

function clip(text: string): string {
  return text.length <= NG_REASON_CHARS ? text : `${text.slice(0, NG_REASON_CHARS - 1)}…`;
}
