import { posix } from "node:path";
import { readCurlArgs, readWgetArgs } from "./network-client-options.js";
import type { ShellWord } from "./parse-shell-command.js";
import { hasOption, lastValue } from "./read-command-options.js";
import { toPathIn, toUnknownTarget, toWord, type WriteWord } from "./write-word.js";

/** curl options that name a file it writes besides the download (`-` is stdout). */
const CURL_FILES = [
  "D",
  "c",
  "trace",
  "trace-ascii",
  "stderr",
  "libcurl",
  "etag-save",
  "hsts",
  "alt-svc",
];

/** wget options that name a file it writes besides the download (`-` is stdout). */
const WGET_FILES = ["o", "a", "O", "save-cookies", "rejected-log", "hsts-file"];

/** An option leash doesn't know may have taken the next word (a URL, an `-o`): what it writes is unknown. */
const UNSURE = toUnknownTarget("(the files a download writes with an option leash doesn't know)");

/** wget `-e` commands that write no file (`-e robots=off` is common; anything else could set `output_document`). */
const WGET_HARMLESS_COMMANDS =
  /^\s*(robots|tries|timeout|wait|user_?agent|header|verbose|quiet)\s*=/i;

/**
 * `curl`: `-o FILE` (in `--output-dir` when given; `#1` templates are patterns), `-O`
 * (the URL's last path segment, in `--output-dir` or the cwd), the header, cookie and trace
 * files it writes. A name the server chooses (`-J`), options or URLs from a file (`-K`,
 * `--url @file`) are unknown.
 */
export function findCurlTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands, unsure } = readCurlArgs(args);
  const dir = lastValue(options, "output-dir");
  const out: WriteWord[] = unsure ? [UNSURE] : [];
  for (const o of options) {
    if (o.value === undefined || (o.value.text === "-" && !o.value.dynamic)) continue;
    if (o.name === "o") out.push(toPathIn(dir, toCurlTemplate(o.value)));
    else if (CURL_FILES.includes(o.name)) out.push(o.value);
    else if (o.name === "K") out.push(toUnknownTarget("(the files curl -K's config names)"));
    // curl 8.13's `--url @file` reads URLs from the file and saves each as -O does.
    else if (o.name === "url" && o.value.text.startsWith("@"))
      out.push(toUnknownTarget("(the files curl --url @file saves)"));
  }
  if (!hasOption(options, "O")) return out;
  const urls = [
    ...operands,
    ...options.flatMap((o) => (o.name === "url" && o.value ? [o.value] : [])),
  ];
  const globs = !hasOption(options, "g");
  for (const u of urls) {
    const name = hasOption(options, "J") ? undefined : toRemoteName(u, false);
    if (name === "") continue; // curl refuses a URL with no file name
    out.push(
      name === undefined
        ? toUnknownTarget("(the file name curl -O takes from the server or a variable)")
        : toPathIn(dir, toWord(name, globs && /[[{]/.test(name))),
    );
  }
  return out;
}

/**
 * `wget`: `-O FILE`; else each URL's last path segment (`index.html` for none) in
 * `-P DIR` or the cwd; a recursive or `-x` download is a tree there. The log files it
 * writes (`-o`, `-a`). A name the server chooses, URLs read from a file, and `-e` commands
 * are unknown.
 */
export function findWgetTargets(args: ShellWord[]): WriteWord[] {
  const { options, operands, unsure } = readWgetArgs(args);
  const dir = lastValue(options, "P");
  const out: WriteWord[] = unsure ? [UNSURE] : [];
  for (const o of options) {
    if (o.value === undefined || (o.value.text === "-" && !o.value.dynamic)) continue;
    if (WGET_FILES.includes(o.name)) out.push(o.value);
    // `--warc-file=F` writes F.warc.gz (F.warc, F-NNNNN.warc.gz, F.cdx): the pattern F*.
    else if (o.name === "warc-file") out.push({ ...o.value, text: `${o.value.text}*`, glob: true });
    else if (o.name === "config")
      out.push(toUnknownTarget("(the files wget --config's file names)"));
    else if (o.name === "e" && (o.value.dynamic || !WGET_HARMLESS_COMMANDS.test(o.value.text)))
      out.push(toUnknownTarget("(the files a wget -e command names)"));
  }
  if (hasOption(options, "O")) return out;
  // Recursive and -x downloads rebuild the server's paths under the directory.
  if (hasOption(options, "r", "m", "p", "x")) return [...out, toPathIn(dir, toWord("."), true)];
  const unknown = toUnknownTarget(
    "(the file name wget takes from the server, a list or a variable)",
  );
  if (hasOption(options, "content-disposition", "trust-server-names", "i"))
    return [...out, unknown];
  for (const u of operands) {
    const name = toRemoteName(u, true);
    out.push(name === undefined ? unknown : toPathIn(dir, toWord(name || "index.html")));
  }
  return out;
}

/**
 * The last path segment of a URL (query and fragment dropped, which only makes a protected
 * name more likely), `""` when it has none; undefined when it is named through a variable or
 * decodes to a path. wget decodes `%XX`; curl saves the name as written.
 */
function toRemoteName(url: ShellWord, decode: boolean): string | undefined {
  if (url.dynamic) return undefined;
  const path = url.text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/[?#].*$/s, "");
  const slash = path.indexOf("/");
  if (slash === -1 || path.endsWith("/")) return "";
  const name = posix.basename(path.slice(slash));
  if (!decode) return name;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    decoded = name;
  }
  return decoded.includes("/") || decoded === "." || decoded === ".." ? undefined : decoded;
}

/** `-o "#1.yml"`: curl fills `#N` from the URL's globs, so it is a pattern. */
function toCurlTemplate(w: ShellWord): ShellWord {
  return /#\d/.test(w.text) ? { ...w, text: w.text.replace(/#\d+/g, "*"), glob: true } : w;
}
