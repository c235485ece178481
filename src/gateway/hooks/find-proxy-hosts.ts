import { findUrlHosts, toHostName, UNKNOWN_HOST, UNRESOLVED_HOST } from "./find-hosts.js";
import type { ShellWord } from "./parse-shell-command.js";

/**
 * The hosts a client really connects to when it is told to go elsewhere than the URL it is
 * given: a proxy, a `--resolve` address, a `--connect-to` target. A value named through a
 * variable is `unresolved.invalid`; one leash can't read is `unknown.invalid`. Pure.
 */

const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?|[0-9a-f:.]+)$/;

/**
 * The host a proxy, jump host or destination names (`http://user:pw@host:port`,
 * `user@host:port`, `host`); none for an empty value (curl `-x ""`: no proxy).
 */
export function toEndpointHosts(w: ShellWord): string[] {
  if (w.text.trim() === "" && !w.dynamic) return [];
  const url = findUrlHosts(w.text)[0];
  if (w.dynamic && (url === undefined || /[$`]/.test(url))) return [UNRESOLVED_HOST];
  return [url ?? toRemoteHost(w.text.replace(/\/.*$/s, ""))];
}

/** `[user[:pw]@]host[:rest]` (IPv6 in brackets) → the host, checked to look like one. */
export function toRemoteHost(text: string): string {
  const at = text.lastIndexOf("@");
  const rest = text.slice(at + 1);
  const raw = rest.startsWith("[") ? rest : (rest.split(":")[0] as string);
  return toCheckedHost(toHostName(raw));
}

/** curl's and git's `--resolve [+]HOST:PORT:ADDR[,ADDR…]`: the addresses connected to (`-HOST:PORT` removes one). */
export function toResolveHosts(w: ShellWord): string[] {
  if (w.dynamic) return [UNRESOLVED_HOST];
  if (w.text.startsWith("-")) return [];
  const m = /^\+?(?:\[[^\]]*\]|[^:[]*):\d*:(.+)$/s.exec(w.text.trim());
  return m ? toAddressList(m[1] as string) : [UNKNOWN_HOST];
}

/** curl's `--connect-to HOST1:PORT1:HOST2:PORT2`: HOST2, the one connected to (none when empty: the same host). */
export function toConnectToHosts(w: ShellWord): string[] {
  if (w.dynamic) return [UNRESOLVED_HOST];
  const m = /^(?:\[[^\]]*\]|[^:[]*):\d*:(\[[^\]]*\]|[^:[]*):\d*$/.exec(w.text.trim());
  if (!m) return [UNKNOWN_HOST];
  return m[1] === "" ? [] : [toCheckedHost(toHostName(m[1] as string))];
}

/** A comma-separated list of addresses, each `[v6]`, a bare IPv6 or `host[:port]` (curl's `--dns-servers`). */
export function toAddressList(text: string): string[] {
  return text.split(",").map((a) => {
    const t = a.trim();
    const bareV6 = !t.startsWith("[") && (t.match(/:/g)?.length ?? 0) > 1;
    return toCheckedHost(bareV6 ? t.toLowerCase() : toHostName(t));
  });
}

/** The host, or unknown.invalid when it doesn't look like one. */
export function toCheckedHost(h: string): string {
  return HOST_NAME.test(h) ? h : UNKNOWN_HOST;
}
