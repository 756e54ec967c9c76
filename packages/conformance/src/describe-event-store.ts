import { describe } from 'vitest';
import { type EventStoreConformanceOptions, resolveScale } from './conformance-options.js';
import { describeAppendBasics } from './topics/append-basics.js';
import { describeBatchAtomicity } from './topics/batch-atomicity.js';
import { describeConcurrency } from './topics/concurrency.js';
import { describeEventRewrite } from './topics/event-rewrite.js';
import { describeExactPositions } from './topics/exact-positions.js';
import { describeExpectedVersion } from './topics/expected-version.js';
import { describeFreshReads } from './topics/fresh-reads.js';
import { describeIdempotency } from './topics/idempotency.js';
import { describeLargeStream } from './topics/large-stream.js';
import { describeLastPosition } from './topics/last-position.js';
import { describeModelBased } from './topics/model-based.js';
import { describePayloadFidelity } from './topics/payload-fidelity.js';
import { describeReadAll } from './topics/read-all.js';
import { describeReadStream } from './topics/read-stream.js';
import { describeReadStreams } from './topics/read-streams.js';
import { describeRefusedAppend } from './topics/refused-append.js';
import { describeStorageId } from './topics/storage-id.js';
import { describeTailingReader } from './topics/tailing-reader.js';
import { describeTwoInstances } from './topics/two-instances.js';
import { describeUnavailability } from './topics/unavailability.js';
import { describeValidation } from './topics/validation.js';

/**
 * Registers the whole conformance suite for an adapter under `describe(name)`. Topics that need
 * an option you did not pass (`createPeer`, `outage`, `seedPosition`, `refusedEvent`) show up as skipped tests naming the option.
 */
export function describeEventStore(name: string, options: EventStoreConformanceOptions): void {
  // Fail at registration, not in every test, when the scale is unusable.
  resolveScale(options);
  describe(name, () => {
    describeAppendBasics(options);
    describeExpectedVersion(options);
    describeConcurrency(options);
    describeBatchAtomicity(options);
    describeRefusedAppend(options);
    describeIdempotency(options);
    describeReadStream(options);
    describeReadStreams(options);
    describeReadAll(options);
    describeTailingReader(options);
    describeExactPositions(options);
    describeTwoInstances(options);
    describeStorageId(options);
    describeLastPosition(options);
    describeEventRewrite(options);
    describePayloadFidelity(options);
    describeFreshReads(options);
    describeValidation(options);
    describeUnavailability(options);
    describeLargeStream(options);
    describeModelBased(options);
  });
}
