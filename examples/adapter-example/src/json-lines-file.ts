import { constants } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import type { BatchLine, EventLog } from './event-log.js';
import { fileOperation } from './storage-error.js';

const NEWLINE = 0x0a;

/**
 * Applies the complete lines written since `log.offset` (by this instance or any other) and
 * returns how many bytes of an incomplete last line follow them. Readers take no lock: a line
 * counts only once its newline is written, and lines are never rewritten, so a reader can never
 * see half a batch or skip one.
 */
export async function catchUp(path: string, log: EventLog): Promise<number> {
  return fileOperation(async () => {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= log.offset) return 0;
      const buffer = Buffer.alloc(size - log.offset);
      for (let read = 0; read < buffer.length; ) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, log.offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      const end = buffer.lastIndexOf(NEWLINE);
      if (end < 0) return buffer.length;
      // Parse every line before applying any, so a corrupt line leaves the log as it was.
      const lines = buffer
        .subarray(0, end)
        .toString('utf8')
        .split('\n')
        .map((text) => JSON.parse(text) as BatchLine);
      for (const line of lines) log.apply(line);
      log.offset += end + 1;
      return buffer.length - (end + 1);
    } finally {
      await handle.close();
    }
  });
}

/**
 * Appends one batch as one line. The file is opened without O_CREAT: when the storage has gone
 * away, the write fails instead of silently starting a new, empty log.
 */
export async function appendLine(path: string, line: BatchLine, sync: boolean): Promise<void> {
  await fileOperation(async () => {
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND);
    try {
      await handle.writeFile(`${JSON.stringify(line)}\n`);
      if (sync) await handle.datasync();
    } finally {
      await handle.close();
    }
  });
}

/** Cuts off what a writer that crashed mid-line left behind. Only call it holding the write lock. */
export async function cutIncompleteTail(path: string, offset: number): Promise<void> {
  await fileOperation(() => truncate(path, offset));
}
