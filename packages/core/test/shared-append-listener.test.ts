import { describe, expect, it, vi } from 'vitest';
import { type AppendChannelHandlers, type AppendNotice, SharedAppendListener } from '../src/index.js';

/** An opener whose channels the test drives by hand, counting what was opened and closed. */
function channels(failOpens = 0) {
  const opened: AppendChannelHandlers[] = [];
  let closed = 0;
  let refusals = failOpens;
  const open = async (handlers: AppendChannelHandlers) => {
    if (refusals-- > 0) throw new Error('connection refused');
    opened.push(handlers);
    return {
      close: async () => {
        closed++;
      },
    };
  };
  return { open, opened, closedCount: () => closed };
}

const fast = { minReconnectMs: 1, maxReconnectMs: 4 };

describe('SharedAppendListener', () => {
  it('opens one connection for every listener, announces the start, and closes after the last leaves', async () => {
    const { open, opened, closedCount } = channels();
    const notifier = new SharedAppendListener(open, fast);
    const a: AppendNotice[] = [];
    const b: AppendNotice[] = [];
    const stopA = notifier.subscribe({ onAppend: (notice) => void a.push(notice) });
    const stopB = notifier.subscribe({ onAppend: (notice) => void b.push(notice) });
    await vi.waitFor(() => expect(notifier.listening).toBe(true));
    expect(opened).toHaveLength(1);
    opened[0]!.notice(7n);
    expect(a).toEqual([{ lastPosition: undefined }, { lastPosition: 7n }]);
    expect(b).toEqual(a);
    stopA();
    opened[0]!.notice(8n);
    expect(a).toHaveLength(2);
    expect(b.at(-1)).toEqual({ lastPosition: 8n });
    stopB();
    await vi.waitFor(() => expect(closedCount()).toBe(1));
    expect(notifier.listening).toBe(false);
  });

  it('reports a lost connection to every listener and reopens it, announcing that notices may be missing', async () => {
    const { open, opened, closedCount } = channels();
    const notifier = new SharedAppendListener(open, fast);
    const notices: AppendNotice[] = [];
    const errors: unknown[] = [];
    notifier.subscribe({ onAppend: (n) => void notices.push(n), onError: (e) => void errors.push(e) });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const cause = new Error('terminated by administrator');
    opened[0]!.lost(cause);
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    expect(errors).toEqual([cause]);
    expect(closedCount()).toBe(1);
    // A notice from the dead channel is no longer delivered... but the new one's are.
    opened[1]!.notice(3n);
    expect(notices).toEqual([{ lastPosition: undefined }, { lastPosition: undefined }, { lastPosition: 3n }]);
    await notifier.close();
    expect(closedCount()).toBe(2);
  });

  it('keeps trying to open a refused connection, reporting each failure, and never throws from subscribe', async () => {
    const { open, opened } = channels(3);
    const notifier = new SharedAppendListener(open, fast);
    const errors: unknown[] = [];
    const throwing = {
      onAppend: () => {
        throw new Error('a broken listener');
      },
      onError: () => {
        throw new Error('a broken error handler');
      },
    };
    notifier.subscribe(throwing);
    notifier.subscribe({ onAppend: () => {}, onError: (e) => void errors.push(e) });
    await vi.waitFor(() => expect(notifier.listening).toBe(true));
    expect(errors.map((e) => (e as Error).message)).toEqual(Array(3).fill('connection refused'));
    expect(opened).toHaveLength(1);
    await notifier.close();
    const late: unknown[] = [];
    notifier.subscribe({ onAppend: () => {}, onError: (e) => void late.push(e) });
    expect(late).toHaveLength(1);
    expect(opened).toHaveLength(1);
  });
});
