import { findScpHost, findUrlHosts, UNKNOWN_HOST } from "./find-hosts.js";
import { toEndpointHosts, toResolveHosts } from "./find-proxy-hosts.js";
import { findSshCommandHosts } from "./find-ssh-hosts.js";
import type { ShellWord } from "./parse-shell-command.js";

/** `http.proxy`, `http.<url>.proxy`, `remote.<name>.proxy`. */
const PROXY_KEY = /^(?:http(?:\..+)?|remote\..+)\.proxy$/i;
/** `http.curloptResolve` (git 2.37), also per URL. */
const RESOLVE_KEY = /^http(?:\..+)?\.curloptresolve$/i;
/** `url.<base>.insteadOf`: git fetches from (or pushes to) `<base>` instead of the URL written. */
const INSTEAD_OF_KEY = /^url\.(.+)\.(?:push)?insteadof$/i;

/**
 * Where `git -c key=value …` (and `--config-env`) sends connections, whatever remote the
 * command names: a proxy, a resolve address, a rewritten URL's host, an ssh command's jump
 * hosts (`core.sshCommand`), a proxy command (`core.gitProxy`: unknown).
 */
export function findGitConfigHosts(args: ShellWord[]): string[] {
  const hosts: string[] = [];
  for (let i = 0; i < args.length && (args[i] as ShellWord).text.startsWith("-"); i++) {
    const a = args[i] as ShellWord;
    if (a.text === "-c" || a.text === "--config-env") {
      const next = args[++i];
      if (next) hosts.push(...toSettingHosts(next, a.text === "--config-env"));
    } else if (a.text.startsWith("--config-env="))
      hosts.push(...toSettingHosts({ ...a, text: a.text.slice(13) }, true));
    else if (["-C", "--git-dir", "--work-tree", "--namespace", "--exec-path"].includes(a.text)) i++;
  }
  return hosts;
}

/** One `key=value` (for `--config-env`, `key=ENVVAR`: the value comes from the environment). */
function toSettingHosts(w: ShellWord, fromEnv: boolean): string[] {
  const eq = w.text.indexOf("=");
  if (eq === -1) return [];
  const key = w.text.slice(0, eq);
  const raw = { ...w, text: w.text.slice(eq + 1), dynamic: w.dynamic || fromEnv };
  const base = INSTEAD_OF_KEY.exec(key)?.[1];
  if (base !== undefined) return [findUrlHosts(base)[0] ?? findScpHost(base) ?? UNKNOWN_HOST];
  const k = key.toLowerCase();
  if (PROXY_KEY.test(k)) return toEndpointHosts(raw);
  if (RESOLVE_KEY.test(k)) return toResolveHosts(raw);
  if (k === "core.sshcommand") return findSshCommandHosts(raw);
  if (k === "core.gitproxy") return raw.text === "" && !raw.dynamic ? [] : [UNKNOWN_HOST];
  return [];
}
