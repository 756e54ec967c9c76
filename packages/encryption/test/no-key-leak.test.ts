import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { MemorySnapshotStore } from '@strata/store-memory';
import { expect, it, vi } from 'vitest';
import { unwrapDataKey } from '../src/data-key.js';
import {
  createEncryption,
  ENVELOPE_MARK,
  type EncryptionOptions,
  IntegrityError,
  masterKey,
  withEncryption,
  withSnapshotEncryption,
} from '../src/index.js';
import { MasterKey } from '../src/master-key.js';
import { CountingKeyStore, SEED_FIELDS, tampered, userCreated } from './fixtures.js';

/**
 * Every way the bytes could be printed, as searched for in output without whitespace: hex (also
 * `<Buffer 3f a2 …>` once its spaces go), base64, and decimal (`[ 63, 162, … ]`, util.inspect of a
 * Buffer without its custom inspector).
 */
function encodings(bytes: Buffer): string[] {
  const hex = bytes.toString('hex');
  return [
    hex,
    hex.toUpperCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    [...bytes].join(','),
  ];
}

/** Everything a program might print of `value`. */
function printed(value: unknown): string[] {
  return [
    String(value),
    `${value}`,
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 20, showHidden: true, getters: true }),
    inspect(value, { depth: 20, customInspect: false, showHidden: true }),
  ];
}

it('no key material in errors, logs, toString, JSON.stringify or util.inspect of stores, keys and config', async () => {
  const logged: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => inspect(arg)).join(' '));
    });
  }
  try {
    const masterBytes = randomBytes(32);
    const keyStore = new CountingKeyStore();
    const master = masterKey('m1', masterBytes);
    const options: EncryptionOptions = {
      keyStore,
      masterKeys: [master, masterKey('m0', masterBytes.toString('base64'))],
      currentMasterKeyId: 'm1',
      fields: SEED_FIELDS,
      subjectOf: (event) => (event.data as { userId: string }).userId,
    };
    const encryption = createEncryption(options);
    const { MemoryEventStore } = await import('@strata/store-memory');
    const inner = new MemoryEventStore();
    const store = withEncryption(inner, encryption);
    const snapshots = withSnapshotEncryption(new MemorySnapshotStore(), encryption, {
      subjectOf: () => 'u-1',
    });
    await store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    await store.readAll();
    await snapshots.saveSnapshot({
      streamId: 'user-u-1',
      version: 1,
      stateVersion: 1,
      state: { email: 'a' },
    });

    const wrapped = (await keyStore.latestKey('u-1'))!;
    const dataKey = unwrapDataKey(wrapped, new Map([['m1', master]]), {});
    const secrets = [...encodings(masterBytes), ...encodings(dataKey.bytes)];

    const outputs: string[] = [...printed(encryption), ...printed(store), ...printed(snapshots)];
    outputs.push(...printed(master), ...printed(options), ...printed(options.masterKeys));

    // Errors: a wrong master key, a tampered field, a key of the wrong length.
    const wrong = createEncryption({ ...options, masterKeys: [masterKey('m1', randomBytes(32))] });
    const errors: unknown[] = [
      await withEncryption(inner, wrong)
        .readAll()
        .catch((e: unknown) => e),
    ];
    const flipped = tampered(inner, (event) => {
      const data = structuredClone(event.data) as Record<string, { ct: string }>;
      const sealed = Buffer.from(data[ENVELOPE_MARK]!.ct, 'base64');
      sealed.fill(0, 12, 28); // the tag
      data[ENVELOPE_MARK]!.ct = sealed.toString('base64');
      return { ...event, data };
    });
    errors.push(
      await withEncryption(flipped, encryption)
        .readAll()
        .catch((e: unknown) => e),
    );
    errors.push(
      await Promise.resolve()
        .then(() => masterKey('short', masterBytes.subarray(0, 31)))
        .catch((e: unknown) => e),
    );
    expect(errors.every((error) => error instanceof Error)).toBe(true);
    // The wrong key and the tampered tag are the integrity failures they stand for, not slips of the test.
    expect(errors.slice(0, 2).every((error) => IntegrityError.isInstance(error))).toBe(true);
    for (const error of errors) {
      const e = error as Error;
      outputs.push(e.message, e.stack ?? '', ...printed(e), ...printed(e.cause));
    }
    outputs.push(...logged);

    // The checks can see the key: the package's own accessor prints it, so a leak would be found.
    expect(encodings(MasterKey.bytesOf(master))).toEqual(encodings(masterBytes));
    const text = outputs.join('\n').replace(/\s+/g, '');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('m1');
  } finally {
    vi.restoreAllMocks();
  }
});
