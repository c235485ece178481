import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { RepositoryConfig } from "../../config/index.js";
import { filterAdvertisement } from "./filter-advertisement.js";
import { gitError } from "./git-errors.js";
import { type GitGatewayContext, upstreamAuthorization } from "./git-gateway-context.js";
import type { GitRoute } from "./parse-git-path.js";
import { requestUpstream, toUpstreamUrl } from "./request-upstream.js";

/** Request headers a smart-HTTP exchange needs upstream; nothing else of the client's goes. */
const FORWARDED = ["content-type", "content-encoding", "content-length", "accept", "git-protocol"];

/**
 * Proxies a ref advertisement or an upload-pack exchange to the upstream, streaming both
 * ways, with leash's upstream credential in place of the client's. A receive-pack
 * advertisement is the one body read whole: its capability list is rewritten.
 * Throws ERR_GIT_UPSTREAM_UNAVAILABLE.
 */
export async function proxyGitRead(
  ctx: GitGatewayContext,
  request: Request,
  route: GitRoute,
  repo: RepositoryConfig,
): Promise<Response> {
  const authorization = await upstreamAuthorization(ctx, repo);
  const advertise = route.kind === "advertise";
  const path = advertise ? `info/refs?service=${route.service}` : route.service;
  const res = await requestUpstream({
    method: advertise ? "GET" : "POST",
    url: toUpstreamUrl(repo.upstream, path),
    headers: toUpstreamHeaders(request, route, authorization),
    ...(advertise ? {} : { body: toNodeStream(request.body) }),
  });
  const type = advertise ? `${route.service}-advertisement` : `${route.service}-result`;
  checkUpstreamAnswer(res, `application/x-${type}`, repo);
  const headers: Record<string, string> = {
    "content-type": `application/x-${type}`,
    "cache-control": "no-cache",
  };
  const encoding = res.headers["content-encoding"];
  if (typeof encoding === "string") headers["content-encoding"] = encoding;
  if (advertise && route.service === "git-receive-pack") {
    const body = filterAdvertisement(await readAll(res, ctx.limits.maxAdvertisementBytes, repo));
    if (!body) throw upstreamFailed(repo, "sent a ref advertisement leash can't read");
    return new Response(new Uint8Array(body), { status: 200, headers });
  }
  return new Response(Readable.toWeb(res) as unknown as ReadableStream, { status: 200, headers });
}

function toUpstreamHeaders(
  request: Request,
  route: GitRoute,
  authorization: string | undefined,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { "user-agent": "leash-git-gateway" };
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  // Pushes speak protocol v0, the one whose commands leash parses.
  if (route.service === "git-receive-pack") delete headers["git-protocol"];
  if (authorization) headers["authorization"] = authorization;
  return headers;
}

/** Anything but the smart-HTTP answer (a login page, a redirect, a 401) is refused. */
export function checkUpstreamAnswer(
  res: IncomingMessage,
  contentType: string,
  repo: RepositoryConfig,
): void {
  const type = (res.headers["content-type"] ?? "").split(";")[0]?.trim();
  if (res.statusCode === 200 && type === contentType) return;
  res.resume();
  const why =
    res.statusCode === 401 || res.statusCode === 403
      ? `refused leash's credential (HTTP ${res.statusCode}); the operator must set the upstream credential`
      : `answered HTTP ${res.statusCode} ${type ?? ""}`.trim();
  throw upstreamFailed(repo, why);
}

async function readAll(res: IncomingMessage, max: number, repo: RepositoryConfig): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      res.destroy();
      throw upstreamFailed(repo, `sent a ref advertisement over ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function toNodeStream(body: ReadableStream<Uint8Array> | null): Readable {
  return body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([]);
}

const upstreamFailed = (repo: RepositoryConfig, why: string) =>
  gitError(
    "ERR_GIT_UPSTREAM_UNAVAILABLE",
    `the upstream of ${repo.name} ${why}; nothing more was forwarded`,
  );
