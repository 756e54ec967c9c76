import { ALGORITHM, type CipherKey, openPacked, packSealed, seal } from './aes-gcm.js';
import { ENVELOPE_MARK } from './field-envelope.js';
import { defineValue, setValueAt } from './field-paths.js';

/** Envelope version 2: one per event for all its fields. Version 1 (`field-envelope.ts`) was one per field. */
const EVENT_ENVELOPE_VERSION = 2;

/**
 * What an event with encrypted fields holds in storage since envelope version 2: the configured
 * fields are taken out of `data` and sealed together, as one JSON array in the order of `paths`,
 * into this envelope under the key `$strata.encrypted`. One AES-256-GCM operation per event
 * rather than one per field: node:crypto spends some 2.4 µs setting up each one, more than a
 * SQLite read of the whole event. `kid`, `kv`, `alg` and `sub` mean what they mean in a field
 * envelope; `paths` are bound into the additional authenticated data, so no field can be moved
 * in or out of the envelope unnoticed.
 */
export interface EventEnvelope {
  v: typeof EVENT_ENVELOPE_VERSION;
  alg: typeof ALGORITHM;
  kid: string;
  kv: number;
  sub: string;
  paths: string[];
  /** The IV (12 bytes), the tag (16) and the ciphertext, as one base64 text. */
  ct: string;
}

/** An envelope's parts, checked. */
export interface OpenableEventEnvelope {
  keyId: string;
  keyVersion: number;
  subject: string;
  paths: string[];
  /** `ct`, still base64: decoded where it is opened. */
  packed: string;
}

/** Where an event's sealed fields belong: the event they are bound to. */
export interface EventBinding {
  id: string;
  streamId: string;
  type: string;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `text` with its length in front: parts joined this way can be split again one way only. A text
 * with surrogates goes in as the hex of its UTF-16 code units (marked `~`): UTF-8 turns every lone
 * surrogate into the same bytes, and would let two bindings collide.
 */
const part = (text: string): string =>
  SURROGATE.test(text) ? `~${part(Buffer.from(text, 'utf16le').toString('hex'))}` : `${text.length}:${text}`;

/**
 * Binds the sealed fields to their key, subject, event (id, stream, type) and paths. Each text
 * goes in with its length in front, so no two bindings give the same bytes; that costs about half of
 * what `JSON.stringify` of the same list did, on a path taken once per event read.
 */
function eventAad(
  key: { keyId: string; version: number },
  subjectId: string,
  event: EventBinding,
  paths: readonly string[],
): string {
  let text = `strata.event|${EVENT_ENVELOPE_VERSION}|${ALGORITHM}|${part(key.keyId)}${key.version}|${part(subjectId)}${part(event.id)}${part(event.streamId)}${part(event.type)}${paths.length}|`;
  for (const path of paths) text += part(path);
  return text;
}

/** The envelope sealing `valuesJson` (a JSON array of the fields at `paths`, in that order) for `event`. */
export function sealEventFields(
  key: { keyId: string; version: number; cipherKey: CipherKey; subjectDigest: string },
  subjectId: string,
  event: EventBinding,
  paths: string[],
  valuesJson: string,
): EventEnvelope {
  const plaintext = Buffer.from(valuesJson, 'utf8');
  const aad = Buffer.from(eventAad(key, subjectId, event, paths), 'utf8');
  const sealed = seal(key.cipherKey, plaintext, aad);
  return {
    v: EVENT_ENVELOPE_VERSION,
    alg: ALGORITHM,
    kid: key.keyId,
    kv: key.version,
    sub: key.subjectDigest,
    paths,
    ct: packSealed(sealed),
  };
}

/** The sealed values, in the order of `envelope.paths`; throws when they do not authenticate. */
export function openEventFields(
  key: { keyId: string; version: number; cipherKey: CipherKey },
  subjectId: string,
  event: EventBinding,
  envelope: OpenableEventEnvelope,
): unknown[] {
  const aad = eventAad(key, subjectId, event, envelope.paths);
  const plaintext = openPacked(key.cipherKey, envelope.packed, aad);
  const values = JSON.parse(plaintext.toString('utf8')) as unknown;
  if (!Array.isArray(values) || values.length !== envelope.paths.length) {
    throw new Error('the sealed values do not match the envelope’s paths');
  }
  return values;
}

/** The envelope's parts, or a description of what is wrong with it. */
export function readEventEnvelope(value: unknown): OpenableEventEnvelope | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'the envelope is not an object';
  const { v, alg, kid, kv, sub, paths, ct } = value as Record<string, unknown>;
  if (v !== EVENT_ENVELOPE_VERSION) return `envelope version ${String(v)} is not known`;
  if (alg !== ALGORITHM) return `algorithm ${String(alg)} is not supported`;
  if (typeof kid !== 'string' || kid.length === 0) return 'the key id is missing';
  if (!Number.isSafeInteger(kv) || (kv as number) < 1) return 'the key version is not a positive integer';
  if (typeof sub !== 'string') return 'the subject digest is missing';
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((path) => typeof path === 'string')) {
    return 'the field paths are missing';
  }
  if (typeof ct !== 'string') return 'the ciphertext is missing';
  return { keyId: kid, keyVersion: kv as number, subject: sub, paths, packed: ct };
}

/** A copy of stored `data` without its envelope and with `values` at `paths`; `undefined` if one cannot go there. */
export function restoreFields(
  data: Record<string, unknown>,
  paths: readonly string[],
  values: readonly unknown[],
): Record<string, unknown> | undefined {
  const { [ENVELOPE_MARK]: _envelope, ...restored } = data;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    if (!path.includes('.')) defineValue(restored, path, values[i]);
    else if (!setValueAt(restored, path.split('.'), values[i])) return undefined;
  }
  return restored;
}
