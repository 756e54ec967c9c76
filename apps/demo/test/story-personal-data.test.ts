import { describe, expect, it } from 'vitest';
import { tellStory } from '../src/story.js';
import { tellPersonalDataStory } from '../src/story-personal-data.js';
import { demoStores } from './demo-stores.js';

describe.each(demoStores)('the personal-data sections on %s, after the story', (_name, createStores) => {
  it('upcasts an old event, keeps personal data out of storage, and replays after a forget', async () => {
    const lines: string[] = [];
    const { store, side, keys } = await createStores();
    await tellStory(store, side, (line) => lines.push(line));
    await tellPersonalDataStory(store, keys, (line) => lines.push(line));
    const output = lines.join('\n');

    expect(output).toContain(
      'stored:  user.registered v1 {"email":"grace@example.com","full_name":"Grace Hopper"}',
    );
    expect(output).toContain(
      'read through withUpcasting: user.registered v2, fields email, name, registeredAt',
    );
    expect(output).toContain("loaded as today's User: Grace Hopper <grace@example.com>");
    expect(output).toContain('the table still holds v1');

    expect(output).toContain('stored user.registered: fields registeredAt, $strata.encrypted');
    expect(output).toContain("plaintext personal data in alan's 6 stored events: none");
    expect(output).toContain('read through the wrappers: Alan Turing <alan@example.com>');
    expect(output).toContain("forget('alan'): 1 data key destroyed");
    expect(output).toContain('user-alan now loads as: [redacted] <[redacted]>');
    expect(output).toContain('order-2001 still loads: paid, €18.00, deliver to [redacted]');
    expect(output).toContain('order-2002 still loads: open, €6.00, deliver to [redacted]');
    expect(output).toMatch(
      /the whole log replays after the forget \(\d+ events\): alan's history is 2 orders, €24\.00/,
    );

    // Checked here too, not only printed: no stored event holds alan's personal data.
    const stored = JSON.stringify((await store.readAll({ limit: 5_000 })).map((event) => event.data));
    for (const secret of ['alan@example.com', 'Alan Turing', 'Bletchley'])
      expect(stored).not.toContain(secret);
    expect(await keys.latestKey('alan')).toBeUndefined();
    await store.close();
  });
});
