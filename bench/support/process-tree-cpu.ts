import { readdirSync, readFileSync } from "node:fs";

/** Linux reports process CPU in clock ticks; 100 a second on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/**
 * CPU microseconds (user + system) used so far by process `pid` and every live descendant —
 * the primary and workers of `leash serve --workers N` together — read from /proc (Linux).
 * Resolution is one clock tick (10 ms), so measure runs of a few seconds.
 */
export function processTreeCpuMicros(pid: number): number {
  const stats = readAllStats();
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  let ticks = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop() as number;
    const s = stats.get(next);
    if (s) ticks += s.ticks;
    pending.push(...(children.get(next) ?? []));
  }
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

function readAllStats(): Map<number, { pid: number; ppid: number; ticks: number }> {
  const out = new Map<number, { pid: number; ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: fields start after the last ')'.
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(name), { pid: Number(name), ppid, ticks });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}
