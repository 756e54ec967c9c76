export { ConcurrencyError } from './concurrency-error.js';
export { DuplicateEventError } from './duplicate-event-error.js';
export { SerializationError } from './serialization-error.js';
export { StoreClosedError } from './store-closed-error.js';
export { StoreUnavailableError } from './store-unavailable-error.js';
export { StrataError } from './strata-error.js';
export { StreamNotFoundError } from './stream-not-found-error.js';
export { ValidationError } from './validation-error.js';
