import { identityError } from "./identity-errors.js";

/** How a CI provider's claims are normalized. */
export type Provider = "github" | "gitlab" | "generic";

/** One trusted OIDC issuer, compiled from config. */
export interface IssuerConfig {
  /** Config name, e.g. `github`. */
  readonly name: string;
  /** The exact `iss` a token must carry. */
  readonly url: string;
  readonly provider: Provider;
  /** Required; a token's `aud` must equal it (or be an array holding it). */
  readonly audience: string;
  /** Else discovered from `<url>/.well-known/openid-configuration` (`jwks_uri`). */
  readonly jwksUri?: string;
  /** Only then may the issuer and its JWKS be `http://` on a loopback host; otherwise https only. */
  readonly allowInsecureLoopback: boolean;
  /** Accepted JWS algorithms; asymmetric only. Default `["RS256", "ES256"]`. */
  readonly algorithms: readonly string[];
}

/** The algorithms an issuer may be configured with: asymmetric only, so `none` and HS* never verify. */
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
]);

export const DEFAULT_ALGORITHMS: readonly string[] = ["RS256", "ES256"];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True when `url` is https, or http on a loopback host while `allowInsecureLoopback` is set. */
export function isAllowedIssuerUrl(url: string, allowInsecureLoopback: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== "" || parsed.password !== "" || parsed.hash !== "") return false;
  if (parsed.protocol === "https:") return true;
  return (
    parsed.protocol === "http:" && allowInsecureLoopback && LOOPBACK_HOSTS.has(parsed.hostname)
  );
}

/**
 * Refuses an audience that equals the provider's default `aud`: GitHub's default is the owner's
 * URL (`https://github.com/<owner>`), GitLab's is the instance URL. A default audience means any
 * other service trusting that issuer could replay its tokens here.
 * @throws ERR_IDENTITY_DEFAULT_AUDIENCE, ERR_IDENTITY_ISSUER_CONFIG (empty audience)
 */
export function checkIssuerAudience(issuer: IssuerConfig): void {
  const aud = issuer.audience;
  if (typeof aud !== "string" || aud.trim() === "") {
    throw identityError("ERR_IDENTITY_ISSUER_CONFIG", `issuer "${issuer.name}" has no audience.`);
  }
  const isDefault =
    (issuer.provider === "github" && aud.toLowerCase().startsWith("https://github.com/")) ||
    (issuer.provider === "gitlab" && trimSlash(aud) === trimSlash(issuer.url));
  if (isDefault) {
    throw identityError(
      "ERR_IDENTITY_DEFAULT_AUDIENCE",
      `issuer "${issuer.name}" uses the provider's default audience "${aud}"; ` +
        `set a leash-specific audience (e.g. "leash") in config and in the CI job.`,
      { issuer: issuer.name },
    );
  }
}

/**
 * Checks one issuer before use: audience, URLs (https, or loopback http when allowed) and
 * algorithms (asymmetric only).
 * @throws ERR_IDENTITY_ISSUER_CONFIG, ERR_IDENTITY_DEFAULT_AUDIENCE
 */
export function checkIssuerConfig(issuer: IssuerConfig): void {
  checkIssuerAudience(issuer);
  const urls = issuer.jwksUri === undefined ? [issuer.url] : [issuer.url, issuer.jwksUri];
  for (const url of urls) {
    if (!isAllowedIssuerUrl(url, issuer.allowInsecureLoopback)) {
      throw identityError(
        "ERR_IDENTITY_ISSUER_CONFIG",
        `issuer "${issuer.name}": ${url} must be https (http only on loopback with allow_insecure_loopback).`,
      );
    }
  }
  if (issuer.algorithms.length === 0) {
    throw identityError(
      "ERR_IDENTITY_ISSUER_CONFIG",
      `issuer "${issuer.name}" allows no algorithm.`,
    );
  }
  for (const alg of issuer.algorithms) {
    if (!ASYMMETRIC_ALGORITHMS.has(alg)) {
      throw identityError(
        "ERR_IDENTITY_ISSUER_CONFIG",
        `issuer "${issuer.name}": algorithm "${alg}" is not an allowed asymmetric algorithm.`,
      );
    }
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "").toLowerCase();
}
