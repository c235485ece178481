/**
 * The small HTTP client every CLI command uses to talk to a leash server (node's fetch).
 * Errors come back as the server's coded refusal, never as a thrown stack.
 */
export interface ServerAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function postToLeash(
  server: string,
  path: string,
  opts: {
    json?: unknown;
    form?: Record<string, string>;
    bearer?: string;
    headers?: Record<string, string>;
    /** Default POST; PUT for idempotent writes (a secret's value). */
    method?: "POST" | "PUT";
  },
): Promise<ServerAnswer> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  if (opts.bearer) headers["authorization"] = `Bearer ${opts.bearer}`;
  let body: string | undefined;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(new URL(path, withSlash(server)), {
    method: opts.method ?? "POST",
    headers,
    ...(body ? { body } : {}),
  });
  return { status: res.status, body: await readJson(res) };
}

export async function getFromLeash(
  server: string,
  path: string,
  bearer?: string,
): Promise<ServerAnswer> {
  const res = await fetch(new URL(path, withSlash(server)), {
    headers: {
      accept: "application/json",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
  });
  return { status: res.status, body: await readJson(res) };
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return {
      error: "invalid_response",
      error_description: `leash answered ${res.status} without JSON`,
    };
  }
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

/** `code: description (decision dec_…)` for a refusal, for stderr. */
export function describeRefusal(answer: ServerAnswer): string {
  const b = answer.body;
  const code = typeof b["code"] === "string" ? b["code"] : `HTTP ${answer.status}`;
  const decision = typeof b["decision_id"] === "string" ? ` (decision ${b["decision_id"]})` : "";
  return `${code}: ${String(b["error_description"] ?? b["error"] ?? "refused")}${decision}`;
}
