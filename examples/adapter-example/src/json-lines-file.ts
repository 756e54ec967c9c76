import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, readFile, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_POSITION, ValidationError } from '@strata/core';
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

/**
 * Records where a new log's positions start (`start.json`, the position before the first event).
 * The exclusive flag makes the first opener win; a log that exists keeps its start.
 */
export async function writeStartOnce(directory: string, lastPosition: bigint): Promise<void> {
  // A log from before start.json existed started at 0.
  const start = (await exists(join(directory, 'events.jsonl'))) ? 0n : lastPosition;
  // A decimal string: JSON numbers are doubles, inexact past 2^53.
  const text = JSON.stringify({ lastPosition: start.toString() });
  await writeFile(join(directory, 'start.json'), text, { flag: 'wx' }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  });
}

/** Checked before any file is touched, so bad input is a ValidationError, not a storage failure. */
export function assertStartPosition(lastPosition: unknown): asserts lastPosition is bigint {
  if (typeof lastPosition !== 'bigint' || lastPosition < 0n || lastPosition > MAX_POSITION) {
    throw new ValidationError('options.lastPosition', 'must be a bigint from 0 to 2^63 - 1');
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function readStart(directory: string): Promise<bigint> {
  const { lastPosition } = JSON.parse(await readFile(join(directory, 'start.json'), 'utf8')) as {
    lastPosition: string;
  };
  return BigInt(lastPosition);
}

/**
 * The folder's storage id, made by whichever store gets there first. Written to a temporary file
 * and linked into place, because a link either appears whole or fails with EEXIST: a second store
 * can never read a half-written id.
 */
export async function readOrCreateStorageId(directory: string): Promise<string> {
  const path = join(directory, 'storage-id');
  if (!(await exists(path))) {
    const draft = join(directory, `storage-id.${randomUUID()}.tmp`);
    await writeFile(draft, randomUUID());
    try {
      await link(draft, path).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      });
    } finally {
      await unlink(draft);
    }
  }
  return readFile(path, 'utf8');
}
