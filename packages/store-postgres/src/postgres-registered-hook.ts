import type { CheckpointAdvanceRequest, PreparedAppend, RecordedEvent } from '@strata/core';
import type { PostgresClient } from './postgres-pool.js';

/** A hook as the append writer runs it: `onAppend`'s and `onAppendTransaction`'s alike. */
export interface RegisteredAppendHook {
  run(
    client: PostgresClient,
    events: readonly RecordedEvent[],
    checkpointAdvanced: boolean | undefined,
  ): void | Promise<void>;
  /** The checkpoint the append call moves for it (`onAppendTransaction`'s `advanceCheckpoint`). */
  advance?: CheckpointAdvanceRequest;
}

/** The advancing function's last four parameters for a group, and where each hook's answer is. */
export interface CheckpointAdvances {
  values: unknown[];
  /** The index in `r_advanced` of each hook that asked for a move. */
  slots: ReadonlyMap<RegisteredAppendHook, number>;
}

/**
 * What the hooks ask the append call to move for this group, or `undefined` when no append of it
 * holds an event of any requested checkpoint's types: the group then takes the plain call.
 */
export function checkpointAdvances(
  hooks: ReadonlySet<RegisteredAppendHook>,
  appends: readonly PreparedAppend[],
): CheckpointAdvances | undefined {
  const requesting = [...hooks].filter((hook) => hook.advance !== undefined);
  if (requesting.length === 0) return undefined;
  const names: string[] = [];
  const typeCounts: number[] = [];
  const types: string[] = [];
  const slots = new Map<RegisteredAppendHook, number>();
  const typeSets: ReadonlySet<string>[] = [];
  for (const hook of requesting) {
    const request = hook.advance!;
    slots.set(hook, names.length);
    names.push(request.name);
    typeCounts.push(request.types.length);
    types.push(...request.types);
    typeSets.push(new Set(request.types));
  }
  // Per append, per checkpoint: the 1-based index of the append's last event of its types, 0 for none.
  const lastTyped: number[] = [];
  let any = false;
  for (const append of appends) {
    for (const typeSet of typeSets) {
      let last = 0;
      for (let k = append.events.length - 1; k >= 0; k--) {
        if (typeSet.has(append.events[k]!.type)) {
          last = k + 1;
          break;
        }
      }
      if (last > 0) any = true;
      lastTyped.push(last);
    }
  }
  return any ? { values: [names, typeCounts, types, lastTyped], slots } : undefined;
}

/** `r_advanced` as text (`{t,f,NULL}`): per requested checkpoint, moved, not moved or not tried. */
export function decodeAdvanced(text: string | null | undefined): (boolean | undefined)[] {
  if (text === null || text === undefined || text.length <= 2) return [];
  return text
    .slice(1, -1)
    .split(',')
    .map((flag) => (flag === 't' ? true : flag === 'f' ? false : undefined));
}
