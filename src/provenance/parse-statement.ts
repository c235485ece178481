import {
  type AttestedStatement,
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_V1,
  STATEMENT_V01,
  type StatementSubject,
} from "./dsse-envelope.js";
import { provenanceError } from "./provenance-errors.js";

const HEX = /^[0-9a-f]+$/i;

/**
 * Parses a DSSE payload (already authenticated) into an in-toto statement.
 * Throws ERR_PROVENANCE_MALFORMED when the type or the statement shape is wrong.
 * `acceptV01` admits Statement v0.1 from older third-party signers; leash's own are v1 only.
 */
export function parseStatement(
  payloadType: string,
  payload: Uint8Array,
  acceptV01: boolean,
): AttestedStatement {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw malformed(`payload type ${JSON.stringify(payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString("utf8"));
  } catch {
    throw malformed("the DSSE payload is not JSON");
  }
  if (!isRecord(value)) throw malformed("the DSSE payload is not a JSON object");
  const type = value["_type"];
  if (type !== STATEMENT_V1 && !(acceptV01 && type === STATEMENT_V01)) {
    throw malformed(`statement _type ${JSON.stringify(type)} is not ${STATEMENT_V1}`);
  }
  const predicateType = value["predicateType"];
  if (typeof predicateType !== "string" || predicateType === "") {
    throw malformed("statement predicateType is missing");
  }
  const subject = parseSubjects(value["subject"]);
  return { _type: type, subject, predicateType, predicate: value["predicate"] };
}

function parseSubjects(value: unknown): StatementSubject[] {
  if (!Array.isArray(value) || value.length === 0) throw malformed("statement has no subject");
  return value.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry["digest"])) {
      throw malformed("statement subject has no digest");
    }
    const digest: Record<string, string> = {};
    for (const [alg, hex] of Object.entries(entry["digest"])) {
      if (typeof hex !== "string" || !HEX.test(hex)) {
        throw malformed(`statement subject digest ${alg} is not hex`);
      }
      digest[alg.toLowerCase()] = hex.toLowerCase();
    }
    const name = entry["name"];
    return typeof name === "string" ? { name, digest } : { digest };
  });
}

/** Narrows to a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(message: string) {
  return provenanceError("ERR_PROVENANCE_MALFORMED", `malformed_statement: ${message}`);
}
