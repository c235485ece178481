import type { ShellWord } from "./parse-shell-command.js";
import { type CommandArgs, compileOptionSpec, readCommandOptions } from "./read-command-options.js";

/*
 * How the network clients take their options, read once for both questions a command
 * asks: which files it writes (find-download-targets, find-copy-targets) and which hosts
 * it connects to (find-client-hosts). One spec per client, so the two never disagree
 * about which word is a value and which is a URL, host or path.
 */

/** curl's options (curl 7.88 `--help all`, and 8.x's newer ones), by short letter and long name. */
export const CURL = compileOptionSpec(
  "A:b:c:C:d:D:e:E:F:H:K:m:o:P:Q:r:t:T:u:U:w:x:X:y:Y:z:",
  {},
  `
  abstract-unix-socket: alt-svc: anyauth append=a aws-sigv4: basic ca-native cacert:
  capath: cert=E: cert-status cert-type: ciphers: compressed compressed-ssh config=K:
  connect-timeout: connect-to: continue-at=C: cookie=b: cookie-jar=c: create-dirs
  create-file-mode: crlf crlfile: curves: data=d: data-ascii: data-binary: data-raw:
  data-urlencode: delegation: digest disable=q disable-eprt disable-epsv
  disallow-username-in-url dns-interface: dns-ipv4-addr: dns-ipv6-addr: dns-servers:
  doh-cert-status doh-insecure doh-url: dump-header=D: ech: egd-file: engine:
  etag-compare: etag-save: expect100-timeout: fail=f fail-early fail-with-body false-start
  follow form=F: form-escape form-string: ftp-account: ftp-alternative-to-user:
  ftp-create-dirs ftp-method: ftp-pasv ftp-port=P: ftp-pret ftp-skip-pasv-ip ftp-ssl-ccc
  ftp-ssl-ccc-mode: ftp-ssl-control get=G globoff=g happy-eyeballs-timeout-ms:
  haproxy-protocol head=I header=H: help=h: hostpubmd5: hostpubsha256: hsts: http0 http1=0
  http2 http2-prior-knowledge http3 http3-only ignore-content-length include=i insecure=k
  interface: ip-tos: ipv4=4 ipv6=6 json: junk-session-cookies=j keepalive-cnt:
  keepalive-time: key: key-type: knownhosts: krb: libcurl: limit-rate: list-only=l
  local-port: location=L location-trusted login-options: mail-auth: mail-from: mail-rcpt:
  mail-rcpt-allowfails manual=M max-filesize: max-redirs: max-time=m: metalink mptcp
  negotiate netrc=n netrc-file: netrc-optional next no-alpn no-buffer=N no-clobber
  no-keepalive no-npn no-progress-meter no-sessionid noproxy: ntlm ntlm-wb oauth2-bearer:
  out-null output=o: output-dir: parallel=Z parallel-immediate parallel-max: pass:
  path-as-is pinnedpubkey: post301 post302 post303 preproxy: progress-bar proto:
  proto-default: proto-redir: proxy=x: proxy-anyauth proxy-basic proxy-ca-native
  proxy-cacert: proxy-capath: proxy-cert: proxy-cert-type: proxy-ciphers: proxy-crlfile:
  proxy-digest proxy-header: proxy-http2 proxy-insecure proxy-key: proxy-key-type:
  proxy-negotiate proxy-ntlm proxy-pass: proxy-pinnedpubkey: proxy-service-name:
  proxy-ssl-allow-beast proxy-ssl-auto-client-cert proxy-tls13-ciphers: proxy-tlsauthtype:
  proxy-tlspassword: proxy-tlsuser: proxy-tlsv1 proxy-user=U: proxy1 proxytunnel=p pubkey:
  quote=Q: random-file: range=r: rate: raw referer=e: remote-header-name=J remote-name=O
  remote-name-all=O remote-time=R remove-on-error request=X: request-target: resolve:
  retry: retry-all-errors retry-connrefused retry-delay: retry-max-time: sasl-authzid:
  sasl-ir service-name: show-error=S sigalgs: silent=s skip-existing socks4: socks4a:
  socks5: socks5-basic socks5-gssapi socks5-gssapi-nec socks5-gssapi-service:
  socks5-hostname: speed-limit=Y: speed-time=y: ssl ssl-allow-beast ssl-auto-client-cert
  ssl-no-revoke ssl-reqd ssl-revoke-best-effort ssl-sessions: sslv2=2 sslv3=3 stderr:
  styled-output suppress-connect-headers tcp-fastopen tcp-nodelay telnet-option=t:
  tftp-blksize: tftp-no-options time-cond=z: tls-earlydata tls-max: tls13-ciphers:
  tlsauthtype: tlspassword: tlsuser: tlsv1=1 tr-encoding trace: trace-ascii: trace-config:
  trace-time unix-socket: upload-file=T: upload-flags: url: url-query: use-ascii=B user=u:
  user-agent=A: variable: verbose=v version=V vlan-priority: write-out=w: xattr
`,
);
/** wget's options (wget 1.21 `--help`, and its metalink ones), by short letter and long name. */
export const WGET = compileOptionSpec(
  "a:A:B:D:e:i:I:l:n::o:O:P:Q:R:t:T:U:w:X:",
  {},
  `
  accept=A: accept-regex: adjust-extension=E append-output=a: ask-password
  auth-no-challenge background=b backup-converted=K backups: base=B: bind-address:
  body-data: body-file: ca-certificate: ca-directory: certificate: certificate-type:
  ciphers: compression: config: connect-timeout: content-disposition content-on-error
  continue=c convert-file-only convert-links=k crl-file: cut-dirs: debug=d default-page:
  delete-after directory-prefix=P: dns-timeout: domains=D: exclude-directories=X:
  exclude-domains: execute=e: follow-ftp follow-tags: force-directories=x force-html=F
  ftp-password: ftp-user: ftps-clear-data-connection ftps-fallback-to-ftp ftps-implicit
  ftps-resume-ssl header: help=h hsts-file: http-password: http-user: https-only
  ignore-case ignore-length ignore-tags: include-directories=I: inet4-only=4 inet6-only=6
  input-file=i: input-metalink: keep-session-cookies level=l: limit-rate: load-cookies:
  local-encoding: max-redirect: metalink-index: metalink-over-http method: mirror=m
  no-cache no-check-certificate no-clobber no-config no-cookies no-directories
  no-dns-cache no-glob no-host-directories no-hsts no-http-keep-alive no-if-modified-since
  no-iri no-netrc no-parent no-passive-ftp no-proxy no-remove-listing
  no-use-server-timestamps no-verbose no-warc-compression no-warc-digests no-warc-keep-log
  output-document=O: output-file=o: page-requisites=p password: pinnedpubkey: post-data:
  post-file: prefer-family: preferred-location: preserve-permissions private-key:
  private-key-type: progress: protocol-directories proxy-password: proxy-user: quiet=q
  quota=Q: random-wait read-timeout: recursive=r referer: regex-type: reject=R:
  reject-regex: rejected-log: relative=L remote-encoding: report-speed:
  restrict-file-names: retr-symlinks retry-connrefused retry-on-http-error: save-cookies:
  save-headers secure-protocol: server-response=S show-progress span-hosts=H spider
  start-pos: strict-comments timeout=T: timestamping=N tries=t: trust-server-names unlink
  use-askpass: user: user-agent=U: verbose=v version=V wait=w: waitretry: warc-cdx
  warc-dedup: warc-file: warc-header: warc-max-size: warc-tempdir: xattr
`,
);
/** rsync's options (rsync 3.4 `--help`; `--no-OPTION` turns one off); `-t` keeps times. */
export const RSYNC = compileOptionSpec(
  "@:B:e:f:M:T:",
  {},
  `
  8-bit-output=8 acls=A address: append append-verify archive=a atimes=U backup=b
  backup-dir: block-size=B: blocking-io bwlimit: checksum=c checksum-choice:
  checksum-seed: chmod: chown: compare-dest: compress=z compress-choice: compress-level:
  compress-threads: confine-root: contimeout: copy-as: copy-dest: copy-devices
  copy-dirlinks=k copy-links=L copy-unsafe-links crtimes=N cvs-exclude=C debug: del
  delay-updates delete delete-after delete-before delete-delay delete-during
  delete-excluded delete-missing-args devices dirs=d drop-D dry-run=n early-input:
  exclude: exclude-from: executability=E existing fake-super files-from: filter=f: force
  from0=0 fsync fuzzy=y group=g groupmap: hard-links=H help=h human-readable=h i-r iconv:
  ignore-errors ignore-existing ignore-missing-args ignore-non-existing ignore-times=I
  inc-recursive include: include-from: info: inplace insecure-links ipv4=4 ipv6=6
  itemize-changes=i keep-dirlinks=K link-dest: links=l list-only log-file:
  log-file-format: max-alloc: max-delete: max-size: min-size: mkpath modify-window:
  munge-links no-W no-i-r no-implied-dirs no-inc-recursive no-motd no-whole-file
  numeric-ids old-args old-d old-dirs omit-dir-times=O omit-link-times=J one-file-system=x
  only-write-batch: open-noatime out-format: outbuf: owner=o partial partial-dir:
  password-file: perms=p port: preallocate progress protocol: prune-empty-dirs=m quiet=q
  read-batch: recursive=r relative=R remote-option=M: remove-source-files rsh=e:
  rsync-path: safe-links secluded-args=s size-only skip-compress: sockopts: sparse=S
  specials stats stderr: stop-after: stop-at: suffix: super temp-dir=T: timeout: times=t
  trust-sender update=u usermap: verbose=v version=V whole-file=W write-batch:
  write-devices xattrs=X
`,
);

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
