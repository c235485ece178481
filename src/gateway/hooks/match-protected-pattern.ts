/** What a protected workspace location is: git's own files, agents' hook settings, CI/leash control. */
export type ProtectedKind = "git" | "agent" | "control";

/**
 * Anchored locations, as lower-case path segments, most specific refusal first. Mirrors
 * GIT_CONTROL and AGENT_CONFIG (map-file-access) and CONTROL (classify-path) at directory
 * level; keep the three in step. A `file` is held only by itself: copying a tree into `docs`
 * is not a write of `docs/CODEOWNERS` here (the git gateway still sees what lands there).
 * Compared without regard to case, as on macOS and Windows runners.
 */
const LOCATIONS: { segments: string[]; kind: ProtectedKind; file?: true }[] = [
  { segments: [".git"], kind: "git" },
  { segments: [".claude"], kind: "agent" },
  { segments: [".codex"], kind: "agent" },
  { segments: [".github", "hooks"], kind: "agent" },
  { segments: [".github", "workflows"], kind: "control" },
  { segments: [".github", "actions"], kind: "control" },
  { segments: [".github", "codeowners"], kind: "control", file: true },
  { segments: [".gitlab"], kind: "control" },
  { segments: ["policies"], kind: "control" },
  { segments: [".gitlab-ci.yml"], kind: "control", file: true },
  { segments: ["codeowners"], kind: "control", file: true },
  { segments: ["docs", "codeowners"], kind: "control", file: true },
  { segments: ["leash.yaml"], kind: "control", file: true },
  { segments: ["leash.yml"], kind: "control", file: true },
];
/** Control file names that count at any depth (`**\/action.yml`). */
const ANYWHERE = ["action.yml", "action.yaml"];

/**
 * Could the glob `rel` (workspace-relative, `*`, `?`, `[…]`, `**`) name a protected
 * location, something inside one, or a directory holding one? The first kind it could,
 * or null. Conservative: a leading `*` is taken to match dot files too (`shopt -s dotglob`).
 */
export function matchProtectedPattern(rel: string): ProtectedKind | null {
  const segments = rel === "." ? [] : rel.split("/");
  for (const loc of LOCATIONS) if (overlaps(segments, loc.segments)) return loc.kind;
  const last = segments.at(-1);
  if (last !== undefined && (last.includes("**") || ANYWHERE.some((n) => toRegExp(last).test(n))))
    return "control";
  return null;
}

/**
 * True for a literal path written as a whole tree (`cp -r x D`, `mv x D`, `rm -r D`) that
 * is, or holds, a protected location: what lands in it is not known.
 */
export function holdsProtected(rel: string): ProtectedKind | null {
  // The workspace root holds them all: what lands there is policy's question, not a refusal.
  if (rel === ".") return "control";
  const segments = rel.toLowerCase().split("/");
  const loc = LOCATIONS.find(
    (l) =>
      (l.file ? segments.length === l.segments.length : segments.length <= l.segments.length) &&
      segments.every((s, i) => s === l.segments[i]),
  );
  return loc?.kind ?? null;
}

/** Each glob segment matches the location's segment, as far as both go. */
function overlaps(glob: string[], loc: string[]): boolean {
  for (let i = 0; i < Math.min(glob.length, loc.length); i++) {
    const g = glob[i] as string;
    if (g.includes("**")) return true;
    if (!toRegExp(g).test(loc[i] as string)) return false;
  }
  return true;
}

/** One glob segment as an anchored RegExp (`[!…]` and `[^…]` negate). */
function toRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    const close = c === "[" ? segment.indexOf("]", i + 2) : -1;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (close !== -1) {
      const body = segment
        .slice(i + 1, close)
        .replace(/^!/, "^")
        .replace(/\\/g, "\\\\");
      out += `[${body}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  try {
    return new RegExp(`^${out}$`, "i");
  } catch {
    return /^/; // a class leash can't read: it could match anything
  }
}
