/**
 * The capability a git client sent: `Authorization: Bearer <capability>` (http.extraHeader),
 * or the password of HTTP Basic with any username (a credential helper, or the URL). Git
 * sends Basic only after a 401 challenge.
 */
export function readGitCredential(authorization: string | null): string | undefined {
  if (!authorization) return undefined;
  const bearer = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic?.[1]) return undefined;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  return password === "" ? undefined : password;
}
