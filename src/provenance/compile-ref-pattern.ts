/**
 * Compiles a source-ref constraint: exact unless it contains `*`, then a glob in which `*`
 * stays within one path segment and `**` crosses segments. Always anchored.
 */
export function compileRefPattern(pattern: string): (ref: string) => boolean {
  if (!pattern.includes("*")) return (ref) => ref === pattern;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (ch === "*") {
      source += "[^/]*";
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  const re = new RegExp(`^${source}$`);
  return (ref) => re.test(ref);
}
