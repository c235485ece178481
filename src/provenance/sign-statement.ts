import { toCanonicalJson } from "../encoding/index.js";
import {
  type DsseEnvelope,
  type DsseSigner,
  IN_TOTO_PAYLOAD_TYPE,
  type InTotoStatement,
  STATEMENT_V1,
  toPreAuthEncoding,
} from "./dsse-envelope.js";
import { provenanceError } from "./provenance-errors.js";

/**
 * Signs an in-toto Statement v1 into a DSSE envelope with leash's key. The payload is the
 * statement's canonical JSON (RFC 8785), so the same statement always yields the same bytes.
 * Throws ERR_PROVENANCE_MALFORMED for a statement without subjects or of another type.
 */
export function signStatement(statement: InTotoStatement, signer: DsseSigner): DsseEnvelope {
  if (statement._type !== STATEMENT_V1 || statement.subject.length === 0) {
    throw provenanceError(
      "ERR_PROVENANCE_MALFORMED",
      "malformed_statement: leash signs in-toto Statement v1 with at least one subject",
    );
  }
  const body = Buffer.from(toCanonicalJson(statement), "utf8");
  const sig = signer.sign(toPreAuthEncoding(IN_TOTO_PAYLOAD_TYPE, body));
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: body.toString("base64"),
    signatures: [{ keyid: signer.keyid, sig: Buffer.from(sig).toString("base64") }],
  };
}
