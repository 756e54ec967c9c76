export type { DataKeyCacheOptions } from './data-key-cache.js';
export { withEncryption } from './encrypting-event-store.js';
export { type SnapshotEncryptionOptions, withSnapshotEncryption } from './encrypting-snapshot-store.js';
export { createEncryption, Encryption } from './encryption.js';
export type { EncryptionOptions, SubjectSource } from './encryption-options.js';
export { ENVELOPE_MARK, type FieldEnvelope } from './field-envelope.js';
export { IntegrityError, type IntegrityTarget } from './integrity-error.js';
export { MasterKey, masterKey } from './master-key.js';
export type { RewrapOptions, RewrapProgress } from './rewrap.js';
