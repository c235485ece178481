/**
 * The one place leash imports Cedar. The Node build of cedar-wasm loads its WebAssembly
 * synchronously at import, so every call below is synchronous.
 */

export type {
  AuthorizationAnswer,
  Context as CedarContext,
  DetailedError,
  EntityJson,
  PolicyJson,
  SchemaJson,
} from "@cedar-policy/cedar-wasm/nodejs";
export {
  isAuthorized,
  policySetTextToParts,
  policyToJson,
  preparsePolicySet,
  schemaToJson,
  statefulIsAuthorized,
  validate,
} from "@cedar-policy/cedar-wasm/nodejs";
