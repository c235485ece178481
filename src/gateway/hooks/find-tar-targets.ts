import type { ShellWord } from "./parse-shell-command.js";
import {
  compileOptionSpec,
  type GivenOption,
  hasOption,
  lastValue,
  readCommandOptions,
} from "./read-command-options.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

/** GNU tar 1.34's options (`--help`): operations, and which take a value (bsdtar is read with them). */
const TAR = compileOptionSpec(
  "b:C:f:F:g:H:I:K:L:N:T:V:X:",
  {},
  `
  absolute-names=P acls add-file: after-date=N: anchored append=r atime-preserve::
  auto-compress=a backup:: block-number=R blocking-factor=b: bzip2=j catenate=A
  check-device check-links=l checkpoint:: checkpoint-action: clamp-mtime compare=d
  compress=Z concatenate=A confirmation=w create=c delay-directory-restore delete
  dereference=h diff=d directory=C: exclude: exclude-backups exclude-caches
  exclude-caches-all exclude-caches-under exclude-from=X: exclude-ignore:
  exclude-ignore-recursive: exclude-tag: exclude-tag-all: exclude-tag-under: exclude-vcs
  exclude-vcs-ignores extract=x file=f: files-from=T: force-local format=H: full-time
  get=x group: group-map: gunzip=z gzip=z hard-dereference help hole-detection:
  ignore-case ignore-command-error ignore-failed-read ignore-zeros=i incremental=G
  index-file: info-script=F: interactive=w keep-directory-symlink keep-newer-files
  keep-old-files=k label=V: level: list=t listed-incremental=g: lzip lzma lzop mode:
  mtime: multi-volume=M new-volume-script=F: newer=N: newer-mtime: no-acls no-anchored
  no-auto-compress no-check-device no-delay-directory-restore no-ignore-case
  no-ignore-command-error no-null no-overwrite-dir no-quote-chars: no-recursion
  no-same-owner no-same-permissions no-seek no-selinux no-unquote no-verbatim-files-from
  no-wildcards no-wildcards-match-slash no-xattrs null numeric-owner occurrence::
  old-archive one-file-system one-top-level:: overwrite overwrite-dir owner: owner-map:
  pax-option portability posix preserve-order=s preserve-permissions=p quote-chars:
  quoting-style: read-full-records=B record-size: recursion recursive-unlink remove-files
  restrict rmt-command: rsh-command: same-order=s same-owner same-permissions=p seek=n
  selinux show-defaults show-omitted-dirs show-snapshot-field-ranges show-stored-names
  show-transformed-names skip-old-files sort: sparse sparse-version: starting-file=K:
  strip-components: suffix: tape-length=L: test-label to-command: to-stdout=O totals::
  touch=m transform: uncompress=Z ungzip=z unlink-first=U unquote update=u usage
  use-compress-program=I: utc verbatim-files-from verbose=v verify=W version volno-file:
  warning: wildcards wildcards-match-slash xattrs xattrs-exclude: xattrs-include:
  xform=transform: xz=J zstd
`,
);
/** Operations that write the archive `-f` names. */
const WRITES_ARCHIVE = ["c", "r", "u", "A", "delete"];

/**
 * `tar`: an extract (`-x`, `--extract`, `xzf …`) writes a tree into each `-C DIR` (or the
 * cwd), or the members it names there; create, append, update and delete write the `-f`
 * archive (and `--remove-files` removes what went in). Names tar can't be read for —
 * `--to-command`, `-P` (absolute names), a `--checkpoint-action=exec` — are unknown.
 */
export function findTarTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands, unsure } = readCommandOptions(toDashed(args), TAR);
  const out: WriteWord[] = [];
  // An option leash doesn't know may have taken the next word (an `-x`, a `-C`): read the
  // run as an extract of a whole tree at the cwd and at each `-C`, and any operand as written.
  if (unsure)
    out.push(...[toWord("."), ...inDirsGiven(options)].map((d) => ({ ...d, tree: true })));
  if (unsure) out.push(...operands.map((o) => ({ ...o, tree: true })));
  const archive = lastValue(options, "f");
  if (hasOption(options, ...WRITES_ARCHIVE) && archive && archive.text !== "-") out.push(archive);
  for (const o of options)
    if ((o.name === "g" || o.name === "index-file") && o.value) out.push(o.value);
  if (options.some((o) => o.name === "checkpoint-action" && /exec/.test(o.value?.text ?? "exec")))
    out.push(toUnknownTarget("(what tar's checkpoint command writes)"));
  if (hasOption(options, "c") && hasOption(options, "remove-files"))
    out.push(...inDirs(operands, options, toWord(".")));
  if (hasOption(options, "x")) out.push(...extracted(operands, options));
  return out;
}

function extracted(members: ShellWord[], options: GivenOption[]): WriteWord[] {
  if (hasOption(options, "O")) return []; // to stdout
  if (hasOption(options, "to-command"))
    return [toUnknownTarget("(what tar --to-command's program writes)")];
  if (hasOption(options, "P")) return [toUnknownTarget("(the absolute paths a tar -P extracts)")];
  const top = options.findLast((o) => o.name === "one-top-level");
  const base = top?.value && top.value.text !== "" ? top.value : toWord(".");
  // Renamed members land elsewhere: the whole directory is the write.
  const renamed = hasOption(options, "transform", "strip-components");
  if (members.length > 0 && !renamed && !members.some((m) => m.dynamic)) {
    const globs = hasOption(options, "wildcards");
    return inDirs(
      members.map((m) => (globs && /[*?[]/.test(m.text) ? { ...m, glob: true } : m)),
      options,
      base,
    );
  }
  return inDirsGiven(options).map((d) => toPathIn(d, base, true));
}

/** Each `-C DIR` given, or the cwd when none is. */
function inDirsGiven(options: GivenOption[]): ShellWord[] {
  const dirs = options.flatMap((o) => (o.name === "C" && o.value ? [o.value] : []));
  return dirs.length > 0 ? dirs : [toWord(".")];
}

/** Each member under the `-C` given before it (tar applies `-C` to the names after it). */
function inDirs(members: ShellWord[], options: GivenOption[], base: ShellWord): WriteWord[] {
  return members.map((m, i) => {
    const dir = options.findLast((o) => o.name === "C" && o.after <= i)?.value;
    return toPathIn(dir, toPathIn(base, m), true);
  });
}

/** tar's old form, `tar xzf a.tgz`: the first word's letters are options, taking values in order. */
function toDashed(args: ShellWord[]): ShellWord[] {
  const first = args[0];
  if (!first || first.dynamic || first.text.startsWith("-") || !/^[A-Za-z]+$/.test(first.text))
    return args;
  const rest = args.slice(1);
  const dashed: ShellWord[] = [];
  for (const letter of first.text) {
    dashed.push(toWord(`-${letter}`));
    const value = TAR.short.get(letter) === ":" ? rest.shift() : undefined;
    if (value) dashed.push(value);
  }
  return [...dashed, ...rest];
}
