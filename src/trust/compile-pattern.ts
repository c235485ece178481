/** A compiled claim constraint: an exact string, or an anchored glob or regex. */
export type ClaimPattern =
  | { kind: "exact"; value: string }
  | { kind: "glob"; glob: string; re: RegExp }
  | { kind: "regex"; source: string; re: RegExp };

/**
 * Compiles a glob to an anchored RegExp. `*` and `?` stay within one `/`-separated
 * segment, `**` crosses segments; no wildcard matches a control character; everything
 * else is literal. Anchoring is the point:
 * `refs/heads/agent/*` must never match `refs/heads/agent/x/../../main`-style tricks
 * or a prefix of a longer value.
 */
export function compileGlob(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    // Control characters never match a wildcard: no claim legitimately holds a newline.
    if (c === "*" && glob[i + 1] === "*") {
      out += "[^\\x00-\\x1f]*";
      i++;
    } else if (c === "*") out += "[^/\\x00-\\x1f]*";
    else if (c === "?") out += "[^/\\x00-\\x1f]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`, "s");
}

/**
 * Compiles a user regex, anchored whole-value whatever the author wrote. Throws SyntaxError.
 * The source must compile on its own first: `a)|(.*` is not a regex, yet wrapped in the
 * anchoring group it would compile to `^(?:a)|(.*)$` — which matches anything.
 */
export function compileAnchoredRegex(source: string): RegExp {
  new RegExp(source, "s");
  return new RegExp(`^(?:${source})$`, "s");
}

/** True when `value` satisfies `pattern`. */
export function matchPattern(pattern: ClaimPattern, value: string): boolean {
  return pattern.kind === "exact" ? pattern.value === value : pattern.re.test(value);
}

/** How a pattern reads in a refusal: `"x"`, `glob "refs/heads/*"`, `regex "…"`. */
export function describePattern(pattern: ClaimPattern): string {
  if (pattern.kind === "exact") return JSON.stringify(pattern.value);
  return pattern.kind === "glob"
    ? `glob ${JSON.stringify(pattern.glob)}`
    : `regex ${JSON.stringify(pattern.source)}`;
}
