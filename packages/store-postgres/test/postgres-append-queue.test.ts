import { type AppendResult, prepareAppend } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { AppendQueue, type QueuedAppend } from '../src/postgres-append-queue.js';

const result = (queued: QueuedAppend): AppendResult => ({
  streamId: queued.append.streamId,
  firstVersion: 1,
  lastVersion: 1,
  lastPosition: 1n,
});

/** A queue whose writer records each group and settles it on the next tick. */
function recordingQueue(maxGroupEvents = 100) {
  const groups: string[][] = [];
  const queue = new AppendQueue(
    async (group) => {
      groups.push(group.map((q) => `${q.append.streamId}:${q.append.events.map((e) => e.id).join('+')}`));
      await new Promise((resolve) => setImmediate(resolve));
      for (const queued of group) queued.resolve(result(queued));
    },
    maxGroupEvents,
    1,
  );
  const push = (streamId: string, ...ids: string[]) =>
    queue.push(
      prepareAppend(
        streamId,
        ids.map((id) => ({ id, type: 't', data: null })),
      ),
    );
  return { queue, groups, push };
}

describe('AppendQueue', () => {
  it('forms each next group a turn later, so appenders coming back through promise layers join it', async () => {
    // Writers that settle a turn later, two groups in flight, and four appenders that each append
    // again once their last append returned, through `layers` extra awaits (a wrapping store).
    const groupsFor = async (layers: number) => {
      let groups = 0;
      const queue = new AppendQueue(
        async (group) => {
          groups++;
          await new Promise((resolve) => setImmediate(resolve));
          for (const queued of group) queued.resolve(result(queued));
        },
        100,
        2,
      );
      const appendThroughLayers = async (streamId: string, id: string) => {
        const appended = await queue.push(prepareAppend(streamId, [{ id, type: 't', data: null }]));
        for (let i = 0; i < layers; i++) await null;
        return appended;
      };
      await Promise.all(
        ['a', 'b', 'c', 'd'].map(async (streamId) => {
          for (let round = 0; round < 50; round++) await appendThroughLayers(streamId, `${streamId}${round}`);
        }),
      );
      return groups;
    };
    // 200 appends by 4 appenders need at least 50 groups. Forming the next group at once when a
    // slot freed took 101 bare and 150 through layers; a turn later, 51 and 88; with appends that
    // arrive while that turn is pending joining it too, about 51 whatever the layers.
    expect(await groupsFor(0)).toBeLessThanOrEqual(60);
    for (const layers of [1, 3, 10])
      expect(await groupsFor(layers), `${layers} layers`).toBeLessThanOrEqual(60);
  });

  it('sends a lone append at once and groups the appends made while a group is in flight', async () => {
    const { groups, push } = recordingQueue();
    await Promise.all([push('a', '1'), push('b', '2'), push('c', '3'), push('d', '4')]);
    expect(groups).toEqual([['a:1'], ['b:2', 'c:3', 'd:4']]);
  });

  it('never puts two appends sharing an event id in one group, and keeps per-stream call order', async () => {
    const { groups, push } = recordingQueue();
    await Promise.all([push('x', '0'), push('a', '1'), push('b', '1'), push('b', '2'), push('c', '3')]);
    // b:1 waits (its id is in the group), so b:2 waits too, to stay behind it.
    expect(groups).toEqual([['x:0'], ['a:1', 'c:3'], ['b:1', 'b:2']]);
  });

  it('caps a group at maxGroupEvents, but an oversized append still goes alone', async () => {
    const { groups, push } = recordingQueue(3);
    await Promise.all([
      push('x', '0'),
      push('a', '1', '2'),
      push('b', '3', '4'),
      push('c', '5', '6', '7', '8'),
    ]);
    expect(groups).toEqual([['x:0'], ['a:1+2'], ['b:3+4'], ['c:5+6+7+8']]);
  });

  it('drain() waits for queued appends, including ones requeued by the writer', async () => {
    let attempts = 0;
    const queue = new AppendQueue(
      async (group, q) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (attempts++ === 0) {
          q.requeue(group);
          return;
        }
        for (const queued of group) queued.resolve(result(queued));
      },
      100,
      1,
    );
    const appended = queue.push(prepareAppend('s', [{ type: 't', data: 1 }]));
    await queue.drain();
    await expect(appended).resolves.toMatchObject({ streamId: 's' });
    expect(attempts).toBe(2);
  });
});
