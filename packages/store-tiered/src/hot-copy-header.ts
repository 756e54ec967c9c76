import type { HotCopyBounds } from './hot-tier.js';

/**
 * A copy's data string starts with a fixed-width ASCII header: `fromVersion` (10 digits),
 * `toVersion` (10 digits), `verifiedAt` (16 digits, epoch ms). Fixed width lets a script move
 * `verifiedAt` up or the end forward with one SETRANGE, and lets a reader take the bounds and
 * the events from one GET.
 */
export const HEADER_LENGTH = 36;
/** Byte offset of `verifiedAt` in the header. */
export const VERIFIED_AT_OFFSET = 20;

export function formatHeader(fromVersion: number, toVersion: number, verifiedAt: number): string {
  return pad(fromVersion, 10) + pad(toVersion, 10) + formatVerifiedAt(verifiedAt);
}

export function formatVerifiedAt(verifiedAt: number): string {
  return pad(verifiedAt, 16);
}

/** The bounds in a header; `undefined` if `text` is not one (too short, not digits). */
export function parseHeader(text: string): HotCopyBounds | undefined {
  if (text.length !== HEADER_LENGTH || !/^\d+$/.test(text)) return undefined;
  return {
    fromVersion: Number(text.slice(0, 10)),
    toVersion: Number(text.slice(10, 20)),
    verifiedAt: Number(text.slice(20, HEADER_LENGTH)),
  };
}

function pad(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${value} does not fit a hot copy header`);
  const text = String(value);
  if (text.length > width) throw new RangeError(`${value} does not fit a hot copy header`);
  return text.padStart(width, '0');
}
