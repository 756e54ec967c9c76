import { type PreparedAppend, ValidationError } from '@strata/core';

// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form (the driver
// would store U+FFFD instead). JSON payloads are unaffected: JSON.stringify escapes both.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `ValidationError` for a name PostgreSQL text cannot store exactly. */
export function assertStorableText(value: string, path: string): void {
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
    throw new ValidationError(
      path,
      'contains U+0000 or an unpaired surrogate, which PostgreSQL text cannot store',
    );
  }
}

/** The names of an append (ids and types) that go into text columns. */
export function assertStorableAppend(append: PreparedAppend): void {
  assertStorableText(append.streamId, 'streamId');
  assertStorableText(append.streamType, 'options.streamType');
  append.events.forEach((event, i) => {
    assertStorableText(event.id, `events[${i}].id`);
    assertStorableText(event.type, `events[${i}].type`);
  });
}
