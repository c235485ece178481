import type { LeashRequest } from "./leash-request.js";
import { postJson } from "./post-json.js";

/** leash's answer to one request (an item of POST /v1/authorize/batch). */
export interface LeashAnswer {
  decision: "allow" | "deny";
  decisionId: string | undefined;
  reasons: { code: string; message: string }[];
}

export type LeashReply =
  | { kind: "answers"; answers: LeashAnswer[] }
  | { kind: "unreachable"; message: string };

/**
 * Asks leash about every request of one tool call in one round trip (POST
 * /v1/authorize/batch), one request on a fresh connection: a hook process makes one request
 * and exits. Anything but a well-formed 200 is `unreachable` (the caller denies); never
 * throws, never puts the capability in a message.
 */
export async function askLeash(
  server: string,
  capability: string,
  requests: LeashRequest[],
  timeoutMs: number,
): Promise<LeashReply> {
  let url: URL;
  try {
    url = new URL("v1/authorize/batch", server.endsWith("/") ? server : `${server}/`);
  } catch {
    return { kind: "unreachable", message: "LEASH_URL is not a URL" };
  }
  try {
    const reply = await postJson(
      url,
      { accept: "application/json", authorization: `Bearer ${capability}` },
      JSON.stringify({ requests }),
      timeoutMs,
    );
    return toReply(reply.status, reply.body, requests.length);
  } catch (err) {
    return { kind: "unreachable", message: `${url.origin}: ${(err as Error).message}` };
  }
}

function toReply(status: number, text: string, expected: number): LeashReply {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: "unreachable", message: `leash answered ${status} without JSON` };
  }
  if (status !== 200) {
    const code = typeof body["code"] === "string" ? body["code"] : `HTTP ${status}`;
    return {
      kind: "unreachable",
      message: `leash refused the request: ${code}: ${String(body["error_description"] ?? "")}`,
    };
  }
  const items = body["decisions"];
  if (!Array.isArray(items) || items.length !== expected)
    return { kind: "unreachable", message: "leash's answer did not hold one decision per request" };
  return { kind: "answers", answers: items.map(toAnswer) };
}

function toAnswer(item: unknown): LeashAnswer {
  const b = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const decisionId = typeof b["decision_id"] === "string" ? b["decision_id"] : undefined;
  const reasons = Array.isArray(b["reasons"])
    ? (b["reasons"] as { code?: unknown; message?: unknown }[]).map((r) => ({
        code: String(r.code),
        message: String(r.message),
      }))
    : [
        {
          code: String(b["code"] ?? "denied"),
          message: String(b["error_description"] ?? "refused"),
        },
      ];
  return { decision: b["decision"] === "allow" ? "allow" : "deny", decisionId, reasons };
}
