import {
  findHosts,
  findUrlHosts,
  isLoopback,
  UNKNOWN_HOST,
  UNRESOLVED_HOST,
} from "./find-hosts.js";
import { egress, type MappedCallBuilder, secretRead } from "./leash-request.js";
import type { ShellWord } from "./parse-shell-command.js";

/**
 * Network clients, with the options whose value is the next argument (so a value such as
 * `-o out.json` is not read as a host), and how they name their target: `url` (URLs or bare
 * host names), `scp` (URLs or `host:path`), `host` (the first positional, `user@host`).
 */
type Mode = "url" | "scp" | "host";
const client = (mode: Mode, ...takesValue: string[]) => ({ mode, takesValue: new Set(takesValue) });
const CLIENTS: Record<string, { mode: Mode; takesValue: ReadonlySet<string> }> = {
  curl: client(
    "url",
    "-o",
    "-H",
    "-d",
    "-u",
    "-X",
    "-A",
    "-e",
    "-T",
    "-w",
    "-F",
    "-b",
    "-c",
    "-K",
    "-m",
    "-r",
    "-E",
    "-Y",
    "-y",
    "-z",
    "--output",
    "--header",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--user",
    "--request",
    "--user-agent",
    "--referer",
    "--upload-file",
    "--write-out",
    "--form",
    "--cookie",
    "--cookie-jar",
    "--config",
    "--retry",
    "--max-time",
    "--connect-timeout",
    "--cert",
    "--key",
    "--cacert",
    "--resolve",
    "--connect-to",
  ),
  wget: client(
    "url",
    "-O",
    "-o",
    "-a",
    "-P",
    "-U",
    "-e",
    "-t",
    "-T",
    "-w",
    "--header",
    "--post-data",
    "--post-file",
    "--user",
    "--password",
    "--output-document",
    "--directory-prefix",
    "--user-agent",
    "--tries",
    "--timeout",
  ),
  http: client("url", "-a", "--auth", "-o", "--output", "--session"),
  https: client("url", "-a", "--auth", "-o", "--output", "--session"),
  xh: client("url", "-a", "--auth", "-o", "--output", "--session"),
  aria2c: client("url", "-d", "-o", "--dir", "--out"),
  scp: client("scp", "-i", "-P", "-o", "-F", "-J", "-c", "-l"),
  rsync: client("scp", "-e", "--rsh", "--exclude", "--include", "--filter"),
  ssh: client(
    "host",
    "-i",
    "-p",
    "-l",
    "-o",
    "-F",
    "-L",
    "-R",
    "-D",
    "-J",
    "-W",
    "-E",
    "-c",
    "-m",
    "-b",
  ),
  sftp: client("host", "-i", "-P", "-o", "-F", "-J", "-b"),
  nc: client("host", "-p", "-s", "-w", "-i"),
  ncat: client("host", "-p", "-s", "-w", "-i"),
  netcat: client("host", "-p", "-s", "-w", "-i"),
  telnet: client("host"),
  ftp: client("host"),
  lftp: client("host", "-u", "-p", "-e"),
  dig: client("host", "-p", "-t", "-c", "-q"),
  nslookup: client("host"),
  host: client("host", "-t", "-c", "-W"),
  ping: client("host", "-c", "-i", "-w", "-W", "-s"),
  socat: client("url"),
  openssl: client("url", "-connect"),
};

/** Cloud CLIs talk to their provider's API (hosts named for the decision log). */
const CLOUD_CLIS: Record<string, string> = {
  aws: "amazonaws.com",
  gcloud: "googleapis.com",
  gsutil: "storage.googleapis.com",
  az: "management.azure.com",
  gh: "api.github.com",
};

/** Interpreters and the flags that take inline code. */
const INLINE_CODE: Record<string, ReadonlySet<string>> = {
  node: new Set(["-e", "--eval", "-p", "--print"]),
  python: new Set(["-c"]),
  python3: new Set(["-c"]),
  ruby: new Set(["-e"]),
  perl: new Set(["-e", "-E"]),
  php: new Set(["-r"]),
  deno: new Set(["eval"]),
  bun: new Set(["-e", "--eval"]),
};
const NETWORK_CODE =
  /\b(fetch|https?\.(get|request)|urllib|requests\.|socket|net\.connect|XMLHttpRequest|WebSocket|Net::HTTP|open-uri|LWP|curl_exec)\b/;

/** True when `bin` is a network client or cloud CLI this module decided (egress added). */
export function mapNetworkCommand(
  bin: string,
  args: ShellWord[],
  out: MappedCallBuilder,
  purpose: string | undefined,
): boolean {
  const known = CLIENTS[bin];
  if (known) {
    const hosts = findHosts(known.mode, positionals(args, known.takesValue), args);
    addEgress(hosts.length > 0 ? hosts : [UNKNOWN_HOST], out);
    return true;
  }
  const cloud = CLOUD_CLIS[bin];
  if (cloud === undefined) return false;
  const sub = args.map((a) => a.text);
  if (
    bin === "gh" &&
    sub[0] === "auth" &&
    (sub[1] === "token" || sub.includes("--show-token") || sub.includes("-t"))
  )
    out.add(secretRead("gh:auth-token", purpose));
  else if (bin === "gcloud" && sub.includes("print-access-token"))
    out.add(secretRead("gcloud:access-token", purpose));
  else addEgress([cloud], out);
  return true;
}

/** Inline code (`node -e`, `python -c`, …): egress to every URL in it; network calls without one are unresolved. */
export function mapInlineCode(bin: string, args: ShellWord[], out: MappedCallBuilder): boolean {
  const flags = INLINE_CODE[bin];
  if (!flags) return false;
  const at = args.findIndex((a) => flags.has(a.text));
  const code = at === -1 ? undefined : args[at + 1];
  if (!code) return false;
  const hosts = findUrlHosts(code.text);
  if (hosts.length === 0 && (code.dynamic || NETWORK_CODE.test(code.text)))
    hosts.push(UNRESOLVED_HOST);
  addEgress(hosts, out);
  return hosts.length > 0;
}

/** Egress to each host; the runner's own loopback is local and asks nothing. */
export function addEgress(hosts: string[], out: MappedCallBuilder): void {
  for (const h of hosts) if (!isLoopback(h)) out.add(egress(h));
}

function positionals(args: ShellWord[], takesValue: ReadonlySet<string>): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (takesValue.has(a.text)) i++;
    else if (a.text.startsWith("--url=")) out.push({ ...a, text: a.text.slice(6) });
    else if (!a.text.startsWith("-")) out.push(a);
  }
  return out;
}
