import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@strata/core';
import { ALGORITHM, type Sealed } from './aes-gcm.js';
import { type FieldPath, valueAt } from './field-paths.js';

/** The marker key of an envelope; no plain payload of a configured field is an object with it. */
export const ENVELOPE_MARK = '$strata.encrypted';
const ENVELOPE_VERSION = 1;

/**
 * What an encrypted field holds in storage: JSON, self-describing and versioned. `kid` and `kv` name
 * the subject's data key (its random id and version), `alg` the algorithm; the subject itself comes
 * from the event, as on write. `sub` is a digest of the subject id (which the event holds in the
 * clear anyway): when the subject's key of that version has another id, it tells a key made again
 * after a forget (redacted) from a ciphertext moved in from another subject (an integrity failure).
 */
export interface FieldEnvelope {
  [ENVELOPE_MARK]: typeof ENVELOPE_VERSION;
  alg: typeof ALGORITHM;
  kid: string;
  kv: number;
  sub: string;
  iv: string;
  tag: string;
  ct: string;
}

/** A short digest naming the subject without its id. */
export function subjectDigest(subjectId: string): string {
  return createHash('sha256').update(`strata.subject\u0000${subjectId}`).digest('base64').slice(0, 22);
}

export function toEnvelope(
  keyId: string,
  keyVersion: number,
  subject: string,
  sealed: Sealed,
): FieldEnvelope {
  return {
    [ENVELOPE_MARK]: ENVELOPE_VERSION,
    alg: ALGORITHM,
    kid: keyId,
    kv: keyVersion,
    sub: subject,
    iv: sealed.iv.toString('base64'),
    tag: sealed.tag.toString('base64'),
    ct: sealed.ciphertext.toString('base64'),
  };
}

/** True for anything that claims to be an envelope, well-formed or not. */
export function looksLikeEnvelope(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ENVELOPE_MARK in value;
}

/** The envelope's parts, or a description of what is wrong with it. */
export function readEnvelope(
  value: Record<string, unknown>,
): { keyId: string; keyVersion: number; subject: string; sealed: Sealed } | string {
  if (value[ENVELOPE_MARK] !== ENVELOPE_VERSION)
    return `envelope version ${String(value[ENVELOPE_MARK])} is not known`;
  if (value.alg !== ALGORITHM) return `algorithm ${String(value.alg)} is not supported`;
  const { kid, kv, sub, iv, tag, ct } = value;
  if (typeof kid !== 'string' || kid.length === 0) return 'the key id is missing';
  if (!Number.isSafeInteger(kv) || (kv as number) < 1) return 'the key version is not a positive integer';
  if (typeof sub !== 'string') return 'the subject digest is missing';
  if (typeof iv !== 'string' || typeof tag !== 'string' || typeof ct !== 'string') {
    return 'the IV, tag or ciphertext is missing';
  }
  return {
    keyId: kid,
    keyVersion: kv as number,
    subject: sub,
    sealed: {
      iv: Buffer.from(iv, 'base64'),
      tag: Buffer.from(tag, 'base64'),
      ciphertext: Buffer.from(ct, 'base64'),
    },
  };
}

/** Binds a field's ciphertext to its key, subject, event (id, stream, type) and path. */
export function fieldAad(
  key: { keyId: string; version: number },
  subjectId: string,
  event: { id: string; streamId: string; type: string },
  path: string,
): Buffer {
  return Buffer.from(
    JSON.stringify([
      'strata.field',
      1,
      ALGORITHM,
      key.keyId,
      key.version,
      subjectId,
      event.id,
      event.streamId,
      event.type,
      path,
    ]),
  );
}

/** A version 1 envelope found in a stored event, with where it is. */
export interface FoundEnvelope {
  keys: readonly string[];
  path: string;
  value: Record<string, unknown>;
}

export function envelopesOf(event: RecordedEvent, fields: readonly FieldPath[]): FoundEnvelope[] {
  const found: FoundEnvelope[] = [];
  for (const field of fields) {
    const value = valueAt(event.data, field.keys);
    // Plaintext from before the field was configured reads as it was stored.
    if (looksLikeEnvelope(value)) found.push({ keys: field.keys, path: field.path, value });
  }
  return found;
}
