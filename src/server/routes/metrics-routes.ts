import type { Hono } from "hono";
import type { Leash } from "../../broker/index.js";
import { requireAdmin } from "./admin-routes.js";

/**
 * GET /metrics in the Prometheus text exposition. Open by default, as scrapers expect;
 * `metrics.require_admin: true` puts it behind the admin token (a refused scrape is recorded
 * like any admin refusal). The figures name no token, secret or repository.
 */
export function addMetricsRoutes(app: Hono, leash: Leash): void {
  app.get("/metrics", async (c) => {
    if (leash.config.metrics.requireAdmin) {
      const denied = await requireAdmin(c, leash, "metrics.read");
      if (denied) return denied;
    }
    const metrics = leash.metrics;
    if (!metrics) return c.text("", 404);
    const { contentType, body } = await metrics.render();
    c.header("Cache-Control", "no-store");
    return c.body(body, 200, { "Content-Type": contentType });
  });
}
