import { inspect } from 'node:util';
import { assert } from 'vitest';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** One of core's error classes, as far as the kit needs it. */
export interface ErrorKind<E> {
  readonly code: string;
  readonly name: string;
  isInstance(error: unknown): error is E;
}

/** Runs `call` and records how it ended; a synchronous throw counts as a rejection. */
export async function settle<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Asserts that `call` rejects with `kind` (checked with `isInstance`) and returns the error. */
export async function expectRejection<E>(call: () => Promise<unknown>, kind: ErrorKind<E>): Promise<E> {
  const outcome = await settle(call);
  if (outcome.ok)
    assert.fail(`expected ${kind.name} (${kind.code}), but the call returned ${show(outcome.value)}`);
  if (!kind.isInstance(outcome.error)) {
    assert.fail(`expected ${kind.name} (${kind.code}), but the call threw ${describeError(outcome.error)}`);
  }
  return outcome.error;
}

/** A one-line description of anything thrown, for assertion messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${code === undefined ? '' : ` [${String(code)}]`}: ${error.message}`;
  }
  return show(error);
}

export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 200 });
}
