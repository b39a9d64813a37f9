/**
 * Every reject reason and the sentence a rota coordinator reads for it, in one place. Tests
 * assert these exact messages. A message names the export's own column (`label`, from the
 * source mapping) and the value found there, so the coordinator can find and fix it.
 */
export type RejectReason =
  | 'missing_field'
  | 'value_too_long'
  | 'unmapped_value'
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
  | 'network_folder_mismatch'
  | 'unknown_role'
  | 'unknown_engagement'
  | 'unknown_session_type'
  | 'unknown_delivery'
  | 'missing_person'
  | 'negative_value'
  | 'non_positive_hours'
  | 'too_long'
  | 'duplicate_shift_id';

export interface RejectFacts {
  /** The export's column(s) the problem is in, e.g. `status` or `Employee`. */
  label: string;
  /** The value found (after the mapping's value map or lookup where that applies). */
  value: string | null;
  /** Extra fact: missing column list, lookup file, first row of a duplicate id, hours. */
  detail: string | null;
}

const q = (value: string | null) => `"${value ?? ''}"`;

const MESSAGES: Record<RejectReason, (f: RejectFacts) => string> = {
  missing_field: (f) => `${f.detail} ${f.detail?.includes(',') ? 'are' : 'is'} empty`,
  value_too_long: (f) =>
    `${f.label} is longer than 1000 characters (it starts ${q(f.value)}); is a quote missing?`,
  unmapped_value: (f) =>
    `${f.label} ${q(f.value)} is not in the lookup table ${f.detail ?? ''}`.trimEnd(),
  unknown_status: (f) => `${f.label} ${q(f.value)} is not one of filled, unfilled, cancelled`,
  bad_date: (f) => `${f.label} ${q(f.value)} is not a real date (use YYYY-MM-DD or DD/MM/YYYY)`,
  not_week_start: (f) => `${f.label} ${q(f.value)} is not a Monday`,
  bad_time: (f) => `${f.label} ${q(f.value)} is not a time (use HH:MM, e.g. 18:30)`,
  bad_number: (f) => `${f.label} ${q(f.value)} is not a number`,
  bad_boolean: (f) => `${f.label} ${q(f.value)} is not true or false`,
  bad_timestamp: (f) => `${f.label} ${q(f.value)} is not a date and time (use YYYY-MM-DD HH:MM)`,
  unknown_practice: (f) => `${f.label} ${q(f.value)} is not a known GP practice ODS code`,
  unknown_network: (f) => `${f.label} ${q(f.value)} is not a known PCN code`,
  no_network: (f) => `practice ${q(f.value)} is in no PCN and the row gives no network`,
  network_mismatch: (f) => `practice ${q(f.detail)} is not in network ${q(f.value)}`,
  network_folder_mismatch: (f) =>
    `the row is for network ${q(f.value)} but the file was uploaded to the folder of network ${q(f.detail)}`,
  unknown_role: (f) => `${f.label} ${q(f.value)} is not a Rotascope role (see docs/mappings.md)`,
  unknown_engagement: (f) => `${f.label} ${q(f.value)} is not one of salaried, bank, locum, agency`,
  unknown_session_type: (f) => `${f.label} ${q(f.value)} is not in_hours or extended_hours`,
  unknown_delivery: (f) => `${f.label} ${q(f.value)} is not on_site or remote`,
  missing_person: (f) => `the shift is filled but ${f.label} is empty`,
  negative_value: (f) => `${f.label} ${q(f.value)} is negative`,
  non_positive_hours: (f) =>
    `the shift leaves ${f.detail ?? 'no'} hours of work once its break is taken off`,
  too_long: (f) =>
    f.label === ''
      ? `the shift lasts ${f.detail ?? 'more than 24'} hours, longer than 24`
      : `${f.label} ${q(f.detail)} is more than the 168 hours in a week`,
  duplicate_shift_id: (f) =>
    `${f.label} ${q(f.value)} already appears on row ${f.detail ?? '?'} of this file`,
};

export function rejectMessage(reason: string, sourceRow: number, facts: RejectFacts): string {
  const describe = MESSAGES[reason as RejectReason];
  const text = describe ? describe(facts) : `rejected (${reason})`;
  return `Row ${sourceRow}: ${text}.`;
}
