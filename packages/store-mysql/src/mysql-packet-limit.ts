import { type PreparedAppend, utf8ByteLength, ValidationError } from '@strata/core';

/**
 * Bytes an event's row takes beside its data and metadata: four names of up to 255 characters
 * (4 bytes each in utf8mb4), the numbers, and the statement's own text.
 */
const ROW_OVERHEAD_BYTES = 8 * 1024;

/**
 * Refuses, before the append joins a group, an event the server could never take: its row would
 * not fit in one packet (`max_allowed_packet`), and the statement would fail every append of the
 * group it was sent with.
 */
export function assertFitsPacket(append: PreparedAppend, maxAllowedPacket: number): void {
  append.events.forEach((event, i) => {
    const { dataJson, metadataJson } = event;
    // No character takes more than 3 UTF-8 bytes per UTF-16 unit: most events need no count.
    if ((dataJson.length + metadataJson.length) * 3 + ROW_OVERHEAD_BYTES <= maxAllowedPacket) return;
    const dataBytes = utf8ByteLength(dataJson);
    const metadataBytes = utf8ByteLength(metadataJson);
    const rowBytes = dataBytes + metadataBytes + ROW_OVERHEAD_BYTES;
    if (rowBytes <= maxAllowedPacket) return;
    throw new ValidationError(
      `events[${i}].${dataBytes >= metadataBytes ? 'data' : 'metadata'}`,
      `its row takes about ${rowBytes} bytes, more than this server's max_allowed_packet (${maxAllowedPacket})`,
    );
  });
}
