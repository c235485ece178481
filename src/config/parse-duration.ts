const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `90s`, `10m`, `1h`, `7d` (or a bare number of seconds) to seconds; undefined if malformed. */
export function parseDurationSeconds(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isInteger(text) && text > 0 ? text : undefined;
  const m = /^(\d{1,7})([smhd])$/.exec(text.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
  return seconds > 0 ? seconds : undefined;
}
