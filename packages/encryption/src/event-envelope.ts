import { ALGORITHM, type CipherKey, openPacked, packSealed, seal } from './aes-gcm.js';
import { EVENT_ENVELOPE_VERSION, type EventAadBytes, type EventBinding, eventAad } from './event-aad.js';
import { ENVELOPE_MARK } from './field-envelope.js';
import { defineValue, setValueAt } from './field-paths.js';

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

/** An envelope's parts, checked. (Version 1, `field-envelope.ts`, was one envelope per field.) */
export interface OpenableEventEnvelope {
  keyId: string;
  keyVersion: number;
  subject: string;
  paths: string[];
  /** `ct`, still base64: decoded where it is opened. */
  packed: string;
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
  aad: EventAadBytes,
): unknown[] {
  const plaintext = openPacked(key.cipherKey, envelope.packed, aad.of(key, subjectId, event, envelope.paths));
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
  if (!Array.isArray(paths) || paths.length === 0) return 'the field paths are missing';
  for (const path of paths) if (typeof path !== 'string') return 'the field paths are missing';
  if (typeof ct !== 'string') return 'the ciphertext is missing';
  return { keyId: kid, keyVersion: kv as number, subject: sub, paths, packed: ct };
}

/**
 * Opens `data`, a read's stored event data, in place: its envelope taken out and `values` written
 * at `paths`, after the fields left in the clear, as they were appended. In place because what a
 * read returns belongs to its caller (core's `EventStore` contract); a copy of each event's data
 * was most of what opening a page of events cost beyond the decryption itself. False when a path
 * crosses a value that is not an object: `data` is then half-opened, and the read must fail.
 */
export function openFieldsInPlace(
  data: Record<string, unknown>,
  paths: readonly string[],
  values: readonly unknown[],
): boolean {
  // Stored last on seal: where the store keeps key order (JSON text), deleting the last property only
  // steps back the object's shape. (jsonb and MySQL's JSON order keys their own way.)
  delete data[ENVELOPE_MARK];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    if (!path.includes('.')) defineValue(data, path, values[i]);
    else if (!setValueAt(data, path.split('.'), values[i])) return false;
  }
  return true;
}
