import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { UsageError } from "./cli-io.js";

/**
 * Creates `path` — never over an existing file: what it holds is evidence (an export, an
 * anchor) — lets `fill` write to it, then fsyncs and closes it. An existing file is a
 * UsageError saying `existsMessage`; any other failure to create it, one saying it can't be.
 */
export async function writeNewFile(
  path: string,
  mode: number,
  messages: { exists: string; cannotCreate: string },
  fill: (write: (text: string) => void) => Promise<void> | void,
): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, "wx", mode);
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === "EEXIST";
    throw new UsageError(exists ? messages.exists : messages.cannotCreate);
  }
  try {
    await fill((text) => void writeSync(fd, text));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
