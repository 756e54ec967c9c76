import { latencyColumns } from '../latency-columns.js';
import { formatTextTable, type TextColumn } from '../text-table.js';
import { APPEND_CASE_LABELS, APPEND_MODES, type AppendCaseResult } from './append-latency.js';
import { READ_CASE_LABELS, type ReadCaseResult } from './read-latency.js';
import { formatOverhead, formatShare } from './tiered-goals.js';

const perOp = (n: number) => n.toFixed(2);

/** Labels of the warm tiers by backend name, for the first column. */
export type BackendLabels = ReadonlyMap<string, string>;

/** One row per warm tier, stream length and case; "vs warm" is warm alone's p50 over this row's. */
export function formatReadTable(results: readonly ReadCaseResult[], labels: BackendLabels): string {
  const warmP50 = (r: ReadCaseResult) =>
    results.find((w) => w.backend === r.backend && w.size === r.size && w.readCase === 'warm')?.latency.p50;
  const columns: TextColumn<ReadCaseResult>[] = [
    { header: 'Warm tier', align: 'left', cell: (r) => labels.get(r.backend) ?? r.backend },
    { header: 'Events', align: 'right', cell: (r) => r.size.toLocaleString('en-US') },
    { header: 'readStream', align: 'left', cell: (r) => READ_CASE_LABELS[r.readCase] },
    ...latencyColumns(),
    {
      header: 'vs warm',
      align: 'right',
      cell: (r) => {
        const warm = warmP50(r);
        return warm === undefined ? '' : `${(warm / r.latency.p50).toFixed(2)}x`;
      },
    },
    { header: 'Warm calls', align: 'right', cell: (r) => perOp(r.warm.reads) },
    { header: 'Event rows', align: 'right', cell: (r) => perOp(r.warm.eventRows) },
    { header: 'Version rows', align: 'right', cell: (r) => perOp(r.warm.versionLookups) },
    { header: 'Hits', align: 'right', cell: (r) => formatShare(r.hitShare) },
    { header: 'Reads', align: 'right', cell: (r) => String(r.latency.count) },
  ];
  return formatTextTable(columns, results, (r) => `${r.backend}:${r.size}`);
}

/** One row per warm tier and append case; "overhead" is this row's p50 over warm alone's. */
export function formatAppendTable(results: readonly AppendCaseResult[], labels: BackendLabels): string {
  const warmP50 = (r: AppendCaseResult) =>
    results.find((w) => w.backend === r.backend && w.appendCase === 'warm' && w.mode === r.mode)?.latency.p50;
  const columns: TextColumn<AppendCaseResult>[] = [
    { header: 'Warm tier', align: 'left', cell: (r) => labels.get(r.backend) ?? r.backend },
    { header: 'Append of 1 event', align: 'left', cell: (r) => APPEND_CASE_LABELS[r.appendCase] },
    { header: 'Mode', align: 'left', cell: (r) => r.mode },
    ...latencyColumns(),
    {
      header: 'Overhead p50',
      align: 'right',
      cell: (r) => {
        const warm = warmP50(r);
        return warm === undefined || r.appendCase === 'warm' ? '' : formatOverhead(r.latency.p50 / warm - 1);
      },
    },
    { header: 'Warm reads', align: 'right', cell: (r) => perOp(r.warm.reads) },
    { header: 'Event rows', align: 'right', cell: (r) => perOp(r.warm.eventRows) },
    { header: 'Written through', align: 'right', cell: (r) => formatShare(r.writeThroughShare) },
    { header: 'Appends', align: 'right', cell: (r) => String(r.latency.count) },
  ];
  const ordered = [...results].sort(
    (a, b) =>
      a.backend.localeCompare(b.backend) || APPEND_MODES.indexOf(a.mode) - APPEND_MODES.indexOf(b.mode),
  );
  return formatTextTable(columns, ordered, (r) => `${r.backend}:${r.mode}`);
}
