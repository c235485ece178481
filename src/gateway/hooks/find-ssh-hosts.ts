import { findUrlHosts, UNKNOWN_HOST, UNRESOLVED_HOST } from "./find-hosts.js";
import { toEndpointHosts, toRemoteHost } from "./find-proxy-hosts.js";
import { RSYNC, SCP, SFTP, SSH } from "./network-client-options.js";
import { parseShellCommand, type ShellWord } from "./parse-shell-command.js";
import { type GivenOption, readCommandOptions } from "./read-command-options.js";

/**
 * `ssh`, `sftp`: the destination, then the hosts the connection really goes through (jump
 * hosts, `-o HostName=`, `-o ProxyJump=`; a `ProxyCommand`, a config file or another program
 * is unknown). Never empty: a command naming no destination is unknown.
 */
export function findSshHosts(bin: "ssh" | "sftp", args: ShellWord[]): string[] {
  const { options, operands } = readCommandOptions(args, bin === "ssh" ? SSH : SFTP);
  const dest = operands[0];
  const to = dest ? toEndpointHosts(dest) : [];
  return [...(to.length > 0 ? to : [UNKNOWN_HOST]), ...findSshRedirects(options, bin === "sftp")];
}

/**
 * `scp`, `rsync`: the remote side of each operand (`[user@]host:path`, rsync's `host::module`,
 * `scp://`, `rsync://`), then the hosts the connection goes through (scp's ssh options,
 * rsync's `-e`/`--rsh` command). Empty for a copy between local paths: that is no egress.
 */
export function findCopyHosts(bin: "scp" | "rsync", args: ShellWord[]): string[] {
  const { options, operands } = readCommandOptions(args, bin === "scp" ? SCP : RSYNC);
  const remotes = operands.flatMap(toCopyRemote);
  if (remotes.length === 0) return [];
  if (bin === "scp") return [...remotes, ...findSshRedirects(options, true)];
  const rsh = options.findLast((o) => o.name === "e")?.value;
  return [...remotes, ...(rsh ? findSshCommandHosts(rsh) : [])];
}

/**
 * A remote shell given as a command line (rsync `-e`, git `core.sshCommand`): ssh's
 * redirects when it is ssh; any other program connects where it likes (unknown).
 */
export function findSshCommandHosts(command: ShellWord): string[] {
  if (command.dynamic) return [UNRESOLVED_HOST];
  const words = parseShellCommand(command.text, "").commands[0]?.words ?? [];
  const bin = words[0]?.text.replace(/^.*\//, "");
  if (bin !== "ssh") return [UNKNOWN_HOST];
  return findSshRedirects(readCommandOptions(words.slice(1), SSH).options, false);
}

/** `-J`, `-o ProxyJump|ProxyCommand|HostName`, `-F` and (scp, sftp) `-S program`. */
function findSshRedirects(options: GivenOption[], sIsProgram: boolean): string[] {
  const hosts: string[] = [];
  for (const { name, value } of options) {
    if (value === undefined) continue;
    if (name === "J") hosts.push(...toJumpHosts(value));
    else if (name === "o") hosts.push(...toOptionHosts(value));
    else if (name === "F" && (value.dynamic || !/^(\/dev\/null|none)$/.test(value.text)))
      hosts.push(UNKNOWN_HOST); // a config file can set HostName, ProxyJump, ProxyCommand
    else if (name === "S" && sIsProgram) hosts.push(UNKNOWN_HOST);
  }
  return hosts;
}

/** `-o Key=value` or `-o "Key value"` (keys in any case). */
function toOptionHosts(w: ShellWord): string[] {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(w.text);
  if (!m) return w.dynamic ? [UNRESOLVED_HOST] : [];
  const key = (m[1] as string).toLowerCase();
  const value = { ...w, text: (m[2] as string).trim() };
  if (key === "proxyjump") return toJumpHosts(value);
  if (key === "proxycommand") return value.text === "none" && !w.dynamic ? [] : [UNKNOWN_HOST];
  if (key !== "hostname") return [];
  if (w.dynamic) return [UNRESOLVED_HOST];
  return value.text.includes("%") ? [UNKNOWN_HOST] : [toRemoteHost(value.text)];
}

/** `-J [user@]host[:port][,…]` or `ssh://` URLs; `none` is no jump. */
function toJumpHosts(w: ShellWord): string[] {
  if (w.dynamic) return [UNRESOLVED_HOST];
  if (w.text === "none") return [];
  return w.text.split(",").flatMap((j) => toEndpointHosts({ ...w, text: j }));
}

/**
 * The host of a copy operand, as scp and rsync tell remote from local: a URL, or a `:`
 * before any `/` (`./a:b` is local). A word named through a variable before any `/` could
 * be remote: unresolved.
 */
function toCopyRemote(w: ShellWord): string[] {
  const url = findUrlHosts(w.text)[0];
  if (url !== undefined) return [w.dynamic && /[$`]/.test(url) ? UNRESOLVED_HOST : url];
  const m = /^((?:[^:/[]*\[[^\]]*\])?[^:/[]*):/.exec(w.text);
  const beforeSlash = w.text.split("/")[0] as string;
  if (w.dynamic && /[$`]/.test(m ? (m[1] as string) : beforeSlash)) return [UNRESOLVED_HOST];
  if (!m || m[1] === "") return [];
  return [toRemoteHost(m[1] as string)];
}
