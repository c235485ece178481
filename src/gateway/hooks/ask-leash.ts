import { type ClientRequest, request as httpRequest, type RequestOptions } from "node:http";
import type { LeashRequest } from "./leash-request.js";

/** leash's answer to one request (an item of POST /v1/authorize/batch). */
export interface LeashAnswer {
  decision: "allow" | "deny";
  decisionId: string | undefined;
  reasons: { code: string; message: string }[];
}

export type LeashReply =
  | { kind: "answers"; answers: LeashAnswer[] }
  | { kind: "unreachable"; message: string };

const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * Asks leash about every request of one tool call in one round trip (POST
 * /v1/authorize/batch), over node:http with keep-alive off: a hook process makes one request
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
  // node:https (TLS) costs a few ms to load: only when leash is reached over TLS.
  const send: (u: URL, o: RequestOptions) => ClientRequest =
    url.protocol === "https:" ? (await import("node:https")).request : httpRequest;
  return post(send, url, capability, requests, timeoutMs);
}

function post(
  send: (u: URL, o: RequestOptions) => ClientRequest,
  url: URL,
  capability: string,
  requests: LeashRequest[],
  timeoutMs: number,
): Promise<LeashReply> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ requests });
    const req = send(url, {
      method: "POST",
      agent: false,
      timeout: timeoutMs,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        accept: "application/json",
        authorization: `Bearer ${capability}`,
        connection: "close",
      },
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) =>
      resolve({ kind: "unreachable", message: `${url.origin}: ${err.message}` }),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_REPLY_BYTES) req.destroy(new Error("the answer is too large"));
        else chunks.push(c);
      });
      res.on("end", () =>
        resolve(
          toReply(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"), requests.length),
        ),
      );
      res.on("error", (err) => resolve({ kind: "unreachable", message: err.message }));
    });
    req.end(body);
  });
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
