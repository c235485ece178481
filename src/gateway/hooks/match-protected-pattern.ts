import { CONTROL_PATHS } from "../../policy/control-paths.js";
import { matchGlobOverlap } from "./match-glob-overlap.js";

/** What a protected workspace location is: git's own files, agents' hook settings, CI/leash control. */
export type ProtectedKind = "git" | "agent" | "control";

/**
 * An anchored location, as lower-case path segments. A `file` is held only by itself:
 * copying a tree into `docs` is not a write of `docs/CODEOWNERS` here (the git gateway still
 * sees what lands there).
 */
interface Location {
  segments: string[];
  kind: ProtectedKind;
  file?: true;
}

/** The control paths in the hook's form: locations, and names that count at any depth. */
export interface ControlLocations {
  locations: Location[];
  /** File names, `*` allowed, that are control wherever they are (`**\/action.yml`). */
  anywhere: string[];
}

/**
 * Derives the hook's locations from control path globs: `dir/**` is a directory, a literal
 * path a file, `**\/name` a name at any depth. Throws on any other shape, so a glob this
 * can't follow fails every hook test at load instead of slipping past the pattern checks.
 */
export function toControlLocations(globs: readonly string[]): ControlLocations {
  const out: ControlLocations = { locations: [], anywhere: [] };
  for (const glob of globs) {
    const segments = glob.toLowerCase().split("/");
    const [first, name] = segments;
    // `?` and `[` are literal in a control glob but special in a shell glob: kept out of both.
    const literal = (s: string[]) => s.every((x) => x !== "" && !/[*?[]/.test(x));
    if (first === "**" && segments.length === 2 && name && !/\*\*|[?[]/.test(name))
      out.anywhere.push(name);
    else if (segments.at(-1) === "**" && literal(segments.slice(0, -1)))
      out.locations.push({ segments: segments.slice(0, -1), kind: "control" });
    else if (literal(segments)) out.locations.push({ segments, kind: "control", file: true });
    else throw new Error(`control path ${glob} has a shape the agent hook can't match`);
  }
  return out;
}

const CONTROL = toControlLocations(CONTROL_PATHS);

/**
 * Most specific refusal first: git's own files and the agents' hook settings (mirroring
 * GIT_CONTROL and AGENT_CONFIG in map-file-access at directory level; keep them in step),
 * then the control paths. Compared without regard to case, as on macOS and Windows runners.
 */
const LOCATIONS: Location[] = [
  { segments: [".git"], kind: "git" },
  { segments: [".claude"], kind: "agent" },
  { segments: [".codex"], kind: "agent" },
  { segments: [".github", "hooks"], kind: "agent" },
  ...CONTROL.locations,
];

/**
 * Could the glob `rel` (workspace-relative, `*`, `?`, `[…]`, `**`) name a protected
 * location, something inside one, or a directory holding one? The first kind it could,
 * or null. Conservative: a leading `*` is taken to match dot files too (`shopt -s dotglob`).
 */
export function matchProtectedPattern(rel: string): ProtectedKind | null {
  const segments = rel === "." ? [] : rel.split("/");
  for (const loc of LOCATIONS) if (overlaps(segments, loc.segments)) return loc.kind;
  const last = segments.at(-1);
  if (
    last !== undefined &&
    (last.includes("**") || CONTROL.anywhere.some((n) => matchGlobOverlap(last, n)))
  )
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
    if (!matchGlobOverlap(g, loc[i] as string)) return false;
  }
  return true;
}
