import { COPIES, findCopyTargets } from "./find-copy-targets.js";
import { findCurlTargets, findWgetTargets } from "./find-download-targets.js";
import { findInPlaceTargets, IN_PLACE_EDITORS } from "./find-in-place-targets.js";
import {
  findSortTargets,
  findSplitTargets,
  findSpongeTargets,
  findUniqTargets,
} from "./find-output-targets.js";
import { findPatchTargets } from "./find-patch-targets.js";
import { findTarTargets } from "./find-tar-targets.js";
import { COMPRESSORS, findCompressorTargets, findUnzipTargets } from "./find-unpack-targets.js";
import type { ShellWord } from "./parse-shell-command.js";
import type { Stdin } from "./read-stdin.js";
import type { WriteWord } from "./write-word.js";

/** Commands that change the files they name without reading them. */
export const WRITES_ALL = new Set(["rm", "touch", "mkdir", "rmdir", "truncate", "unlink", "shred"]);
/** …whose first positional is a mode or owner, not a file. */
const WRITES_AFTER_FIRST = new Set(["chmod", "chown", "chgrp"]);

type Finder = (args: ShellWord[], bin: string, stdin: Stdin) => WriteWord[];

const each = (names: Iterable<string>, find: Finder) =>
  Object.fromEntries([...names].map((n) => [n, find]));

/** How each command names the files it writes (git's are read in map-git-command). */
const FINDERS: Record<string, Finder> = {
  rm: (args) => {
    const tree = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a.text) || a.text === "--recursive");
    return positional(args).map((a) => ({ ...a, tree }));
  },
  ...each(
    [...WRITES_ALL, "tee"].filter((b) => b !== "rm"),
    positional,
  ),
  ...each(WRITES_AFTER_FIRST, (args) => positional(args).slice(1)),
  ...each(COPIES, (args, bin) => findCopyTargets(bin, args)),
  ...each(IN_PLACE_EDITORS, (args, bin) => findInPlaceTargets(bin, args)),
  dd: (args) =>
    args.filter((a) => a.text.startsWith("of=")).map((a) => ({ ...a, text: a.text.slice(3) })),
  curl: findCurlTargets,
  wget: findWgetTargets,
  sort: findSortTargets,
  uniq: findUniqTargets,
  sponge: findSpongeTargets,
  split: (args, bin) => findSplitTargets(bin, args),
  csplit: (args, bin) => findSplitTargets(bin, args),
  patch: (args, _bin, stdin) => findPatchTargets(args, stdin),
  ...each(["tar", "gtar", "bsdtar"], findTarTargets),
  unzip: findUnzipTargets,
  ...each(Object.keys(COMPRESSORS), (args, bin) => findCompressorTargets(bin, args)),
};

/** The paths one command writes among its arguments (redirects aside); `stdin` for a diff patch reads. */
export function findWriteTargets(bin: string, args: ShellWord[], stdin: Stdin): WriteWord[] {
  return Object.hasOwn(FINDERS, bin) ? (FINDERS[bin] as Finder)(args, bin, stdin) : [];
}

function positional(args: ShellWord[]): ShellWord[] {
  return args.filter((a) => !a.text.startsWith("-") || a.text === "-");
}
