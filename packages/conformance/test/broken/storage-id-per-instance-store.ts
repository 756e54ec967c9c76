import { randomUUID } from 'node:crypto';
import { DelegatingEventStore } from './delegating-event-store.js';

/**
 * Makes its storage id when the instance is created instead of keeping one in the storage: every
 * process over one database reports another id, so a cache tied to it would never share a copy.
 */
export class StorageIdPerInstanceStore extends DelegatingEventStore {
  private readonly id = randomUUID();

  override async storageId(): Promise<string> {
    return this.id;
  }
}
