import type { ShellWord } from "./parse-shell-command.js";

/** The host a request goes to when the command names it only through a variable. */
export const UNRESOLVED_HOST = "unresolved.invalid";
/** The host of a network client whose target leash can't find on its command line. */
export const UNKNOWN_HOST = "unknown.invalid";

const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@"']*@)?(\[[0-9a-f:.]+\]|[^\s/:?#"'`)]+)/gi;
const SCP_HOST = /^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+\.[A-Za-z]{2,}|[0-9.]+):(?!\/\/)/;
const BARE_HOST =
  /^(?:localhost|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/|$)/;
const LOOPBACK = /^(localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?)$/i;

/** Host names in URLs anywhere in `text` (`https://host/…`, `git+ssh://user@host/…`). */
export function findUrlHosts(text: string): string[] {
  return [...text.matchAll(URL_HOST)].map((m) => toHostName(m[1] as string));
}

/** `user@host:path` (scp-like, as ssh, scp, rsync and git use), or null. */
export function findScpHost(word: string): string | null {
  const m = SCP_HOST.exec(word);
  return m ? toHostName(m[1] as string) : null;
}

/** A bare `host.tld[:port][/path]`, `localhost:3000` or IPv4 argument (curl example.com/x), or null. */
export function findBareHost(word: string): string | null {
  if (!BARE_HOST.test(word)) return null;
  return toHostName(word.split(/[/:]/)[0] as string);
}

/**
 * The hosts a network client's arguments name: URLs anywhere, then by the client's mode
 * `url` bare host names among its positionals, `host` its first
 * positional (`user@host`, `@server`). Option values are skipped by the caller. A dynamic
 * positional is an unresolved host: leash decides it like any host it doesn't know.
 */
export function findHosts(
  mode: "url" | "host",
  positionals: ShellWord[],
  all: ShellWord[],
): string[] {
  const hosts = new Set<string>();
  for (const w of all) for (const h of findUrlHosts(w.text)) hosts.add(h);
  for (const [i, w] of positionals.entries()) {
    if (w.dynamic && findUrlHosts(w.text).length === 0) hosts.add(UNRESOLVED_HOST);
    if (w.dynamic || findUrlHosts(w.text).length > 0) continue;
    const h =
      mode === "url"
        ? findBareHost(w.text)
        : i === 0
          ? toHostName(w.text.replace(/^[^@]*@/, ""))
          : null;
    if (h) hosts.add(h);
  }
  return [...hosts];
}

/** True for the runner's own loopback (a test server): not egress. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Lower-case, without brackets, port or trailing dot. */
export function toHostName(raw: string): string {
  const h = raw.startsWith("[") ? raw.slice(1, raw.indexOf("]")) : raw.replace(/:\d*$/, "");
  return h.toLowerCase().replace(/\.$/, "");
}
