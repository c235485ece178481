import type { LeashReply } from "./ask-leash.js";
import type { MappedCall } from "./leash-request.js";

/** The hook's one answer for a tool call. Never "ask": in CI nobody is there to answer. */
export interface HookVerdict {
  allow: boolean;
  reason: string;
}

const MAX_REASON_CHARS = 4000;

/**
 * Combines leash's answers with the hook's own refusals: allowed only when leash allowed
 * every request and the hook refused nothing. A leash that could not be asked is a deny.
 * Pure.
 */
export function toHookVerdict(mapped: MappedCall, reply: LeashReply): HookVerdict {
  const local = mapped.denials.map((d) => `leash hook: ${d.code}: ${d.message}`);
  if (reply.kind === "unreachable")
    return deny([
      ...local,
      `leash hook: leash_unreachable: leash could not decide this call (${reply.message}); denied, as every call leash can't decide is`,
    ]);
  const refused: string[] = [];
  const allowed: string[] = [];
  reply.answers.forEach((a, i) => {
    const r = mapped.requests[i];
    const what = r ? `${r.action} on ${r.resource.type} ${r.resource.id}` : "a request";
    const id = a.decisionId ? ` (decision ${a.decisionId})` : "";
    if (a.decision === "allow") allowed.push(`${what}${id}`);
    else
      refused.push(
        `leash denied ${what}: ${a.reasons.map((x) => `${x.code}: ${x.message}`).join("; ")}${id}`,
      );
  });
  if (local.length > 0 || refused.length > 0) return deny([...local, ...refused]);
  return { allow: true, reason: `leash allowed ${allowed.join(", ")}` };
}

function deny(lines: string[]): HookVerdict {
  const reason = lines.join("\n");
  return {
    allow: false,
    reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason,
  };
}
