import { CREDENTIAL_SHAPES } from "./credential-shapes.js";

// Every shape in one global regex, one group each: one pass over a text, the kind read from
// the group that matched (as the exec redactor's matcher does).
const MATCHER = new RegExp(CREDENTIAL_SHAPES.map((s) => `(${s.pattern})`).join("|"), "g");

/**
 * `text` with anything shaped like a credential (a JWT, a GitHub, GitLab, npm or cloud token,
 * …) replaced by `[REDACTED:<kind>]`. For text a caller chose that a record keeps — a resource
 * id, a path, an artifact reference — so an agent that pastes a token there can't put it in
 * the log.
 */
export function maskCredentials(text: string): string {
  return text.replace(MATCHER, (...groups: unknown[]) => {
    const at = groups.slice(1, CREDENTIAL_SHAPES.length + 1).findIndex((g) => g !== undefined);
    return `[REDACTED:${CREDENTIAL_SHAPES[at]?.kind ?? "credential"}]`;
  });
}
