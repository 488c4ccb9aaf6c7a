import type net from "node:net";

/**
 * What goes to the client from one read of the server's bytes: the messages passed on are views
 * of the same buffer, so runs of them are joined back into one view and written in one call.
 */
export class Outgoing {
  private readonly parts: Buffer[] = [];

  add(bytes: Buffer): void {
    const last = this.parts.at(-1);
    if (last && last.buffer === bytes.buffer && last.byteOffset + last.length === bytes.byteOffset) {
      this.parts[this.parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + bytes.length);
      return;
    }
    this.parts.push(bytes);
  }

  writeTo(socket: net.Socket): void {
    if (this.parts.length === 0) return;
    if (this.parts.length === 1) socket.write(this.parts[0]!);
    else socket.write(Buffer.concat(this.parts));
    this.parts.length = 0;
  }
}
