/** The file names in a diff's headers: `prefixed` ones take `-p` stripping, git's rename and copy names don't. */
export interface DiffPaths {
  prefixed: string[];
  exact: string[];
}

/** Context-diff hunk ranges (`*** 1,5 ****`, `--- 1,5 ----`): not names. */
const HUNK_RANGE = /^(\*\*\*|---) \d+(,\d+)? (\*\*\*\*|----)$/;

/**
 * Reads the file names a diff names: `--- a/x`, `+++ b/x`, `*** x`, `Index: x`,
 * `diff --git a/x b/y`, `rename|copy from|to x`. Over-reads on purpose (a removed line
 * `-- x` reads as a name; a name with a timestamp after spaces counts both ways), since a
 * name missed is a write missed. Null when it names none or quotes one (git's `"a/\303\251"`):
 * what it writes is then unknown.
 */
export function readDiffPaths(text: string): DiffPaths | null {
  const prefixed = new Set<string>();
  const exact = new Set<string>();
  for (const line of text.split("\n")) {
    const git = /^diff --git (.+)$/.exec(line);
    const header = /^(?:---|\+\+\+|\*\*\*|Index:) (.+)$/.exec(line);
    const renamed = /^(?:rename|copy) (?:from|to) (.+)$/.exec(line);
    const names = git
      ? (git[1] as string).split(/\s+/)
      : header && !HUNK_RANGE.test(line)
        ? readHeaderName(header[1] as string)
        : renamed
          ? [renamed[1] as string]
          : [];
    if (names.some((n) => n.startsWith('"'))) return null;
    for (const n of names) if (n !== "/dev/null" && n !== "") (renamed ? exact : prefixed).add(n);
  }
  if (prefixed.size === 0 && exact.size === 0) return null;
  return { prefixed: [...prefixed], exact: [...exact] };
}

/** `a/x.yml\t2024-01-01 …`: the name before a tab; before a space as well, in case. */
function readHeaderName(rest: string): string[] {
  const name = rest.split("\t")[0]?.trimEnd() ?? "";
  const first = name.split(" ")[0] ?? "";
  return first === name ? [name] : [name, first];
}
