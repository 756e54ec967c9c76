export interface TextColumn<T> {
  header: string;
  align: 'left' | 'right';
  cell(row: T): string;
}

/**
 * Rows as an aligned plain-text table with a header and a rule. `group` names each row's block:
 * a blank line separates consecutive rows of different groups.
 */
export function formatTextTable<T>(
  columns: readonly TextColumn<T>[],
  rows: readonly T[],
  group?: (row: T) => string,
): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => line[i]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) =>
        columns[i]!.align === 'left' ? value.padEnd(widths[i]!) : value.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const body: string[] = [];
  rows.forEach((row, i) => {
    if (group !== undefined && i > 0 && group(rows[i - 1]!) !== group(row)) body.push('');
    body.push(line(cells[i]!));
  });
  return [
    line(columns.map((column) => column.header)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body,
  ].join('\n');
}
