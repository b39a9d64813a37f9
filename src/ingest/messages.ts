/**
 * Every reject reason and the sentence a rota coordinator reads for it, in one place. Tests
 * assert these exact messages. `row` holds the raw values of the rejected row as exported.
 */
export type RejectReason =
  | 'missing_field'
  | 'unknown_status'
  | 'bad_date'
  | 'not_week_start'
  | 'bad_time'
  | 'bad_number'
  | 'bad_boolean'
  | 'bad_timestamp'
  | 'unknown_practice'
  | 'unknown_network'
  | 'no_network'
  | 'network_mismatch'
  | 'unknown_role'
  | 'unknown_engagement'
  | 'unknown_session_type'
  | 'unknown_delivery'
  | 'missing_person'
  | 'negative_value'
  | 'non_positive_hours'
  | 'too_long'
  | 'duplicate_shift_id';

type Raw = Record<string, string | null | undefined>;

const q = (value: string | null | undefined) => `"${value ?? ''}"`;

const MESSAGES: Record<RejectReason, (row: Raw, detail: string | null) => string> = {
  missing_field: (_r, d) => `${d ?? 'a required field'} ${d?.includes(',') ? 'are' : 'is'} empty`,
  unknown_status: (r) => `status ${q(r.status)} is not one of filled, unfilled, cancelled`,
  bad_date: (r) =>
    `date ${q(r.date ?? r.week_start)} is not a real date (use YYYY-MM-DD or DD/MM/YYYY)`,
  not_week_start: (r) => `week_start ${q(r.week_start)} is not a Monday`,
  bad_time: (r) =>
    `start ${q(r.start_time)} or end ${q(r.end_time)} is not a time (use HH:MM, e.g. 18:30)`,
  bad_number: (r) =>
    `a number could not be read (break_minutes ${q(r.break_minutes)}, cost_gbp ${q(r.cost_gbp)}, available_hours ${q(r.available_hours)})`,
  bad_boolean: (r) => `arrs_funded ${q(r.arrs_funded)} is not true or false`,
  bad_timestamp: () =>
    'a timestamp (published_at, filled_at or exported_at) is not YYYY-MM-DD HH:MM',
  unknown_practice: (r) =>
    `practice ${q(r.practice_code ?? r.home_practice_code)} is not a known GP practice ODS code`,
  unknown_network: (r) => `network ${q(r.network_code)} is not a known PCN code`,
  no_network: (r) =>
    `practice ${q(r.practice_code)} is in no PCN and the row gives no network_code`,
  network_mismatch: (r) => `practice ${q(r.practice_code)} is not in network ${q(r.network_code)}`,
  unknown_role: (r) => `role ${q(r.role)} is not a Rotascope role (see docs/generic-csv.md)`,
  unknown_engagement: (r) =>
    `engagement ${q(r.engagement)} is not one of salaried, bank, locum, agency`,
  unknown_session_type: (r) =>
    `session_type ${q(r.session_type)} is not in_hours or extended_hours`,
  unknown_delivery: (r) => `delivery ${q(r.delivery)} is not on_site or remote`,
  missing_person: () => 'the shift is filled but names no person_id',
  negative_value: () => 'a cost, break or hours value is negative',
  non_positive_hours: (r, d) =>
    `the shift ${r.start_time ?? ''}-${r.end_time ?? ''} with a ${r.break_minutes ?? '0'}-minute break leaves ${d ?? 'no'} hours of work`,
  too_long: (r) => `the shift ${r.start_time ?? ''}-${r.end_time ?? ''} is longer than 24 hours`,
  duplicate_shift_id: (r, d) =>
    `shift_id ${q(r.shift_id)} already appears on row ${d ?? '?'} of this file`,
};

export function rejectMessage(
  reason: string,
  sourceRow: number,
  row: Raw,
  detail: string | null,
): string {
  const describe = MESSAGES[reason as RejectReason];
  const text = describe ? describe(row, detail) : `rejected (${reason})`;
  return `Row ${sourceRow}: ${text}.`;
}
