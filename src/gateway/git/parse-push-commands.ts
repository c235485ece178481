import { gitError } from "./git-errors.js";
import { readPktLine } from "./read-pkt-line.js";

/** One ref update a push asks for; a zero id on either side means create or delete. */
export interface RefUpdateCommand {
  oldId: string;
  newId: string;
  ref: string;
}

/** The command section of a receive-pack request and where the pack starts. */
export interface PushCommands {
  commands: RefUpdateCommand[];
  /** What the client asked for on its first command (`report-status`, `side-band-64k`, …). */
  capabilities: string[];
  /** Byte offset of the pack (or of the end, when nothing follows the flush). */
  packOffset: number;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const COMMAND = /^([0-9a-f]+) ([0-9a-f]+) (\S+)$/;
/** Capabilities whose sections leash does not parse; it never advertises them. */
const REFUSED_CAPABILITIES = ["push-options", "push-cert"];

/**
 * Parses the pkt-line command list at the start of a receive-pack request: optional
 * `shallow` lines, then `<old> <new> <ref>` commands (capabilities after a NUL on the first),
 * then a flush. Returns null when `head` ends before the flush (read more). A body that is
 * only a flush is git's auth probe: no commands. Throws ERR_GIT_PUSH_MALFORMED.
 */
export function parsePushCommands(head: Buffer): PushCommands | null {
  const commands: RefUpdateCommand[] = [];
  let capabilities: string[] = [];
  let offset = 0;
  for (;;) {
    const pkt = readPkt(head, offset);
    if (pkt === null) return null;
    offset = pkt.end;
    if (pkt.kind === "flush") break;
    if (pkt.kind !== "data") throw malformed("a delimiter packet in the command list");
    const line = pkt.data.toString("utf8").replace(/\n$/, "");
    if (commands.length === 0 && line.startsWith("shallow ")) continue;
    const [text, caps] = splitCapabilities(line, commands.length === 0);
    if (caps) capabilities = caps;
    commands.push(toCommand(text, commands));
  }
  const refused = capabilities.find((c) => REFUSED_CAPABILITIES.includes(c.split("=")[0] ?? ""));
  if (refused) throw malformed(`capability ${refused} is not supported by the leash gateway`);
  return { commands, capabilities, packOffset: offset };
}

function readPkt(head: Buffer, offset: number) {
  try {
    return readPktLine(head, offset);
  } catch {
    throw malformed("the request is not a pkt-line stream");
  }
}

function splitCapabilities(line: string, first: boolean): [string, string[] | undefined] {
  const nul = line.indexOf("\0");
  if (nul < 0) return [line, first ? [] : undefined];
  if (!first) throw malformed("capabilities after the first command");
  const caps = line
    .slice(nul + 1)
    .split(" ")
    .filter((c) => c !== "");
  return [line.slice(0, nul), caps];
}

function toCommand(text: string, seen: readonly RefUpdateCommand[]): RefUpdateCommand {
  const m = COMMAND.exec(text);
  const [, oldId, newId, ref] = m ?? [];
  if (!oldId || !newId || !ref || !OBJECT_ID.test(oldId) || oldId.length !== newId.length)
    throw malformed("a ref-update command is not `<old-id> <new-id> <ref>`");
  if (!isValidRefName(ref)) throw malformed(`${JSON.stringify(ref)} is not a valid ref name`);
  if (seen.some((c) => c.ref === ref)) throw malformed(`${ref} is updated twice`);
  return { oldId, newId, ref };
}

/**
 * The rules of git check-ref-format that matter here: a full name under refs/, no
 * component that is empty, starts with a dot or ends in .lock, no `..`, `@{`, control
 * characters or the characters git forbids. Policy decides on the name, so it must be the
 * one name git will write.
 */
export function isValidRefName(ref: string): boolean {
  if (!ref.startsWith("refs/") || ref.endsWith("/") || ref.endsWith(".")) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref) || ref.includes("..") || ref.includes("@{")) return false;
  return ref
    .split("/")
    .every((part) => part !== "" && !part.startsWith(".") && !part.endsWith(".lock"));
}

const malformed = (why: string) =>
  gitError("ERR_GIT_PUSH_MALFORMED", `the push could not be read: ${why}`);
