import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../diagnostics/input-error.js";
import { describeFsError } from "../diagnostics/fs-error.js";

/**
 * Reads a file that must be a regular file of at most `maxBytes`: opened without blocking (a FIFO
 * put in its place cannot hang the command), checked on the open descriptor (nothing swapped in
 * between), and refused with a message otherwise. `what` names it in messages.
 */
export function readRegularFile(file: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`cannot read ${what}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new InputError(`${what} is not a regular file`);
    if (info.size > maxBytes) throw new InputError(`${what} is ${info.size} bytes; rolec reads at most ${maxBytes} bytes there`);
    const buffer = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, buffer, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
