import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CallDeadlines, type PendingCall } from '../src/index.js';

const expiredError = () => new Error('too late');

/** A call's work, settled from the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CallDeadlines', () => {
  it('settles as the work does when it finishes in time', async () => {
    const deadlines = new CallDeadlines(1_000, expiredError);
    await expect(deadlines.within(async () => 'done')).resolves.toBe('done');
    await expect(deadlines.within(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('turns work that throws before returning a promise into a rejection', async () => {
    const deadlines = new CallDeadlines(1_000, expiredError);
    await expect(
      deadlines.within(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });

  it('rejects work that outlives the timeout, marks it expired, and ignores its late answer', async () => {
    const deadlines = new CallDeadlines(30, expiredError);
    const work = deferred<string>();
    let seen: PendingCall | undefined;
    const call = deadlines.within((pending) => {
      seen = pending;
      return work.promise;
    });
    await expect(call).rejects.toThrow('too late');
    expect(seen?.expired).toBe(true);
    work.resolve('late');
    await expect(call).rejects.toThrow('too late');
  });

  it('expires every call in turn with one timer, and never one that finished', async () => {
    const deadlines = new CallDeadlines(40, expiredError);
    const first = deferred<string>();
    const second = deferred<string>();
    const quick = deferred<string>();
    const outcomes: string[] = [];
    const track = (name: string, promise: Promise<string>) =>
      promise.then(
        () => outcomes.push(`${name} ok`),
        () => outcomes.push(`${name} expired`),
      );
    const done = [
      track(
        'first',
        deadlines.within(() => first.promise),
      ),
    ];
    await sleep(15);
    done.push(
      track(
        'quick',
        deadlines.within(() => quick.promise),
      ),
    );
    quick.resolve('x');
    await sleep(10);
    done.push(
      track(
        'second',
        deadlines.within(() => second.promise),
      ),
    );
    await Promise.all(done);
    expect(outcomes).toEqual(['quick ok', 'first expired', 'second expired']);
  });

  it('maps a value with map, and a failure or an expiry with mapError; what map throws rejects as it is', async () => {
    const deadlines = new CallDeadlines(30, expiredError);
    const wrap = (error: unknown) => new Error(`wrapped: ${(error as Error).message}`);
    await expect(
      deadlines.within(
        async () => 2,
        (n) => n * 21,
        wrap,
      ),
    ).resolves.toBe(42);
    await expect(
      deadlines.within(() => Promise.reject(new Error('refused')), undefined, wrap),
    ).rejects.toThrow('wrapped: refused');
    await expect(
      deadlines.within(
        () => {
          throw new Error('sync');
        },
        undefined,
        wrap,
      ),
    ).rejects.toThrow('wrapped: sync');
    const bad = new Error('from map');
    await expect(
      deadlines.within(
        async () => 1,
        () => {
          throw bad;
        },
        wrap,
      ),
    ).rejects.toBe(bad);
    const hung = deferred<number>();
    const expired = deadlines.within(
      () => hung.promise,
      (n) => n,
      wrap,
    );
    await expect(expired).rejects.toThrow('wrapped: too late');
    hung.resolve(1);
    await expect(expired).rejects.toThrow('wrapped: too late');
  });

  it('keeps its deadlines after a quiet period: the timer re-arms for a new call', async () => {
    const deadlines = new CallDeadlines(20, expiredError);
    await deadlines.within(async () => 'warm');
    await sleep(50);
    await expect(deadlines.within(() => new Promise(() => {}))).rejects.toThrow('too late');
  });
});
