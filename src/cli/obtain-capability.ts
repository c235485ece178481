import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CliIo } from "./cli-io.js";
import { UsageError } from "./cli-io.js";
import { postToLeash, type ServerAnswer } from "./http-client.js";

export interface ObtainCapabilityOptions {
  server: string;
  zone: string;
  /** Comma-separated subset of the zone's actions. */
  actions?: string | undefined;
  audience?: string | undefined;
  idTokenEnv?: string | undefined;
  idTokenFile?: string | undefined;
}

/** The flags `leash token` and `leash exec` share for an exchange, as they are parsed. */
export interface ExchangeFlags {
  zone: string;
  actions?: string | undefined;
  audience?: string | undefined;
  "id-token-env"?: string | undefined;
  "id-token-file"?: string | undefined;
}

/** The exchange those flags ask for, at `server`. */
export function fromExchangeFlags(server: string, flags: ExchangeFlags): ObtainCapabilityOptions {
  return {
    server,
    zone: flags.zone,
    actions: flags.actions,
    audience: flags.audience,
    idTokenEnv: flags["id-token-env"],
    idTokenFile: flags["id-token-file"],
  };
}

export type CapabilityAnswer =
  | { kind: "issued"; capability: string; body: Record<string, unknown> }
  | { kind: "refused"; answer: ServerAnswer };

/**
 * Gets this job's OIDC ID token and trades it at leash for a capability (RFC 8693).
 * Throws UsageError when no ID token can be had; a refusal by leash is returned, not thrown.
 * The ID token is never printed.
 */
export async function obtainCapability(
  options: ObtainCapabilityOptions,
  io: CliIo,
): Promise<CapabilityAnswer> {
  const idToken = await obtainIdToken(options, io);
  const scope = [
    `zone:${options.zone}`,
    ...(options.actions ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
  ].join(" ");
  const answer = await postToLeash(options.server, "v1/token", {
    form: {
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: idToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      scope,
    },
  });
  const capability = answer.body["access_token"];
  if (answer.status !== 200 || typeof capability !== "string") return { kind: "refused", answer };
  return { kind: "issued", capability, body: answer.body };
}

/** The ID token a file holds (GitLab's id_tokens can be written to one); a usage error otherwise. */
function readIdTokenFile(file: string, io: CliIo): string {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), "utf8");
  } catch {
    throw new UsageError(`--id-token-file ${file}: the file can't be read`);
  }
  const token = text.trim();
  if (!token) throw new UsageError(`--id-token-file ${file}: the file is empty`);
  return token;
}

async function obtainIdToken(options: ObtainCapabilityOptions, io: CliIo): Promise<string> {
  if (options.idTokenEnv) {
    const v = io.env[options.idTokenEnv]?.trim();
    if (!v) throw new UsageError(`${options.idTokenEnv} is not set or empty`);
    return v;
  }
  if (options.idTokenFile) return readIdTokenFile(options.idTokenFile, io);
  const url = io.env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const bearer = io.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  if (!url || !bearer) {
    throw new UsageError(
      "no OIDC token: on GitHub Actions grant `permissions: id-token: write`; elsewhere pass --id-token-env NAME or --id-token-file F",
    );
  }
  const res = await fetch(`${url}&audience=${encodeURIComponent(options.audience ?? "leash")}`, {
    headers: { authorization: `Bearer ${bearer}`, accept: "application/json" },
  });
  const body = (await res.json().catch(() => ({}))) as { value?: unknown };
  if (!res.ok || typeof body.value !== "string")
    throw new UsageError(`the CI provider refused the ID token request (HTTP ${res.status})`);
  return body.value;
}
