/** Small HTTP calls the cluster bench makes outside the load loops. */

export async function exchangeOn(
  port: number,
  token: string,
): Promise<{ token: string; id: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      scope: "zone:editing",
    }),
  });
  const body = (await res.json()) as { access_token?: string; capability_id?: string };
  if (!body.access_token || !body.capability_id)
    throw new Error(`exchange failed: ${JSON.stringify(body)}`);
  return { token: body.access_token, id: body.capability_id };
}

export const AUTHORIZE_BODY = JSON.stringify({
  action: "code.write",
  resource: {
    type: "Branch",
    id: "refs/heads/agent/fix",
    attrs: { paths: ["src/a.ts", "src/b.ts"] },
  },
});

/** POST /v1/authorize; resolves to the HTTP status. */
export async function authorizeOn(port: number, capability: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/authorize`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${capability}` },
    body: AUTHORIZE_BODY,
  });
  await res.arrayBuffer();
  return res.status;
}

export async function revokeOn(
  port: number,
  adminToken: string,
  capabilityId: string,
): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/revoke`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ capability_id: capabilityId }),
  });
  if (res.status !== 200) throw new Error(`revoke failed: ${res.status} ${await res.text()}`);
}
