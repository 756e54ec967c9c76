import type { NewEvent } from '@strata/core';
import { uniqueEventId } from './unique-names.js';

/** `count` events with fresh ids and data `{ n }` counting from `firstN`. */
export function makeEvents(count: number, type: string, firstN = 1): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: uniqueEventId(),
    type,
    data: { n: firstN + i },
  }));
}

/** The ids of `events`, which the kit always sets. */
export function idsOf(events: readonly { id?: string }[]): string[] {
  return events.map((event) => event.id ?? '');
}

/** The `{ n }` of each event `makeEvents` made. */
export function numbersOf(events: readonly { data: unknown }[]): number[] {
  return events.map((event) => (event.data as { n: number }).n);
}

export function versionsOf(events: readonly { version: number }[]): number[] {
  return events.map((event) => event.version);
}

/** 1..n (or from..to), for comparing version lists. */
export function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
