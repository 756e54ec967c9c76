import { type PreparedEvent, type RecordedEvent, SerializationError } from '@strata/core';

/**
 * One stored event is one JSON array, so a read costs one `JSON.parse` per event and `data` and
 * `metadata` come out of that same parse:
 *
 * `[type, version, position, recordedAt, streamType, id, schemaVersion, occurredAt, data, metadata]`
 *
 * The global log holds the same array with the stream id appended. The type comes first so a
 * `types` filter can test the text's start without parsing it. Times are epoch milliseconds. The
 * append script writes the version, position, recording time and stream type; the client prepares
 * the rest once per event. For the position see `positionJson`; reads take either form.
 */
type StoredArray = [
  type: string,
  version: number,
  position: number | string,
  recordedAt: number,
  streamType: string,
  id: string,
  schemaVersion: number,
  occurredAt: number,
  data: unknown,
  metadata: Record<string, unknown>,
  streamId?: string,
];

/** The text after the fields the script fills in: `id,schemaVersion,occurredAt,data,metadata`. */
export function encodeEventBody(event: PreparedEvent): string {
  return `${JSON.stringify(event.id)},${event.schemaVersion},${event.occurredAt.getTime()},${event.dataJson},${event.metadataJson}`;
}

/**
 * A position as stored: a JSON number up to 15 digits (all below 2^53, so exact), a string past
 * that, so a bigint survives. Not always a string: V8 interns every short string `JSON.parse`
 * makes, and a unique one per event cost `readAll` 0.5-0.7 µs per event at 200,000 events
 * (entries written before held strings; they still read). The append script applies the same rule.
 */
export function positionJson(position: bigint): string {
  const digits = position.toString();
  return digits.length <= MAX_NUMBER_DIGITS ? digits : `"${digits}"`;
}

/** Every integer of up to 15 digits is below 2^53, exact as a double. */
export const MAX_NUMBER_DIGITS = 15;

/** How every stored event of `type` begins, for filtering the log without parsing it. */
export function typePrefix(type: string): string {
  return `[${JSON.stringify(type)},`;
}

/** Decodes a stream entry (`streamId` given) or a log entry (`streamId` read from the entry). */
export function decodeEvent(text: string, streamId?: string): RecordedEvent {
  let entry: StoredArray;
  try {
    entry = JSON.parse(text) as StoredArray;
  } catch (error) {
    throw new SerializationError('(unknown)', 'a stored event is not valid JSON', { cause: error });
  }
  return {
    id: entry[5],
    streamId: streamId ?? entry[10]!,
    streamType: entry[4],
    type: entry[0],
    data: entry[8],
    metadata: entry[9],
    schemaVersion: entry[6],
    version: entry[1],
    position: BigInt(entry[2]),
    occurredAt: new Date(entry[7]),
    recordedAt: new Date(entry[3]),
  };
}

export function decodeEvents(texts: readonly string[], streamId?: string): RecordedEvent[] {
  const events = new Array<RecordedEvent>(texts.length);
  for (let i = 0; i < texts.length; i++) events[i] = decodeEvent(texts[i]!, streamId);
  return events;
}
