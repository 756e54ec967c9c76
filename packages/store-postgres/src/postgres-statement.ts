import type { PostgresQueryConfig } from './postgres-pool.js';
import { RAW_TEXT } from './postgres-row-codec.js';

/**
 * A statement the store runs often: prepared once per connection under a name derived from its
 * text (two stores over different tables sharing one pool never clash), rows as arrays of text.
 */
export interface PreparedStatement {
  query(values: unknown[]): PostgresQueryConfig;
}

export function preparedStatement(text: string): PreparedStatement {
  const name = `strata_${fnv1a32(text).toString(16)}_${text.length}`;
  return {
    query: (values) => ({ name, text, values, rowMode: 'array', types: RAW_TEXT }),
  };
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
