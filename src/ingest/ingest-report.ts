/**
 * The ingest report of one file as a line for people: what came in, what was kept, why the rest
 * was rejected, what it touched and how long it took. The file name is escaped (errors.ts printable):
 * a name is data, and may hold newlines or terminal escapes. The same facts are stored as JSON beside
 * the curated output (`ingests/<hash>.json`, see IngestManifest).
 */

import type { IngestManifest } from '../curated/ingest-manifest.js';
import { printable } from '../errors.js';

export function formatIngestReport(m: IngestManifest): string {
  const reasons = Object.entries(m.rejectsByReason)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const weeks =
    m.weeks.length === 0
      ? 'no weeks'
      : m.weeks.length === 1
        ? `week ${m.weeks[0]}`
        : `weeks ${m.weeks[0]}..${m.weeks.at(-1)} (${m.weeks.length})`;
  const networks = m.networks.length === 0 ? 'no networks' : m.networks.join(' ');
  const line =
    `${printable(m.sourceFile)}: ${m.rowsIn} rows = ${m.accepted} accepted + ${m.rejected} rejected` +
    `${reasons ? ` (${reasons})` : ''}; ${networks}; ${weeks}; ${m.seconds.toFixed(2)} s`;
  const warnings: string[] = [];
  // The object's modified time changes when a file is copied: an older export copied later
  // would supersede a newer one. Say so, and how to avoid it.
  if (m.exportedAtSource === 'modified_time' && m.rowsIn > 0) {
    warnings.push(
      `the export time is the file's modified time (its rows, title and name give none); map exported_at (docs/mappings.md, "Export time")`,
    );
  }
  // Rows on another sheet are not read: say so, so none are left out unsaid.
  for (const sheet of m.unreadSheets ?? []) {
    warnings.push(
      `sheet "${printable(sheet.name)}" was not read (${sheet.rows} non-blank row${sheet.rows === 1 ? '' : 's'}; only the sheet with the header row is); if it holds shifts, export it as a file of its own`,
    );
  }
  // Hidden rows (a filter left on, rows hidden by hand) are read: say so, as the file's reader
  // may not have meant them to count.
  if (m.hiddenRows) {
    warnings.push(
      `${m.hiddenRows} hidden row${m.hiddenRows === 1 ? ' was' : 's were'} read (rows hidden in the sheet, by a filter or by hand, count like every other row); if they should not count, delete them from the export`,
    );
  }
  // Hidden columns are read too: say which, as with hidden rows.
  if (m.hiddenColumns?.length) {
    const names = m.hiddenColumns.map((c) => `"${printable(c)}"`).join(', ');
    const one = m.hiddenColumns.length === 1;
    warnings.push(
      `column${one ? '' : 's'} ${names} ${one ? 'is' : 'are'} hidden in the sheet and ${one ? 'was' : 'were'} read (hidden columns count like every other column); if ${one ? 'it' : 'they'} should not count, delete ${one ? 'it' : 'them'} from the export`,
    );
  }
  // A misspelt optional column is read as absent (no break, no cost): say which name is near.
  for (const { mapped, found } of m.similarColumns ?? []) {
    warnings.push(
      `the mapping reads a column "${printable(mapped)}", which the file does not have; its column "${printable(found)}" was not read: if it is the same, rename it in the file or the mapping`,
    );
  }
  return [line, ...warnings.map((w) => `  warning: ${printable(m.sourceFile)}: ${w}`)].join('\n');
}
