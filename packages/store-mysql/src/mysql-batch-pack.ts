import type { PreparedAppend } from '@strata/core';

/** Bytes one CALL of `append_batch` may carry: as one multi-row INSERT (mysql-event-insert.ts). */
const MAX_PACKED_BYTES = 4 * 1024 * 1024;

/**
 * The events of one append as the JSON array `append_batch` unpacks with `JSON_TABLE`: per event
 * [id, type, data, metadata, schema version, occurred at]. `data` and `metadata` travel as JSON
 * strings holding the store's JSON text, so the server stores that text unchanged. Undefined when
 * the array could exceed `MAX_PACKED_BYTES`: the append then takes the multi-statement path.
 */
export function packBatchEvents(append: PreparedAppend): string | undefined {
  let bound = 2;
  for (const event of append.events) {
    // A UTF-16 unit takes at most 3 UTF-8 bytes, an escaped ASCII one at most 2 (\" or \\), a
    // control character 7 (\\u001f, escaped twice) for the 6 of its first escape; plus the numbers.
    const units = event.id.length + event.type.length + event.dataJson.length + event.metadataJson.length;
    bound += units * 3 + 64;
    if (bound > MAX_PACKED_BYTES) return undefined;
  }
  return JSON.stringify(
    append.events.map((event) => [
      event.id,
      event.type,
      event.dataJson,
      event.metadataJson,
      event.schemaVersion,
      event.occurredAt.getTime(),
    ]),
  );
}
