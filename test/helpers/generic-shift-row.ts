/**
 * One good row of the generic shifts layout (docs/generic-csv.md), for the bad-input corpora:
 * each case changes a field or two of it. Hand-checkable: a 4-hour GP locum session at F84698
 * (U60865) on Tuesday 10 November 2026, £380.
 */
import {
  GENERIC_AVAILABILITY_COLUMNS,
  GENERIC_SHIFT_COLUMNS,
} from '../../src/ingest/generic-layout.js';

export const GENERIC_SHIFT_HEADER = GENERIC_SHIFT_COLUMNS.join(',');

export const GOOD_GENERIC_SHIFT: Readonly<Record<string, string>> = {
  shift_id: 'OK-1',
  practice_code: 'F84698',
  network_code: 'U60865',
  role: 'gp',
  engagement: 'locum',
  arrs_funded: 'false',
  person_id: 'GMC-7100001',
  date: '2026-11-10',
  start_time: '08:30',
  end_time: '12:30',
  break_minutes: '0',
  session_type: '',
  delivery: 'on_site',
  status: 'filled',
  cost_gbp: '380.00',
  published_at: '2026-10-20 10:00',
  filled_at: '2026-11-01 16:00',
  exported_at: '2026-11-16 07:00',
};

/** The good row with some fields changed, as a CSV line (no field here needs quoting). */
export const genericShiftLine = (change: Record<string, string>) =>
  Object.values({ ...GOOD_GENERIC_SHIFT, ...change }).join(',');

export const GENERIC_AVAILABILITY_HEADER = GENERIC_AVAILABILITY_COLUMNS.join(',');

/** A GP's availability in U60865 for the week of 9 November 2026, as a CSV line ('' session: the whole week). */
export const genericAvailabilityLine = (person: string, session: string, hours: number) =>
  `${person},U60865,F84025,gp,salaried,2026-11-09,${session},${hours},2026-11-16 07:00`;

/**
 * A RotaCloud shift as its API returns it (4 hours on 10 November 2026, location 101, role 12,
 * user 501), with some keys changed.
 */
export const rotaCloudShift = (changes: Record<string, unknown> = {}) => ({
  id: 5101,
  deleted: false,
  published: true,
  open: false,
  start_time: 1794299400,
  end_time: 1794313800,
  minutes_break: 0,
  user: 501,
  location: 101,
  role: 12,
  created_at: 1792490400,
  claimed_at: null,
  ...changes,
});
