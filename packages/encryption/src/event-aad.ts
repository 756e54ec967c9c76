import { ALGORITHM } from './aes-gcm.js';

/** The envelope version bound into every event's AAD (see `event-envelope.ts`). */
export const EVENT_ENVELOPE_VERSION = 2;

/** Where an event's sealed fields belong: the event they are bound to. */
export interface EventBinding {
  id: string;
  streamId: string;
  type: string;
}

/** The data key as the AAD names it. */
export interface AadKey {
  keyId: string;
  version: number;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `text` with its length in front: parts joined this way can be split again one way only. A text
 * with surrogates goes in as the hex of its UTF-16 code units (marked `~`): UTF-8 turns every lone
 * surrogate into the same bytes, and would let two bindings collide.
 */
const part = (text: string): string =>
  SURROGATE.test(text) ? `~${part(Buffer.from(text, 'utf16le').toString('hex'))}` : `${text.length}:${text}`;

/** What comes before the event id: the algorithm, the key and the subject. */
const prefixText = (key: AadKey, subjectId: string): string =>
  `strata.event|${EVENT_ENVELOPE_VERSION}|${ALGORITHM}|${part(key.keyId)}${key.version}|${part(subjectId)}`;

/** What comes after the event id: the stream, the type and the paths. */
function suffixText(streamId: string, type: string, paths: readonly string[]): string {
  let text = `${part(streamId)}${part(type)}${paths.length}|`;
  for (const path of paths) text += part(path);
  return text;
}

/**
 * Binds the sealed fields to their key, subject, event (id, stream, type) and paths, as UTF-8 of
 * this text. Each text goes in with its length in front, so no two bindings give the same bytes.
 * This is the stored format's definition; `EventAadBytes` gives the same bytes faster on reads.
 */
export function eventAad(
  key: AadKey,
  subjectId: string,
  event: EventBinding,
  paths: readonly string[],
): string {
  return prefixText(key, subjectId) + part(event.id) + suffixText(event.streamId, event.type, paths);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `eventAad`'s bytes for one read's events, which mostly share all but the event id. The buffer
 * holds the part before the id (key and subject), the id, and the part after it (stream, type and
 * paths); from one event to the next only what changed is written again, mostly just the id, and
 * the view handed out is made again only when the length changes. It holds AAD only (ids and
 * names, which the events hold in the clear), never plaintext or a key.
 */
export class EventAadBytes {
  #bytes = Buffer.allocUnsafeSlow(512);
  #view = this.#bytes.subarray(0, 0);
  #prefixBytes = -1;
  #prefixOf: { keyId: string; version: number; subjectId: string } | undefined;
  #idBytes = -1;
  #suffix = '';
  #suffixOf: { streamId: string; type: string; paths: readonly string[] } | undefined;

  /** The AAD, in a buffer that the next call overwrites: use it before then. */
  of(key: AadKey, subjectId: string, event: EventBinding, paths: readonly string[]): Buffer {
    const prefixOf = this.#prefixOf;
    const prefix =
      prefixOf !== undefined &&
      prefixOf.keyId === key.keyId &&
      prefixOf.version === key.version &&
      prefixOf.subjectId === subjectId
        ? undefined
        : prefixText(key, subjectId);
    const suffixOf = this.#suffixOf;
    const suffixChanged =
      suffixOf === undefined ||
      suffixOf.streamId !== event.streamId ||
      suffixOf.type !== event.type ||
      !sameList(suffixOf.paths, paths);
    if (suffixChanged) {
      this.#suffix = suffixText(event.streamId, event.type, paths);
      this.#suffixOf = { streamId: event.streamId, type: event.type, paths: [...paths] };
    }
    const id = part(event.id);
    // UTF-8 takes at most 3 bytes a UTF-16 unit.
    const room =
      ((prefix ?? '').length + id.length + this.#suffix.length) * 3 + Math.max(this.#prefixBytes, 0);
    if (room > this.#bytes.length) {
      this.#bytes = Buffer.allocUnsafeSlow(room * 2);
      this.#view = this.#bytes.subarray(0, 0);
      this.#prefixBytes = -1;
    }
    const bytes = this.#bytes;
    if (prefix !== undefined || this.#prefixBytes < 0) {
      this.#prefixBytes = bytes.write(prefix ?? prefixText(key, subjectId), 0, 'utf8');
      this.#prefixOf = { keyId: key.keyId, version: key.version, subjectId };
      this.#idBytes = -1;
    }
    const idBytes = bytes.write(id, this.#prefixBytes, 'utf8');
    let length = this.#view.length;
    // The suffix is still in place after an id of the same length (and writing a longer id into it is fine: it is written again).
    if (suffixChanged || idBytes !== this.#idBytes) {
      length = this.#prefixBytes + idBytes;
      length += bytes.write(this.#suffix, length, 'utf8');
      this.#idBytes = idBytes;
    }
    if (this.#view.length !== length) this.#view = bytes.subarray(0, length);
    return this.#view;
  }
}
