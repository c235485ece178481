import { findHosts, UNKNOWN_HOST, UNRESOLVED_HOST } from "./find-hosts.js";
import {
  toAddressList,
  toConnectToHosts,
  toEndpointHosts,
  toResolveHosts,
} from "./find-proxy-hosts.js";
import { readCurlArgs, readWgetArgs } from "./network-client-options.js";
import type { ShellWord } from "./parse-shell-command.js";

/** curl's options whose value is a proxy it connects to instead of the URL's host. */
const CURL_PROXIES = new Set(["x", "preproxy", "socks4", "socks4a", "socks5", "socks5-hostname"]);

/**
 * `curl`: the URLs' hosts (operands, `--url`), then where it really connects: proxies,
 * `--resolve` addresses, `--connect-to` targets, `--dns-servers`. URLs or options read from
 * a file (`--url @file`, `-K`/`--config`) are unknown. Read with the same option spec as
 * the files curl writes (find-download-targets), so a value is never taken for a host.
 */
export function findCurlHosts(args: ShellWord[]): string[] {
  const { options, operands } = readCurlArgs(args);
  const urls = [...operands];
  const via: string[] = [];
  for (const { name, value } of options) {
    if (name === "K") via.push(UNKNOWN_HOST);
    if (value === undefined) continue;
    if (name === "url" && value.text.startsWith("@")) via.push(UNKNOWN_HOST);
    else if (name === "url") urls.push(value);
    else if (CURL_PROXIES.has(name)) via.push(...toEndpointHosts(value));
    else if (name === "resolve") via.push(...toResolveHosts(value));
    else if (name === "connect-to") via.push(...toConnectToHosts(value));
    else if (name === "dns-servers")
      via.push(...(value.dynamic ? [UNRESOLVED_HOST] : toAddressList(value.text)));
  }
  return [...findHosts("url", urls, args), ...via];
}

/**
 * `wget`: the URLs' hosts, then the proxies its `-e` commands set (`https_proxy=host:port`;
 * wgetrc commands ignore case, `_` and `-`). URLs read from a file (`-i`, `-e input=`,
 * `--config`, `--input-metalink`) are unknown.
 */
export function findWgetHosts(args: ShellWord[]): string[] {
  const { options, operands } = readWgetArgs(args);
  const via: string[] = [];
  for (const { name, value } of options) {
    if (name === "i" || name === "config" || name === "input-metalink") via.push(UNKNOWN_HOST);
    else if (name === "e" && value) via.push(...toWgetrcHosts(value));
  }
  return [...findHosts("url", operands, args), ...via];
}

/** One wgetrc command (`-e name=value`): the proxy it sets, or unknown for `input`. */
function toWgetrcHosts(w: ShellWord): string[] {
  const m = /^\s*([A-Za-z_-]+)\s*=\s*(.*)$/s.exec(w.text);
  if (!m) return w.dynamic ? [UNRESOLVED_HOST] : [];
  const command = (m[1] as string).toLowerCase().replace(/[_-]/g, "");
  if (command === "input") return [UNKNOWN_HOST];
  if (!/^(https?|ftps?)proxy$/.test(command)) return [];
  return toEndpointHosts({ ...w, text: m[2] as string });
}
