/** More alternatives than this are not worth reading one by one: the target is unresolved. */
const MAX_ALTERNATIVES = 64;

/**
 * Brace expansion as bash does it before globbing: `a{b,c}d` → `abd`, `acd`;
 * `x{1..3}` → `x1`, `x2`, `x3`. A `{…}` with neither a top-level comma nor a range stays
 * literal. Null when the expansion is larger than leash reads (fail closed: unresolved).
 */
export function expandBraces(text: string): string[] | null {
  const found = findBrace(text);
  if (found === null) return [text];
  const { open, close, parts } = found;
  const out: string[] = [];
  for (const part of parts) {
    const rest = expandBraces(`${text.slice(0, open)}${part}${text.slice(close + 1)}`);
    if (rest === null) return null;
    out.push(...rest);
    if (out.length > MAX_ALTERNATIVES) return null;
  }
  return out;
}

/** The first `{…}` that expands, with its alternatives; null when there is none. */
function findBrace(text: string): { open: number; close: number; parts: string[] } | null {
  for (let open = text.indexOf("{"); open !== -1; open = text.indexOf("{", open + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        const inner = text.slice(open + 1, i);
        const parts =
          commas.length > 0
            ? [...commas, i].map((end, k) =>
                text.slice(k === 0 ? open + 1 : (commas[k - 1] as number) + 1, end),
              )
            : toRange(inner);
        if (parts !== null) return { open, close: i, parts };
        break;
      } else if (c === "," && depth === 1) commas.push(i);
    }
  }
  return null;
}

/** `1..3`, `a..c`, `0..10..2`: the sequence; null when `inner` is not a range. */
function toRange(inner: string): string[] | null {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  const chr = /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(inner);
  const [from, to, step] = num
    ? [Number(num[1]), Number(num[2]), Math.abs(Number(num[3] ?? 1)) || 1]
    : chr
      ? [(chr[1] as string).charCodeAt(0), (chr[2] as string).charCodeAt(0), 1]
      : [0, 0, 0];
  if (step === 0) return null;
  const out: string[] = [];
  const dir = from <= to ? 1 : -1;
  for (let v = from; dir > 0 ? v <= to : v >= to; v += dir * step) {
    out.push(num ? String(v) : String.fromCharCode(v));
    if (out.length > MAX_ALTERNATIVES) break;
  }
  return out;
}
