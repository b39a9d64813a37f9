/**
 * The words people read for each code of the data contract: roles, staff groups, engagements,
 * statuses, session types, deliveries and reject reasons. One table, used by the pages, the weekly
 * reports, CSV headers meant for people and the docs (a unit test checks docs/metrics.md against
 * it). Codes stay codes in data files; only what a person reads goes through here.
 */
import type { Delivery, Engagement, Role, SessionType, ShiftStatus, StaffGroup } from './domain.js';
import type { RejectReason } from './ingest/messages.js';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  gp: 'GP',
  advanced_practitioner: 'Advanced practitioner',
  practice_nurse: 'Practice nurse',
  nursing_associate: 'Nursing associate',
  hca: 'Healthcare assistant',
  clinical_pharmacist: 'Clinical pharmacist',
  pharmacy_technician: 'Pharmacy technician',
  physician_associate: 'Physician associate',
  first_contact_physio: 'First contact physiotherapist',
  paramedic: 'Paramedic',
  social_prescribing_link_worker: 'Social prescribing link worker',
  care_coordinator: 'Care coordinator',
  health_wellbeing_coach: 'Health and wellbeing coach',
  mental_health_practitioner: 'Mental health practitioner',
  dietitian: 'Dietitian',
  podiatrist: 'Podiatrist',
  occupational_therapist: 'Occupational therapist',
  admin: 'Admin',
  other: 'Other role',
};

export const STAFF_GROUP_LABELS: Readonly<Record<StaffGroup, string>> = {
  gp: 'GPs',
  nurse: 'Nurses',
  direct_patient_care: 'Direct patient care',
  admin: 'Admin',
};

export const ENGAGEMENT_LABELS: Readonly<Record<Engagement, string>> = {
  salaried: 'Salaried',
  bank: 'Bank',
  locum: 'Locum',
  agency: 'Agency',
};

export const STATUS_LABELS: Readonly<Record<ShiftStatus, string>> = {
  filled: 'Filled',
  unfilled: 'Unfilled',
  cancelled: 'Cancelled',
};

export const SESSION_LABELS: Readonly<Record<SessionType | 'all', string>> = {
  all: 'All sessions',
  in_hours: 'Core hours',
  extended_hours: 'Extended hours',
};

export const DELIVERY_LABELS: Readonly<Record<Delivery, string>> = {
  on_site: 'On site',
  remote: 'Remote',
};

export const REASON_LABELS: Readonly<Record<RejectReason, string>> = {
  missing_field: 'A required value is missing',
  value_too_long: 'A value is too long',
  unmapped_value: 'A value the mapping does not know',
  unknown_status: 'Shift status not recognised',
  unpublished_shift: 'Draft (unpublished) shift',
  bad_date: 'Not a real date',
  not_week_start: 'Week does not start on a Monday',
  bad_time: 'Not a real time',
  bad_number: 'Not a number',
  ambiguous_number: 'Number could be read two ways',
  ambiguous_date: 'Date could be day or month first',
  ambiguous_time: 'Time could be am or pm',
  out_of_range: 'Number outside the plausible range',
  date_out_of_range: 'Date outside the accepted window',
  bad_boolean: 'Not yes or no',
  bad_timestamp: 'Not a real date and time',
  unknown_practice: 'Practice not known',
  unknown_network: 'Network not known',
  no_network: 'No network given',
  network_mismatch: 'Practice belongs to another network',
  network_folder_mismatch: 'Row is for another network than its upload',
  unknown_role: 'Role not recognised',
  unknown_engagement: 'Engagement not recognised',
  unknown_session_type: 'Session type not recognised',
  unknown_delivery: 'Delivery (on site or remote) not recognised',
  missing_person: 'Filled shift with no clinician',
  negative_value: 'Negative value',
  non_positive_hours: 'Shift of zero or negative length',
  too_long: 'Shift or hours longer than possible',
  duplicate_shift_id: 'Shift id appears twice in one export',
  duplicate_availability: 'Availability given twice in one export',
  malformed_row: 'Row could not be read',
};

const TABLES = {
  role: ROLE_LABELS,
  staff_group: STAFF_GROUP_LABELS,
  engagement: ENGAGEMENT_LABELS,
  status: STATUS_LABELS,
  session: SESSION_LABELS,
  delivery: DELIVERY_LABELS,
  reason: REASON_LABELS,
} as const;

export type LabelKind = keyof typeof TABLES;

/**
 * What a person reads for a code: the table's label, or for a code the table does not know (data
 * from a newer version, say) the code with its underscores as spaces and a capital first letter,
 * never an empty string.
 */
export function label(kind: LabelKind, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return 'Not given';
  const known = (TABLES[kind] as Readonly<Record<string, string>>)[code];
  if (known !== undefined) return known;
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
