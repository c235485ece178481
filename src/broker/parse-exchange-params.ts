import { isZone, ZONE_ACTIONS, type Zone } from "../zones/index.js";
import { brokerError } from "./broker-errors.js";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const SUBJECT_TOKEN_TYPES = new Set([
  "urn:ietf:params:oauth:token-type:id_token",
  "urn:ietf:params:oauth:token-type:jwt",
]);
export const ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export interface ExchangeParams {
  subjectToken: string;
  zone: Zone;
  /** Actions to narrow the grant to; undefined = all the rule grants. */
  actions: string[] | undefined;
}

/**
 * Checks an RFC 8693 request: grant type, subject token and its type, and `scope` of the
 * form `zone:<zone> [action …]`. Throws ERR_EXCHANGE_* naming the parameter.
 */
export function parseExchangeParams(
  p: Readonly<Record<string, string | undefined>>,
): ExchangeParams {
  if (p["grant_type"] !== TOKEN_EXCHANGE_GRANT) {
    throw brokerError(
      "ERR_EXCHANGE_UNSUPPORTED_GRANT_TYPE",
      `grant_type must be ${TOKEN_EXCHANGE_GRANT}`,
    );
  }
  const subjectToken = p["subject_token"];
  if (!subjectToken)
    throw brokerError(
      "ERR_EXCHANGE_MISSING_PARAMETER",
      "subject_token is missing: send the job's OIDC ID token",
    );
  const type = p["subject_token_type"];
  if (!type || !SUBJECT_TOKEN_TYPES.has(type)) {
    throw brokerError(
      "ERR_EXCHANGE_UNSUPPORTED_TOKEN_TYPE",
      `subject_token_type must be ${[...SUBJECT_TOKEN_TYPES].join(" or ")}`,
    );
  }
  return { subjectToken, ...parseScope(p["scope"]) };
}

/** `zone:editing repo.read code.write` → the zone and the narrowing actions. */
export function parseScope(scope: string | undefined): {
  zone: Zone;
  actions: string[] | undefined;
} {
  const words = (scope ?? "").split(" ").filter((w) => w !== "");
  const zoneWord = words.find((w) => w.startsWith("zone:"));
  const zone = zoneWord?.slice("zone:".length);
  if (!zone || !isZone(zone)) {
    throw brokerError(
      "ERR_EXCHANGE_INVALID_SCOPE",
      `scope must name one zone as zone:<${Object.keys(ZONE_ACTIONS).join("|")}>${zone ? `; ${JSON.stringify(zone)} is not a zone` : ""}`,
    );
  }
  if (words.filter((w) => w.startsWith("zone:")).length > 1) {
    throw brokerError(
      "ERR_EXCHANGE_INVALID_SCOPE",
      "scope names more than one zone; a capability holds exactly one",
    );
  }
  const actions = words.filter((w) => w !== zoneWord);
  const unknown = actions.filter((a) => !ZONE_ACTIONS[zone].includes(a));
  if (unknown.length > 0) {
    throw brokerError(
      "ERR_EXCHANGE_INVALID_SCOPE",
      `${unknown.join(", ")} is not an action of zone ${zone}`,
    );
  }
  return { zone, actions: actions.length > 0 ? actions : undefined };
}
