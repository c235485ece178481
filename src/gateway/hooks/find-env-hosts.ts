import { UNKNOWN_HOST } from "./find-hosts.js";
import { toEndpointHosts } from "./find-proxy-hosts.js";
import { findSshCommandHosts } from "./find-ssh-hosts.js";
import type { ShellWord } from "./parse-shell-command.js";

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=(.*)$/s;
/** `https_proxy`, `HTTPS_PROXY`, `ALL_PROXY`, `RSYNC_PROXY`, `npm_config_proxy`; `no_proxy` lists exceptions. */
const PROXY_VARIABLE = /^(?!no_proxy$)(?:[a-z0-9]+_)+proxy$/i;
/** Variables that make git or rsync connect through a command of their choosing. */
const SSH_COMMAND_VARIABLES = new Set(["GIT_SSH_COMMAND", "RSYNC_RSH"]);
const CONNECT_PROGRAM_VARIABLES = new Set(["GIT_PROXY_COMMAND", "GIT_SSH", "RSYNC_CONNECT_PROG"]);

/**
 * Where the environment sends connections (`https_proxy=… curl`, `env ALL_PROXY=…`,
 * `export HTTPS_PROXY=…`, `GIT_SSH_COMMAND='ssh -J …'`): for each `NAME=value` among
 * `words` that sets a proxy or a connecting command, the host it names. Every client run
 * with it (curl, wget, git, npm, pip) connects there, whatever URL it is given.
 */
export function findEnvHosts(words: ShellWord[]): string[] {
  const hosts: string[] = [];
  for (const w of words) {
    const m = ASSIGNMENT.exec(w.text);
    if (!m) continue;
    const name = m[1] as string;
    const value = { ...w, text: m[2] as string };
    if (PROXY_VARIABLE.test(name)) {
      hosts.push(...toEndpointHosts(value));
    } else if (SSH_COMMAND_VARIABLES.has(name)) hosts.push(...findSshCommandHosts(value));
    else if (CONNECT_PROGRAM_VARIABLES.has(name) && (value.text !== "" || value.dynamic))
      hosts.push(UNKNOWN_HOST);
  }
  return hosts;
}
