import { processIo } from "./cli-io.js";
import { run } from "./commands/hook.js";
import { reportFailure } from "./report-failure.js";

/**
 * `leash hook …` without the dispatcher. The hook runs before every tool call, so
 * `scripts/bundle-hook.mjs` joins this module and everything it imports (node built-ins
 * aside) into the one file `dist/hook/leash-hook.cjs`, which `bin/leash.cjs` loads for
 * `leash hook`: on Node 20 each ES module costs ~0.6 ms to resolve and link, and the
 * hook's ~28 would be most of its start-up. Returns the exit code; never throws.
 */
export async function hookMain(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const io = processIo(env);
  try {
    return await run(args, io);
  } catch (err) {
    return reportFailure(err, io);
  }
}
