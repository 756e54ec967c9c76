import { createMysqlEventStore, type MysqlEventStore } from '../src/index.js';
import { type BenchSubject, benchEvents } from './bench-subject.js';
import { dropTables } from './bench-tables.js';

/** The store under test, on its own tables. */
export class StoreSubject implements BenchSubject {
  readonly name: string;
  private store: MysqlEventStore | undefined;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly partitions: number | undefined,
  ) {
    this.name = partitions === undefined ? 'store' : `store (${partitions} partitions)`;
  }

  async setUp(): Promise<void> {
    this.store = createMysqlEventStore({
      connection: this.url,
      tablePrefix: this.prefix,
      poolSize: 8,
      ...(this.partitions === undefined ? {} : { partitions: this.partitions }),
    });
    await this.store.migrate();
  }

  async append(streamId: string, events: Parameters<MysqlEventStore['append']>[1], expectedVersion: number) {
    await this.opened().append(streamId, events, { expectedVersion });
  }

  async seed(streamIds: readonly string[], eventsPerStream: number): Promise<void> {
    const store = this.opened();
    for (const [i, streamId] of streamIds.entries()) {
      for (let done = 0; done < eventsPerStream; done += 500) {
        const count = Math.min(500, eventsPerStream - done);
        await store.append(streamId, benchEvents(i * eventsPerStream + done, count), {
          expectedVersion: done,
        });
      }
    }
  }

  async readStream(streamId: string): Promise<number> {
    return (await this.opened().readStream(streamId)).length;
  }

  async readAll(after: bigint, limit: number) {
    const page = await this.opened().readAll({ after, limit });
    return { count: page.length, lastPosition: page[page.length - 1]?.position };
  }

  async tearDown(): Promise<void> {
    await this.store?.close();
    await dropTables(this.url, this.prefix, [
      'events',
      'event_ids',
      'streams',
      'sequence',
      'snapshots',
      'checkpoints',
      'migrations',
    ]);
  }

  private opened(): MysqlEventStore {
    if (this.store === undefined) throw new Error('setUp() first');
    return this.store;
  }
}
