/** SSH's wire encoding (RFC 4251): big-endian uint32s and length-prefixed strings, for keys and signatures. */
export class WireReader {
  private at = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly what: string,
  ) {}

  uint32(): number {
    if (this.at + 4 > this.bytes.length) throw new WireError(`${this.what} ends early`);
    const value = this.bytes.readUInt32BE(this.at);
    this.at += 4;
    return value;
  }

  string(): Buffer {
    const length = this.uint32();
    if (this.at + length > this.bytes.length) throw new WireError(`${this.what} ends early`);
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  text(): string {
    return this.string().toString("latin1");
  }

  raw(length: number): Buffer {
    if (this.at + length > this.bytes.length) throw new WireError(`${this.what} ends early`);
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  get done(): boolean {
    return this.at === this.bytes.length;
  }
}

export class WireError extends Error {}

export function wireUint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  return Buffer.concat([wireUint32(bytes.length), bytes]);
}
