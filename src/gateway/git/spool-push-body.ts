import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { hasCode } from "../../errors/index.js";
import { gitError } from "./git-errors.js";

/** A push request body on disk, with its first bytes (the command section) in memory. */
export interface SpooledBody {
  file: string;
  bytes: number;
  head: Buffer;
}

export interface SpoolLimits {
  maxBytes: number;
  /** How much of the start is kept in memory for the command section. */
  headBytes: number;
}

/**
 * Writes the request body to `file` (0600) as it arrives — a pack can be large, and the
 * exact bytes are replayed upstream only once every ref is allowed. Throws
 * ERR_GIT_PUSH_TOO_LARGE beyond `maxBytes`, ERR_GIT_PUSH_MALFORMED when the body breaks off.
 */
export async function spoolPushBody(
  body: ReadableStream<Uint8Array> | null,
  file: string,
  limits: SpoolLimits,
): Promise<SpooledBody> {
  const head: Buffer[] = [];
  let bytes = 0;
  let headBytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return done(tooLarge(limits.maxBytes));
      if (headBytes < limits.headBytes) {
        const part = chunk.subarray(0, limits.headBytes - headBytes);
        head.push(part);
        headBytes += part.length;
      }
      done(null, chunk);
    },
  });
  const source = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([]);
  try {
    await pipeline(source, count, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    if (hasCode(err, "ERR_GIT_PUSH_TOO_LARGE")) throw err;
    throw gitError("ERR_GIT_PUSH_MALFORMED", "the push body could not be read to its end");
  }
  return { file, bytes, head: Buffer.concat(head) };
}

const tooLarge = (max: number) =>
  gitError(
    "ERR_GIT_PUSH_TOO_LARGE",
    `the push is larger than ${max} bytes; push fewer commits at once`,
  );
