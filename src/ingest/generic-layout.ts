/**
 * The project's own CSV layout (`generic` source system), documented in docs/generic-csv.md,
 * with a template in docs/templates/. The demo generator writes it and ingest reads it.
 */
import { csvCell } from '../csv-cell.js';

export const GENERIC_SHIFT_COLUMNS = [
  'shift_id',
  'practice_code',
  'network_code',
  'role',
  'engagement',
  'arrs_funded',
  'person_id',
  'date',
  'start_time',
  'end_time',
  'break_minutes',
  'session_type',
  'delivery',
  'status',
  'cost_gbp',
  'published_at',
  'filled_at',
  'exported_at',
] as const;

export const GENERIC_AVAILABILITY_COLUMNS = [
  'person_id',
  'network_code',
  'home_practice_code',
  'role',
  'engagement',
  'week_start',
  'session_type',
  'available_hours',
  'exported_at',
] as const;

export type GenericShiftRow = Record<(typeof GENERIC_SHIFT_COLUMNS)[number], string>;
export type GenericAvailabilityRow = Record<(typeof GENERIC_AVAILABILITY_COLUMNS)[number], string>;

export function toCsv(columns: readonly string[], rows: readonly Record<string, string>[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
