import { connect, type Socket } from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");
const LAST_CHUNK = Buffer.from("0\r\n\r\n");
const LAST_CHUNK_AFTER_DATA = Buffer.from("\r\n0\r\n\r\n");
const CONTENT_LENGTH = Buffer.from("\r\ncontent-length:");
const TRANSFER_ENCODING = Buffer.from("\r\ntransfer-encoding:");
const CONTENT_LENGTH_SPELLINGS = [CONTENT_LENGTH, Buffer.from("\r\nContent-Length:")];
const TRANSFER_ENCODING_SPELLINGS = [TRANSFER_ENCODING, Buffer.from("\r\nTransfer-Encoding:")];

/**
 * An HTTP/1.1 request serialized once, before the clock starts: the load generator then only
 * writes bytes, so its own CPU and garbage (which share this machine's cores with the server)
 * stay small, as wrk's or an off-box generator's would.
 */
export function serializeRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Buffer {
  const bytes = Buffer.from(body);
  let head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${bytes.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), bytes]);
}

/**
 * One keep-alive connection with at most one request in flight. It reads just enough of each
 * answer to know where it ends (Content-Length or chunked) and resolves with the status code.
 */
export class RawHttpConnection {
  private readonly socket: Socket;
  private received: Buffer[] = [];
  private waiting: { resolve(status: number): void; reject(error: Error): void } | null = null;

  constructor(port: number) {
    this.socket = connect({ host: "127.0.0.1", port, noDelay: true });
    this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("connection closed")));
  }

  send(request: Buffer): Promise<number> {
    if (this.waiting !== null) throw new Error("one request at a time on a connection");
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received.push(chunk);
    const all = this.received.length === 1 ? chunk : Buffer.concat(this.received);
    const status = completeAnswerStatus(all);
    if (status === null) return;
    this.received = [];
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(status);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }
}

/** The status code when `bytes` hold one whole answer, else null (more is on its way). */
function completeAnswerStatus(bytes: Buffer): number | null {
  const headerEnd = bytes.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const bodyStart = headerEnd + HEADER_END.length;
  const length = headerValueStart(bytes, CONTENT_LENGTH, headerEnd);
  if (length >= 0) {
    if (bytes.length < bodyStart + readDecimal(bytes, length)) return null;
  } else if (headerValueStart(bytes, TRANSFER_ENCODING, headerEnd) >= 0) {
    // Chunked (the only other framing a keep-alive answer has): it ends with the last chunk,
    // "0" CRLF and the empty trailer line.
    const body = bytes.subarray(bodyStart);
    if (
      !(
        body.equals(LAST_CHUNK) ||
        body.subarray(-LAST_CHUNK_AFTER_DATA.length).equals(LAST_CHUNK_AFTER_DATA)
      )
    )
      return null;
  }
  // "HTTP/1.1 200 ..."
  return readDecimal(bytes, 9);
}

/** Where the value of a header starts (name matched case-insensitively), or -1. */
function headerValueStart(bytes: Buffer, name: Buffer, end: number): number {
  // Lower-case needle against the bytes' two usual spellings, without copying the head.
  for (const spelling of name === CONTENT_LENGTH
    ? CONTENT_LENGTH_SPELLINGS
    : TRANSFER_ENCODING_SPELLINGS) {
    const at = bytes.indexOf(spelling);
    if (at >= 0 && at < end) return at + spelling.length;
  }
  return -1;
}

function readDecimal(bytes: Buffer, from: number): number {
  let i = from;
  while (bytes[i] === 0x20) i++;
  let value = 0;
  for (let c = bytes[i]; c !== undefined && c >= 0x30 && c <= 0x39; c = bytes[++i]) {
    value = value * 10 + (c - 0x30);
  }
  return value;
}
