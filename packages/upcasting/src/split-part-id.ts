import { createHash } from 'node:crypto';

/** The namespace of split parts' ids, fixed forever: changing it would change every part's id. */
const SPLIT_PART_NAMESPACE = Buffer.from('0e735b2431ae425ca99c2efad78e379d', 'hex');

/**
 * The id of part `index` of the event `id`: a name-based UUID (version 5, RFC 9562) of the two,
 * so a part has the same id on every read, in every process, and no two parts share one.
 */
export function splitPartId(id: string, index: number): string {
  const hash = createHash('sha1').update(SPLIT_PART_NAMESPACE).update(`${id}/${index}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
