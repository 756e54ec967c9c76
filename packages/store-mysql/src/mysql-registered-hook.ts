import type { CheckpointAdvanceRequest, PreparedAppend, RecordedEvent } from '@strata/core';
import type { MysqlQueryable } from './mysql-driver.js';

/** A hook as the append transaction runs it: `onAppend`'s and `onAppendTransaction`'s alike. */
export interface RegisteredAppendHook {
  run(
    connection: MysqlQueryable,
    events: RecordedEvent[],
    checkpointAdvanced: boolean | undefined,
  ): void | Promise<void>;
  /** The checkpoint the append procedure moves for it (`onAppendTransaction`'s `advanceCheckpoint`). */
  advance?: CheckpointAdvanceRequest;
}

/** The `p_checkpoints` argument of an advancing procedure, and the hooks its answers belong to, in order. */
export interface CheckpointAdvances {
  json: string;
  hooks: readonly RegisteredAppendHook[];
}

/**
 * What the hooks ask one append's procedure call to move: the checkpoints with an event of their
 * types in the append, each with the 1-based index of the last one; `undefined` when none.
 */
export function checkpointAdvances(
  hooks: readonly RegisteredAppendHook[],
  append: PreparedAppend,
): CheckpointAdvances | undefined {
  const asked: [string, number, readonly string[]][] = [];
  const asking: RegisteredAppendHook[] = [];
  for (const hook of hooks) {
    if (hook.advance === undefined) continue;
    const { name, types } = hook.advance;
    let last = append.events.length;
    while (last > 0 && !types.includes(append.events[last - 1]!.type)) last--;
    if (last === 0) continue;
    asked.push([name, last, types]);
    asking.push(hook);
  }
  return asking.length === 0 ? undefined : { json: JSON.stringify(asked), hooks: asking };
}

/** The procedure's answer (`1` moved, `0` not, per checkpoint in order), by hook. */
export function advancedByHook(
  advances: CheckpointAdvances,
  flags: unknown,
): Map<RegisteredAppendHook, boolean> {
  const text = flags === null || flags === undefined ? '' : String(flags);
  return new Map(advances.hooks.map((hook, i) => [hook, text[i] === '1']));
}
