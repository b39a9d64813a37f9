/**
 * Column lists of the curated tables (DESIGN §3.1, §3.2), in the order they are written. The
 * partition columns (network_code, week_start) live in the object key, not inside the files.
 */
export const SHIFT_COLUMNS = [
  'source_system',
  'source_file',
  'source_row',
  'exported_at',
  'shift_id',
  'practice_code',
  'network_code',
  'icb_code',
  'role',
  'staff_group',
  'engagement',
  'arrs_funded',
  'clinician_key',
  'start_at',
  'end_at',
  'shift_date',
  'week_start',
  'start_hour',
  'break_minutes',
  'hours',
  'session_type',
  'delivery',
  'status',
  'published_at',
  'filled_at',
  'cost_pence',
] as const;

export const AVAILABILITY_COLUMNS = [
  'source_system',
  'source_file',
  'source_row',
  'exported_at',
  'clinician_key',
  'network_code',
  'icb_code',
  'home_practice_code',
  'role',
  'engagement',
  'week_start',
  'session_type',
  'available_hours',
] as const;

export const PARTITION_COLUMNS = ['network_code', 'week_start'] as const;
