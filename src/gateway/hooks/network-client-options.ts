import type { ShellWord } from "./parse-shell-command.js";
import { type CommandArgs, compileOptionSpec, readCommandOptions } from "./read-command-options.js";

/*
 * How the network clients take their options, read once for both questions a command
 * asks: which files it writes (find-download-targets, find-copy-targets) and which hosts
 * it connects to (find-client-hosts). One spec per client, so the two never disagree
 * about which word is a value and which is a URL, host or path.
 */

/** curl's options that take a value (so the value is not read as a URL), by short letter and long name. */
export const CURL = compileOptionSpec("A:b:c:C:d:D:e:E:F:H:K:m:o:P:Q:r:t:T:u:U:w:x:X:y:Y:z:", {
  output: "o:",
  "output-dir": ":",
  "remote-name": "O",
  "remote-name-all": "O",
  "remote-header-name": "J",
  globoff: "g",
  url: ":",
  "dump-header": "D:",
  "cookie-jar": "c:",
  config: "K:",
  trace: ":",
  "trace-ascii": ":",
  stderr: ":",
  libcurl: ":",
  "etag-save": ":",
  hsts: ":",
  "alt-svc": ":",
  "user-agent": "A:",
  cookie: "b:",
  "continue-at": "C:",
  data: "d:",
  "data-raw": ":",
  "data-binary": ":",
  "data-urlencode": ":",
  "data-ascii": ":",
  json: ":",
  referer: "e:",
  cert: "E:",
  key: ":",
  cacert: ":",
  capath: ":",
  form: "F:",
  "form-string": ":",
  header: "H:",
  "proxy-header": ":",
  "max-time": "m:",
  "connect-timeout": ":",
  "ftp-port": "P:",
  quote: "Q:",
  range: "r:",
  "telnet-option": "t:",
  "upload-file": "T:",
  user: "u:",
  "proxy-user": "U:",
  "write-out": "w:",
  proxy: "x:",
  request: "X:",
  "speed-time": "y:",
  "speed-limit": "Y:",
  "time-cond": "z:",
  retry: ":",
  "retry-delay": ":",
  "retry-max-time": ":",
  "limit-rate": ":",
  "max-filesize": ":",
  resolve: ":",
  "connect-to": ":",
  "oauth2-bearer": ":",
  "unix-socket": ":",
  interface: ":",
  "netrc-file": ":",
  // Where it connects besides the URL: proxies, resolver and address overrides.
  preproxy: ":",
  socks4: ":",
  socks4a: ":",
  socks5: ":",
  "socks5-hostname": ":",
  "socks5-gssapi": "",
  "socks5-gssapi-nec": "",
  "socks5-gssapi-service": ":",
  "dns-servers": ":",
  "doh-url": ":",
  noproxy: ":",
  "proxy-cacert": ":",
  "proxy-cert": ":",
  "proxy-key": ":",
  variable: ":",
  "url-query": ":",
  "max-redirs": ":",
  "local-port": ":",
  "proto-default": ":",
  "abstract-unix-socket": ":",
});
/** wget's options that take a value, by short letter and long name. */
export const WGET = compileOptionSpec("a:A:B:D:e:i:I:l:n::o:O:P:Q:R:t:T:U:w:X:", {
  "output-document": "O:",
  "output-file": "o:",
  "append-output": "a:",
  "directory-prefix": "P:",
  "input-file": "i:",
  "save-cookies": ":",
  recursive: "r",
  mirror: "m",
  "page-requisites": "p",
  "force-directories": "x",
  "content-disposition": "",
  "trust-server-names": "",
  execute: "e:",
  accept: "A:",
  reject: "R:",
  base: "B:",
  domains: "D:",
  "include-directories": "I:",
  "exclude-directories": "X:",
  level: "l:",
  quota: "Q:",
  tries: "t:",
  timeout: "T:",
  "user-agent": "U:",
  wait: "w:",
  header: ":",
  "post-data": ":",
  "post-file": ":",
  "body-data": ":",
  "body-file": ":",
  method: ":",
  user: ":",
  password: ":",
  "http-user": ":",
  "http-password": ":",
  "load-cookies": ":",
  "ca-certificate": ":",
  certificate: ":",
  "private-key": ":",
  "cut-dirs": ":",
  "default-page": ":",
  referer: ":",
  config: ":",
  "input-metalink": ":",
  "bind-address": ":",
  "proxy-user": ":",
  "proxy-password": ":",
});
/** `rsync`: `-t` keeps times; these take a value (so it is not read as a source). */
export const RSYNC = compileOptionSpec("e:f:B:M:T:", {
  rsh: "e:",
  filter: "f:",
  exclude: ":",
  include: ":",
  "exclude-from": ":",
  "include-from": ":",
  "files-from": ":",
  "backup-dir": ":",
  suffix: ":",
  "temp-dir": "T:",
  "compare-dest": ":",
  "copy-dest": ":",
  "link-dest": ":",
  "partial-dir": ":",
  "log-file": ":",
  "rsync-path": ":",
  chmod: ":",
  "password-file": ":",
  port: ":",
  timeout: ":",
  bwlimit: ":",
  address: ":",
  sockopts: ":",
  "out-format": ":",
  "max-size": ":",
  "min-size": ":",
  "compress-level": ":",
  "remote-option": "M:",
});

/** ssh's options that take a value (OpenSSH 9 getopt string). */
export const SSH = compileOptionSpec("B:b:c:D:E:e:F:I:i:J:L:l:m:O:o:P:p:Q:R:S:W:w:");
/** scp's options that take a value; `-S` is the program it connects with. */
export const SCP = compileOptionSpec("c:D:F:i:J:l:o:P:S:X:");
/** sftp's options that take a value; `-S` is the program it connects with. */
export const SFTP = compileOptionSpec("B:b:c:D:F:i:J:l:o:P:R:S:s:X:");

/**
 * A curl command's options and URLs. curl 8.3's `--expand-NAME` is `--NAME` whose value
 * may hold `{{var}}`, filled from a file or the environment: that value is dynamic.
 */
export function readCurlArgs(args: ShellWord[]): CommandArgs {
  const read: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const m = /^--expand-(.*)$/s.exec(a.text);
    if (!m) read.push(a);
    else if (m[1]?.includes("=")) read.push(toExpanded({ ...a, text: `--${m[1]}` }));
    else {
      read.push({ ...a, text: `--${m[1]}` });
      const next = args[i + 1];
      if (next) read.push(toExpanded(next));
      i++;
    }
  }
  return readCommandOptions(read, CURL);
}

/** A wget command's options and URLs. */
export const readWgetArgs = (args: ShellWord[]): CommandArgs => readCommandOptions(args, WGET);

const toExpanded = (w: ShellWord): ShellWord =>
  w.text.includes("{{") ? { ...w, dynamic: true } : w;
