/**
 * The placeholders a `@reason` or `@requireN` message may use, e.g. `needs tests for
 * {commit}`. Checked at load (an unknown one is ERR_POLICY_INVALID) and filled only when a
 * decision is explained, so an allow never pays for it.
 */
export const MESSAGE_PLACEHOLDERS = [
  "action",
  "resource_type",
  "resource_id",
  "resource_repository_id",
  "repository",
  "repository_id",
  "zone",
  "sha",
  "commit",
  "artifact",
  "artifact_name",
  "artifact_digest",
  "environment",
  "control_paths",
  "owned_branches",
] as const;

export type MessagePlaceholder = (typeof MESSAGE_PLACEHOLDERS)[number];
export type MessageValues = Readonly<Record<MessagePlaceholder, string>>;

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const KNOWN: ReadonlySet<string> = new Set(MESSAGE_PLACEHOLDERS);

/** The placeholders in `template` that leash does not know (empty when all are known). */
export function findUnknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1] as string)
    .filter((name) => !KNOWN.has(name));
}

/** Fills `{name}` placeholders; unknown ones were refused at load, so they stay as written. */
export function renderMessage(template: string, values: MessageValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    KNOWN.has(name) ? values[name as MessagePlaceholder] : whole,
  );
}
