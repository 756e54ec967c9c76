import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * An event could not be encoded or decoded: its type is not registered, or a stored payload
 * does not decode. Register the type (or its upcaster), or fix the codec named in the message.
 */
export class SerializationError extends StrataError {
  static readonly code = 'STRATA_SERIALIZATION';
  override readonly name: string = 'SerializationError';
  readonly eventType: string;

  constructor(eventType: string, problem: string, options?: { cause?: unknown }) {
    super(SerializationError.code, `Cannot serialize event type "${eventType}": ${problem}`, options);
    this.eventType = eventType;
  }

  static override isInstance(error: unknown): error is SerializationError {
    return hasErrorCode(error, SerializationError.code);
  }
}
