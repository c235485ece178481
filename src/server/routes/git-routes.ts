import type { Hono } from "hono";
import type { Leash } from "../../broker/index.js";
import {
  createEnvUpstreamCredential,
  createGitGateway,
  type GetUpstreamCredential,
} from "../../gateway/git/index.js";

/**
 * Git smart HTTP under /git/: the raw request goes to the gateway and its streamed answer
 * back, untouched by Hono. Until the secret broker provides upstream credentials, they come
 * from LEASH_UPSTREAM_TOKEN_<REPOSITORY ID> in leash's environment.
 */
export function addGitRoutes(
  app: Hono,
  leash: Leash,
  getUpstreamCredential: GetUpstreamCredential = createEnvUpstreamCredential(process.env),
): void {
  const gateway = createGitGateway({
    leash,
    getUpstreamCredential,
    path: process.env["PATH"] ?? "/usr/bin:/bin",
  });
  app.all("/git/*", (c) => gateway.handle(c.req.raw));
}
