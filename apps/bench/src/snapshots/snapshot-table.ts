import { latencyColumns, ms } from '../latency-columns.js';
import { formatTextTable, type TextColumn } from '../text-table.js';
import { formatOverhead, formatShare } from '../tiered/tiered-goals.js';
import { LOAD_CASE_LABELS, type LoadCaseResult, type SeededSnapshot } from './load-latency.js';
import { SAVE_CASE_LABELS, SAVE_MODES, type SaveCaseResult } from './save-cost.js';
import { loadSpeedup } from './snapshot-goals.js';

/** Labels of the targets by name, for the first column. */
export type TargetLabels = ReadonlyMap<string, string>;

/** One row per target, stream length and case; "speed-up" is the replay's p50 over the snapshot load's. */
export function formatLoadTable(results: readonly LoadCaseResult[], labels: TargetLabels): string {
  const replay = (r: LoadCaseResult) =>
    results.find((x) => x.target === r.target && x.size === r.size && x.loadCase === 'replay');
  const columns: TextColumn<LoadCaseResult>[] = [
    { header: 'Target', align: 'left', cell: (r) => labels.get(r.target) ?? r.target },
    { header: 'Events', align: 'right', cell: (r) => r.size.toLocaleString('en-US') },
    { header: 'Case', align: 'left', cell: (r) => LOAD_CASE_LABELS[r.loadCase] },
    ...latencyColumns(),
    {
      header: 'Speed-up',
      align: 'right',
      cell: (r) => {
        const base = replay(r);
        return r.loadCase !== 'snapshot' || base === undefined ? '' : `${loadSpeedup(base, r).toFixed(1)}x`;
      },
    },
    { header: 'Loads', align: 'right', cell: (r) => String(r.latency.count) },
  ];
  return formatTextTable(columns, results, (r) => `${r.target}:${r.size}`);
}

/** One row per target and save case; "overhead" is this row's p50 over snapshots-off's in the same mode. */
export function formatSaveTable(results: readonly SaveCaseResult[], labels: TargetLabels): string {
  const off = (r: SaveCaseResult) =>
    results.find((x) => x.target === r.target && x.saveCase === 'off' && x.mode === r.mode)?.latency.p50;
  const columns: TextColumn<SaveCaseResult>[] = [
    { header: 'Target', align: 'left', cell: (r) => labels.get(r.target) ?? r.target },
    { header: 'Save of 1 event', align: 'left', cell: (r) => SAVE_CASE_LABELS[r.saveCase] },
    { header: 'Mode', align: 'left', cell: (r) => r.mode },
    ...latencyColumns(),
    {
      header: 'Overhead p50',
      align: 'right',
      cell: (r) => {
        const base = off(r);
        return base === undefined || r.saveCase === 'off' ? '' : formatOverhead(r.latency.p50 / base - 1);
      },
    },
    {
      header: 'Snapshots',
      align: 'right',
      cell: (r) => (r.saveCase === 'off' ? '-' : formatShare(r.snapshotsPerSave)),
    },
    { header: 'Write p50 ms', align: 'right', cell: (r) => (r.write === undefined ? '-' : ms(r.write.p50)) },
    { header: 'Write p99 ms', align: 'right', cell: (r) => (r.write === undefined ? '-' : ms(r.write.p99)) },
    { header: 'Saves', align: 'right', cell: (r) => String(r.latency.count) },
  ];
  const ordered = [...results].sort(
    (a, b) =>
      targetOrder(results, a) - targetOrder(results, b) ||
      SAVE_MODES.indexOf(a.mode) - SAVE_MODES.indexOf(b.mode),
  );
  return formatTextTable(columns, ordered, (r) => `${r.target}:${r.mode}`);
}

/** One line per seeded snapshot: its size before and after compression, and its write. */
export function formatSeededSnapshot(seeded: SeededSnapshot, labels: TargetLabels): string {
  return (
    `${labels.get(seeded.target) ?? seeded.target}, ${seeded.size.toLocaleString('en-US')} events: ` +
    `${seeded.bytes.toLocaleString('en-US')} bytes of state, ${seeded.codec}, ` +
    `${seeded.storedBytes.toLocaleString('en-US')} stored, written in ${ms(seeded.writeMs)} ms`
  );
}

/** Keeps the targets in the order they ran, the report order (a sort by name would not). */
function targetOrder(results: readonly SaveCaseResult[], r: SaveCaseResult): number {
  return results.findIndex((x) => x.target === r.target);
}
