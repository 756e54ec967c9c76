import type { TextColumn } from './text-table.js';
import type { LatencySummary } from './tiered/latency-stats.js';

/** Milliseconds as every latency table prints them. */
export const ms = (n: number) => n.toFixed(3);

/** The p50, p99 and max columns of a row that carries one latency summary. */
export function latencyColumns<T extends { latency: LatencySummary }>(): TextColumn<T>[] {
  return [
    { header: 'p50 ms', align: 'right', cell: (r) => ms(r.latency.p50) },
    { header: 'p99 ms', align: 'right', cell: (r) => ms(r.latency.p99) },
    { header: 'max ms', align: 'right', cell: (r) => ms(r.latency.max) },
  ];
}
