import type { ShellWord } from "./parse-shell-command.js";

/** A path a command writes; `tree` when a whole directory tree may land there (or leave it). */
export interface WriteWord extends ShellWord {
  tree?: boolean;
}

/**
 * A write whose path the command line doesn't say (a name the server sends, the files a
 * diff on stdin names): unresolved, so policy takes it as touching control paths.
 * `label` is fixed text, never the data the names come from (that could hold a token).
 */
export const toUnknownTarget = (label: string): WriteWord => ({ text: label, dynamic: true });

/** `name` inside `dir` (the cwd when undefined), as the command joins them: `od` + `/tmp/x` is `od//tmp/x`. */
export function toPathIn(dir: ShellWord | undefined, name: ShellWord, tree = false): WriteWord {
  const joined: WriteWord =
    dir === undefined
      ? { ...name }
      : {
          text: `${dir.text.replace(/\/+$/, "") || "/"}/${name.text}`,
          dynamic: dir.dynamic || name.dynamic,
          ...(dir.glob || name.glob ? { glob: true } : {}),
        };
  return tree ? { ...joined, tree } : joined;
}

/** `text` as a literal word (for names a finder computes, like a URL's last segment). */
export const toWord = (text: string, glob = false): ShellWord =>
  glob ? { text, dynamic: false, glob } : { text, dynamic: false };
