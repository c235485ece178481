/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form, which is what `JSON.stringify`
 * already emits for finite numbers. Used wherever bytes are hashed or signed.
 * Throws on values JSON can't carry (non-finite numbers, functions), so a record is
 * never hashed in a form nobody else can reproduce.
 */
export function toCanonicalJson(value: unknown): string {
  return append("", value);
}

/**
 * Appends `value` to `out`. Every decision record passes through here, so it builds one
 * string as it goes: the arrays of entries, sorted pairs and joined parts it used to make
 * were a quarter of a decision's garbage (and of its young-generation GC pauses).
 */
function append(out: string, value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return out + JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON: non-finite number");
    return out + JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let text = `${out}[`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ",";
      const item: unknown = value[i];
      text = append(text, item === undefined ? null : item);
    }
    return `${text}]`;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units (RFC 8785).
    const keys = Object.keys(record).sort();
    let text = `${out}{`;
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      text += `${first ? "" : ","}${JSON.stringify(key)}:`;
      first = false;
      text = append(text, item);
    }
    return `${text}}`;
  }
  throw new TypeError(`canonical JSON: cannot encode ${typeof value}`);
}
