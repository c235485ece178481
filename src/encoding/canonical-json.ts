/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form, which is what `JSON.stringify`
 * already emits for finite numbers. Used wherever bytes are hashed or signed.
 * Throws on values JSON can't carry (non-finite numbers, functions), so a record is
 * never hashed in a form nobody else can reproduce.
 */
export function toCanonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON: non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => toCanonicalJson(v === undefined ? null : v)).join(",")}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toCanonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON: cannot encode ${typeof value}`);
}
