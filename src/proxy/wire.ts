// The PostgreSQL frontend/backend protocol (version 3.0), as much of it as a proxy that reads
// every statement needs: message framing on both sides, reading the few messages whose contents
// it acts on, and writing the few it sends itself. Messages it only passes on are never decoded:
// they go on as the bytes that came in.

/** Startup-phase request codes (the first message has no type byte, only a length and a code). */
export const startupCodes = { protocol30: 196608, sslRequest: 80877103, gssEncRequest: 80877104, cancelRequest: 80877102 } as const;

/** One message as framed on the wire: its type byte (0 in the startup phase), its body, and all its bytes. */
export interface WireMessage {
  readonly type: number;
  readonly body: Buffer;
  readonly raw: Buffer;
}

/**
 * Cuts a byte stream into messages. Bytes arrive in chunks of any size; a message is handed out
 * once all of it has arrived, as a view of the chunk it came in when it came in one, and copied
 * together once, whole, when it spans several (never re-copied as each chunk arrives, which
 * would make a large message cost its size squared). A message longer than the limit is a
 * protocol violation (a client cannot make the proxy hold gigabytes).
 */
export class MessageReader {
  private readonly chunks: Buffer[] = [];
  private available = 0;
  /** The next message has no type byte (a client's first message, or the one after an SSL answer). */
  untyped = false;

  constructor(private readonly maxBytes: number) {}

  /** Bytes received and not yet handed out as a message. */
  get buffered(): number {
    return this.available;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The next whole message, or undefined until more bytes arrive. Throws WireError on a bad length. */
  next(): WireMessage | undefined {
    const header = this.untyped ? 4 : 5;
    if (this.available < header) return undefined;
    const head = this.front(header);
    const type = this.untyped ? 0 : head[0]!;
    const length = head.readInt32BE(header - 4);
    if (length < 4) throw new WireError(`a message declares a length of ${length}`);
    if (length > this.maxBytes) throw new WireError(`a message of ${length} bytes is longer than the ${this.maxBytes} the proxy accepts`);
    const total = length + header - 4;
    if (this.available < total) return undefined;
    const raw = this.take(total);
    this.untyped = false;
    return { type, body: raw.subarray(header), raw };
  }

  /** The first chunk, joined with the next ones until it holds at least `n` bytes. */
  private front(n: number): Buffer {
    let count = 1;
    let size = this.chunks[0]!.length;
    while (size < n) size += this.chunks[count++]!.length;
    if (count > 1) this.chunks.splice(0, count, Buffer.concat(this.chunks.slice(0, count), size));
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    this.available -= n;
    const first = this.chunks[0]!;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const pieces: Buffer[] = [];
    let needed = n;
    while (needed > 0) {
      const chunk = this.chunks[0]!;
      if (chunk.length <= needed) {
        pieces.push(chunk);
        this.chunks.shift();
        needed -= chunk.length;
      } else {
        pieces.push(chunk.subarray(0, needed));
        this.chunks[0] = chunk.subarray(needed);
        needed = 0;
      }
    }
    return Buffer.concat(pieces, n);
  }
}

/** The peer broke the protocol: the connection is closed, with a FATAL error if it is a client. */
export class WireError extends Error {}

/** Reads a body's NUL-terminated strings and integers in order. */
export class BodyReader {
  private position = 0;
  constructor(private readonly body: Buffer) {}

  cstring(): string {
    const end = this.body.indexOf(0, this.position);
    if (end < 0) throw new WireError("a string in a message has no terminating NUL");
    const text = this.body.toString("utf8", this.position, end);
    this.position = end + 1;
    return text;
  }

  /** A NUL-terminated string as bytes, for text that must be valid UTF-8 before it is judged. */
  cstringBytes(): Buffer {
    const end = this.body.indexOf(0, this.position);
    if (end < 0) throw new WireError("a string in a message has no terminating NUL");
    const bytes = this.body.subarray(this.position, end);
    this.position = end + 1;
    return bytes;
  }

  int32(): number {
    if (this.position + 4 > this.body.length) throw new WireError("a message ends early");
    const value = this.body.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  int16(): number {
    if (this.position + 2 > this.body.length) throw new WireError("a message ends early");
    const value = this.body.readInt16BE(this.position);
    this.position += 2;
    return value;
  }

  get atEnd(): boolean {
    return this.position >= this.body.length;
  }

  rest(): Buffer {
    return this.body.subarray(this.position);
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Query text as the server will read it with client_encoding UTF8, or undefined when the bytes are not UTF-8. */
export function decodeStatementText(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A protocol string field. The wire ends a string at its first NUL, so one inside would cut the
 * field there and let what follows read as the next field; NUL (in no PostgreSQL name or valid
 * statement) is shown as U+FFFD instead.
 */
function cstring(text: string): Buffer {
  return Buffer.from(`${text.replaceAll("\u0000", "\uFFFD")}\u0000`, "utf8");
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export interface ErrorFields {
  readonly severity: "ERROR" | "FATAL";
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

/** An ErrorResponse, every field through `cstring`. */
export function errorResponse(fields: ErrorFields): Buffer {
  const parts = [
    Buffer.from("S"), cstring(fields.severity),
    Buffer.from("V"), cstring(fields.severity),
    Buffer.from("C"), cstring(fields.code),
    Buffer.from("M"), cstring(fields.message),
  ];
  if (fields.detail !== undefined) parts.push(Buffer.from("D"), cstring(fields.detail));
  if (fields.hint !== undefined) parts.push(Buffer.from("H"), cstring(fields.hint));
  parts.push(Buffer.from([0]));
  return message("E", Buffer.concat(parts));
}

/** Reads an ErrorResponse's or NoticeResponse's fields by their code letter. */
export function readErrorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let position = 0;
  while (position < body.length && body[position] !== 0) {
    const end = body.indexOf(0, position + 1);
    if (end < 0) break;
    fields.set(String.fromCharCode(body[position]!), body.toString("utf8", position + 1, end));
    position = end + 1;
  }
  return fields;
}

/** A simple-protocol Query. */
export function queryMessage(sql: string): Buffer {
  return message("Q", cstring(sql));
}

/** A Parse of `sql` under the statement name `name`, with no parameter types given. */
export function parseMessage(name: string, sql: string): Buffer {
  return message("P", Buffer.concat([cstring(name), cstring(sql), Buffer.from([0, 0])]));
}

export const flushMessage = message("H", Buffer.alloc(0));

/** The StartupMessage for protocol 3.0 with these parameters. */
export function startupMessage(parameters: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of parameters) parts.push(cstring(key), cstring(value));
  parts.push(Buffer.from([0]));
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(startupCodes.protocol30, 4);
  return Buffer.concat([header, body]);
}

/** AuthenticationSASL offering these mechanisms. */
export function saslMechanismsMessage(mechanisms: readonly string[]): Buffer {
  const code = Buffer.alloc(4);
  code.writeInt32BE(10, 0);
  return message("R", Buffer.concat([code, ...mechanisms.map(cstring), Buffer.from([0])]));
}

/** NegotiateProtocolVersion: the newest minor version the proxy speaks (0) and the options it does not know. */
export function negotiateProtocolVersionMessage(unknownOptions: readonly string[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(0, 0);
  head.writeInt32BE(unknownOptions.length, 4);
  return message("v", Buffer.concat([head, ...unknownOptions.map(cstring)]));
}
