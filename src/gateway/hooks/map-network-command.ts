import { findCurlHosts, findWgetHosts } from "./find-download-hosts.js";
import {
  findHosts,
  findUrlHosts,
  isLoopback,
  UNKNOWN_HOST,
  UNRESOLVED_HOST,
} from "./find-hosts.js";
import { toEndpointHosts } from "./find-proxy-hosts.js";
import { findCopyHosts, findSshHosts } from "./find-ssh-hosts.js";
import { egress, type MappedCallBuilder, secretRead } from "./leash-request.js";
import type { ShellWord } from "./parse-shell-command.js";

/**
 * Network clients read here, with the options whose value is the next argument (so a value
 * such as `-o out.json` is not read as a host), and how they name their target: `url` (URLs
 * or bare host names), `host` (the first positional, `user@host`). `via`: options whose value
 * is the host really connected to (`nc -x proxy`, `openssl -connect host:port`). curl, wget,
 * ssh, sftp, scp and rsync are read by getopt-style specs of their own (CLIENT_FINDERS).
 */
type Mode = "url" | "host";
const client = (mode: Mode, takesValue: string[], via: string[] = []) => ({
  mode,
  takesValue: new Set([...takesValue, ...via]),
  via: new Set(via),
});
const CLIENTS: Record<string, ReturnType<typeof client>> = {
  http: client("url", ["-a", "--auth", "-o", "--output", "--session"]),
  https: client("url", ["-a", "--auth", "-o", "--output", "--session"]),
  xh: client("url", ["-a", "--auth", "-o", "--output", "--session"]),
  aria2c: client("url", ["-d", "-o", "--dir", "--out"]),
  nc: client("host", ["-p", "-s", "-w", "-i", "-X"], ["-x"]),
  ncat: client("host", ["-p", "-s", "-w", "-i"], ["--proxy"]),
  netcat: client("host", ["-p", "-s", "-w", "-i", "-X"], ["-x"]),
  telnet: client("host", []),
  ftp: client("host", []),
  lftp: client("host", ["-u", "-p", "-e"]),
  dig: client("host", ["-p", "-t", "-c", "-q"]),
  nslookup: client("host", []),
  host: client("host", ["-t", "-c", "-W"]),
  ping: client("host", ["-c", "-i", "-w", "-W", "-s"]),
  socat: client("url", []),
  openssl: client("url", [], ["-connect", "-proxy"]),
};

/** Clients whose options are read by spec: the hosts they name and connect through. */
const CLIENT_FINDERS: Record<string, (args: ShellWord[]) => string[]> = {
  curl: findCurlHosts,
  wget: findWgetHosts,
  ssh: (args) => findSshHosts("ssh", args),
  sftp: (args) => findSshHosts("sftp", args),
};
/** Copies, which are egress only when a side is remote (a local copy is a local run). */
const COPY_CLIENTS: Record<string, (args: ShellWord[]) => string[]> = {
  scp: (args) => findCopyHosts("scp", args),
  rsync: (args) => findCopyHosts("rsync", args),
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
  const copy = COPY_CLIENTS[bin]?.(args);
  if (copy) {
    addEgress(copy, out);
    return copy.length > 0;
  }
  const known = CLIENTS[bin];
  const finder = CLIENT_FINDERS[bin];
  if (known || finder) {
    const hosts = finder ? finder(args) : findClientHosts(known as Client, args);
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

type Client = ReturnType<typeof client>;

/** The hosts a client from CLIENTS names, then those its `via` options connect to. */
function findClientHosts(known: Client, args: ShellWord[]): string[] {
  const via = args.flatMap((a, i) => {
    const value = args[i + 1];
    return known.via.has(a.text) && value ? toEndpointHosts(value) : [];
  });
  return [...findHosts(known.mode, positionals(args, known.takesValue), args), ...via];
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
