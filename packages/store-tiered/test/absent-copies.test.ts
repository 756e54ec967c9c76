import { describe, expect, it } from 'vitest';
import { ABSENT_COPY_TRUST_MS, AbsentCopies, MAX_ABSENT_COPIES } from '../src/absent-copies.js';

function live(now = () => 0): AbsentCopies {
  const absent = new AbsentCopies(() => {}, now);
  absent.live();
  return absent;
}

describe('AbsentCopies', () => {
  it('knows nothing until its notices are live, and asks for the hot tier at the first mark', () => {
    let asked = 0;
    const absent = new AbsentCopies(() => asked++);
    const mark = absent.mark();
    absent.mark();
    expect([mark, asked]).toEqual([-1, 1]);
    absent.record('s', mark);
    expect(absent.has('s')).toBe(false);
    absent.live();
    absent.record('s', absent.mark());
    expect(absent.has('s')).toBe(true);
  });

  it("refuses a fact when a notice for the stream came after its mark, not one for another stream's", () => {
    const absent = live();
    const mark = absent.mark();
    absent.copied('other');
    absent.record('s', mark);
    expect(absent.has('s')).toBe(true);
    const late = absent.mark();
    absent.copied('s');
    absent.record('s', late);
    expect(absent.has('s')).toBe(false);
    // A notice before the mark does not refuse it.
    absent.record('s', absent.mark());
    expect(absent.has('s')).toBe(true);
  });

  it('a notice or its own promotion forgets the stream at once', () => {
    const absent = live();
    absent.record('s', absent.mark());
    absent.record('t', absent.mark());
    absent.copied('s');
    absent.forget('t');
    expect([absent.has('s'), absent.has('t')]).toEqual([false, false]);
  });

  it('a lapse forgets everything and refuses facts marked before it, even once live again', () => {
    const absent = live();
    absent.record('s', absent.mark());
    const before = absent.mark();
    absent.lapsed();
    expect(absent.has('s')).toBe(false);
    absent.live();
    absent.record('t', before);
    expect(absent.has('t')).toBe(false);
    absent.record('t', absent.mark());
    expect(absent.has('t')).toBe(true);
  });

  it(`trusts a fact for ${ABSENT_COPY_TRUST_MS} ms`, () => {
    let now = 1_000;
    const absent = live(() => now);
    absent.record('s', absent.mark());
    now += ABSENT_COPY_TRUST_MS - 1;
    expect(absent.has('s')).toBe(true);
    now += 1;
    expect(absent.has('s')).toBe(false);
  });

  it(`keeps at most ${MAX_ABSENT_COPIES} streams, and never a fact a forgotten notice would refuse`, () => {
    const absent = live();
    for (let i = 0; i <= MAX_ABSENT_COPIES; i++) absent.record(`s${i}`, absent.mark());
    expect(absent.has('s0')).toBe(false);
    expect(absent.has(`s${MAX_ABSENT_COPIES}`)).toBe(true);
    const mark = absent.mark();
    absent.copied('x');
    for (let i = 0; i < MAX_ABSENT_COPIES; i++) absent.copied(`n${i}`);
    // The notice for x is no longer kept: a fact about it marked before that notice is refused.
    absent.record('x', mark);
    expect(absent.has('x')).toBe(false);
  });

  it('close lapses the notices and keeps them lapsed', async () => {
    const absent = live();
    absent.record('s', absent.mark());
    await absent.close();
    absent.live();
    expect(absent.mark()).toBe(-1);
    expect(absent.has('s')).toBe(false);
  });
});
