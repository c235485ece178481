import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Leash } from "../broker/index.js";
import { createApp } from "./create-app.js";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0 = any free port) and resolves once it accepts connections. */
export function startServer(
  leash: Leash,
  opts: { host: string; port: number },
): Promise<RunningServer> {
  const app = createApp(leash);
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: opts.host, port: opts.port },
      (info: AddressInfo) => {
        const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
