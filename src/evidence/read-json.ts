import type { LeashError } from "../errors/index.js";
import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import { verifyEvidenceSize } from "./verify-evidence-size.js";

/** A JSON object read from untrusted input; keys are looked up with `Object.hasOwn` semantics. */
export type JsonObject = Record<string, unknown>;

/** Parses untrusted JSON text after the size check; throws ERR_EVIDENCE_MALFORMED with the line. */
export function parseJsonText(text: string, where: EvidenceWhere, maxBytes?: number): unknown {
  verifyEvidenceSize(text, where, maxBytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the input, which may hold secrets: keep only the position.
    const position = /at position (\d+)/.exec(String((err as Error).message))?.[1];
    const place = position === undefined ? {} : toLineColumn(text, Number(position));
    return throwMalformed(where, "the document is not valid JSON", place);
  }
}

/** 1-based line and column of a character offset. */
export function toLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Appends a key or index to a JSON path: `a.b[3]["node_modules/x"]`. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function expectObject(value: unknown, path: string, where: EvidenceWhere): JsonObject {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as JsonObject;
  }
  return throwMalformed(where, `expected an object, got ${describeType(value)}`, { path });
}

export function expectArray(value: unknown, path: string, where: EvidenceWhere): unknown[] {
  if (Array.isArray(value)) return value;
  return throwMalformed(where, `expected an array, got ${describeType(value)}`, { path });
}

export function expectString(value: unknown, path: string, where: EvidenceWhere): string {
  if (typeof value === "string") return value;
  return throwMalformed(where, `expected a string, got ${describeType(value)}`, { path });
}

/** The value of an own property, or undefined (never one inherited from Object.prototype). */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function throwMalformed(
  where: EvidenceWhere,
  what: string,
  place: { path?: string; line?: number; column?: number },
): never {
  throw refuseEvidence("ERR_EVIDENCE_MALFORMED", where, what, place) satisfies LeashError;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
