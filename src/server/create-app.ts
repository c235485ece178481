import { Hono } from "hono";
import type { Leash } from "../broker/index.js";
import { toLeashError } from "../errors/index.js";
import { renderError } from "./render-error.js";
import { addAdminLogRoutes, addAdminRoutes } from "./routes/admin-routes.js";
import { addDecisionRoutes } from "./routes/decision-routes.js";
import { addGitRoutes } from "./routes/git-routes.js";
import { addMetricsRoutes } from "./routes/metrics-routes.js";
import { addPromotionRoutes } from "./routes/promotion-routes.js";
import { addSecretRoutes, createBrokeredUpstreamCredential } from "./routes/secret-routes.js";
import { addTokenRoutes } from "./routes/token-routes.js";

/** The HTTP API. Routes are thin: read, call a use case, render. */
export function createApp(leash: Leash): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(leash.keyRing.jwks());
  });
  addTokenRoutes(app, leash);
  addDecisionRoutes(app, leash);
  addPromotionRoutes(app, leash);
  addAdminRoutes(app, leash);
  addAdminLogRoutes(app, leash);
  addMetricsRoutes(app, leash);
  addSecretRoutes(app, leash);
  addGitRoutes(app, leash, createBrokeredUpstreamCredential(leash));
  app.notFound((c) =>
    c.json(
      {
        error: "invalid_request",
        error_description: `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
        code: "ERR_NOT_FOUND",
      },
      404,
    ),
  );
  // Anything unexpected is a 5xx without detail; malformed input never gets here (routes turn it into 4xx).
  app.onError((err, c) => renderError(c, toLeashError(err)));
  return app;
}
