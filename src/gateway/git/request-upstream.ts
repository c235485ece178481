import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { gitError } from "./git-errors.js";

export interface UpstreamRequest {
  method: "GET" | "POST";
  url: URL;
  headers: OutgoingHttpHeaders;
  /** Streamed, never buffered; none = no body. */
  body?: Readable;
}

/** No byte from the upstream for this long: the request is abandoned. */
const UPSTREAM_IDLE_MS = 120_000;

/**
 * Sends one request to the upstream over node:http/https and resolves with its response
 * head (the body still streaming). Throws ERR_GIT_UPSTREAM_UNAVAILABLE when it can't be
 * reached; the message names the repository's upstream host only, never a credential.
 */
export function requestUpstream(req: UpstreamRequest): Promise<IncomingMessage> {
  const send = req.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(req.url, { method: req.method, headers: req.headers }, resolve);
    outgoing.setTimeout(UPSTREAM_IDLE_MS, () => outgoing.destroy(new Error("upstream timed out")));
    outgoing.once("error", () =>
      reject(
        gitError(
          "ERR_GIT_UPSTREAM_UNAVAILABLE",
          `the upstream at ${req.url.host} could not be reached; nothing was forwarded. Try again later`,
        ),
      ),
    );
    if (!req.body) {
      outgoing.end();
      return;
    }
    req.body.once("error", (err) => outgoing.destroy(err));
    req.body.pipe(outgoing);
  });
}

/** The upstream URL of a smart-HTTP path (`info/refs?service=…`, `git-upload-pack`, …). */
export function toUpstreamUrl(upstream: string, pathAndQuery: string): URL {
  return new URL(`${upstream.replace(/\/+$/, "")}/${pathAndQuery}`);
}
