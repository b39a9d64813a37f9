/**
 * The canonical vocabulary of the data contract (DESIGN §3.1): roles and their staff groups,
 * engagements, statuses, session types and delivery modes.
 */
export const STAFF_GROUP_BY_ROLE = {
  gp: 'gp',
  advanced_practitioner: 'direct_patient_care',
  practice_nurse: 'nurse',
  nursing_associate: 'nurse',
  hca: 'direct_patient_care',
  clinical_pharmacist: 'direct_patient_care',
  pharmacy_technician: 'direct_patient_care',
  physician_associate: 'direct_patient_care',
  first_contact_physio: 'direct_patient_care',
  paramedic: 'direct_patient_care',
  social_prescribing_link_worker: 'direct_patient_care',
  care_coordinator: 'direct_patient_care',
  health_wellbeing_coach: 'direct_patient_care',
  mental_health_practitioner: 'direct_patient_care',
  dietitian: 'direct_patient_care',
  podiatrist: 'direct_patient_care',
  occupational_therapist: 'direct_patient_care',
  admin: 'admin',
  other: 'direct_patient_care',
} as const;

export type Role = keyof typeof STAFF_GROUP_BY_ROLE;
export type StaffGroup = (typeof STAFF_GROUP_BY_ROLE)[Role];
export const ROLES = Object.keys(STAFF_GROUP_BY_ROLE) as Role[];

export const ENGAGEMENTS = ['salaried', 'bank', 'locum', 'agency'] as const;
export type Engagement = (typeof ENGAGEMENTS)[number];

export const STATUSES = ['filled', 'unfilled', 'cancelled'] as const;
export type ShiftStatus = (typeof STATUSES)[number];

export const SESSION_TYPES = ['in_hours', 'extended_hours'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const DELIVERIES = ['on_site', 'remote'] as const;
export type Delivery = (typeof DELIVERIES)[number];
