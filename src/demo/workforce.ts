/**
 * The demo workforce: who works in each network, on which engagement, at what cost, and the
 * weekly pattern of sessions each practice needs covered. Plausible, not real: figures are
 * round numbers in the range seen in primary care (hourly cost to the network, incl. on-costs
 * for salaried staff and commission for agency staff).
 */
import type { Engagement, Role } from '../domain.js';
import type { Random } from './random.js';

/** Hourly cost in pounds by role and engagement. */
export const HOURLY_RATE_GBP: Partial<Record<Role, Record<Engagement, number>>> = {
  gp: { salaried: 58, bank: 82, locum: 95, agency: 118 },
  practice_nurse: { salaried: 27, bank: 32, locum: 38, agency: 50 },
  hca: { salaried: 15, bank: 18, locum: 21, agency: 27 },
  clinical_pharmacist: { salaried: 31, bank: 38, locum: 45, agency: 62 },
  first_contact_physio: { salaried: 30, bank: 36, locum: 44, agency: 58 },
  paramedic: { salaried: 30, bank: 36, locum: 44, agency: 58 },
  social_prescribing_link_worker: { salaried: 19, bank: 22, locum: 26, agency: 33 },
  care_coordinator: { salaried: 17, bank: 20, locum: 24, agency: 30 },
  mental_health_practitioner: { salaried: 29, bank: 35, locum: 42, agency: 55 },
};

export interface Person {
  id: string;
  role: Role;
  engagement: Engagement;
  homePractice: string;
  hourlyPence: number;
  arrs: boolean;
  /** Sessions a salaried person is contracted for each week; declared hours for pools. */
  weeklyHours: number;
}

export interface SessionPattern {
  role: Role;
  weekday: number; // 0 = Monday
  start: string;
  end: string;
  breakMinutes: number;
  sessionType: 'in_hours' | 'extended_hours';
  remoteShare: number;
}

export interface Slot extends SessionPattern {
  practice: string;
  owner: Person | undefined;
}

export interface NetworkWorkforce {
  networkCode: string;
  practices: string[];
  hub: string;
  people: Person[];
  slots: Slot[];
  /** Share of uncovered slots left unfilled (varies by network: some struggle more). */
  unfilledShare: number;
}

const GP_AM = { start: '08:30', end: '12:30', breakMinutes: 0 };
const GP_PM = { start: '14:00', end: '18:30', breakMinutes: 30 };
const DAY = { start: '09:00', end: '17:00', breakMinutes: 30 };
/**
 * ARRS roles (arrs_funded) with their head count in a small network and in a large one (45,000
 * registered patients or more). A network's role figures are published only when every role with
 * spend clears the small-number threshold (k = 3; one suppressed role closes the others, as the
 * network total would give it back), so large networks employ four of each role they fund (three
 * still clear k in a week one is on leave) and get mental health practitioners from the trust, not
 * ARRS; small networks employ one or two, and their role figures stay suppressed.
 */
const ARRS_ROLES: {
  role: Role;
  count: number;
  large: number;
  weekdays: number[];
  remoteShare: number;
}[] = [
  { role: 'clinical_pharmacist', count: 2, large: 4, weekdays: [0, 1, 2, 3, 4], remoteShare: 0.3 },
  { role: 'first_contact_physio', count: 1, large: 4, weekdays: [0, 1, 3], remoteShare: 0.05 },
  { role: 'paramedic', count: 1, large: 4, weekdays: [1, 2, 3, 4], remoteShare: 0 },
  {
    role: 'social_prescribing_link_worker',
    count: 2,
    large: 4,
    weekdays: [0, 1, 2, 3, 4],
    remoteShare: 0.4,
  },
  { role: 'care_coordinator', count: 1, large: 4, weekdays: [0, 1, 2, 3, 4], remoteShare: 0.5 },
  { role: 'mental_health_practitioner', count: 1, large: 0, weekdays: [2, 3], remoteShare: 0.25 },
];

/** Registered patients from which a network counts as large (more ARRS staff). */
const LARGE_NETWORK = 45_000;

/**
 * Enhanced Access cover planned, as a multiple of the required minimum (60 minutes per 1,000
 * patients), before unfilled shifts, by network index: most networks plan enough to meet the
 * minimum in most weeks; the fifth (U60865) plans just the minimum, so it falls short in the
 * weeks its pools leave sessions unfilled.
 */
const EA_PLAN_MARGIN = [1.12, 1.15, 1.12, 1.1, 0.99, 1.1] as const;

function hoursOf(p: { start: string; end: string; breakMinutes: number }): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return (minutes(p.end) - minutes(p.start) - p.breakMinutes) / 60;
}

function rateFor(role: Role, engagement: Engagement, random: Random): number {
  const table = HOURLY_RATE_GBP[role] ?? HOURLY_RATE_GBP.care_coordinator;
  const base = (table as Record<Engagement, number>)[engagement];
  return Math.round(base * (0.94 + random.next() * 0.12) * 100);
}

/** Build a network's people and weekly session pattern. */
export function buildWorkforce(
  networkCode: string,
  practices: string[],
  networkIndex: number,
  random: Random,
  /** Registered patients of the network's practices (those with a list size). */
  population: number,
): NetworkWorkforce {
  const people: Person[] = [];
  const slots: Slot[] = [];
  const short = `N${networkIndex + 1}`;
  let serial = 0;
  const person = (
    role: Role,
    engagement: Engagement,
    homePractice: string,
    weeklyHours: number,
    arrs = false,
  ): Person => {
    serial += 1;
    const p: Person = {
      id: `TH-${short}-${String(serial).padStart(3, '0')}`,
      role,
      engagement,
      homePractice,
      hourlyPence: rateFor(role, engagement, random),
      arrs,
      weeklyHours,
    };
    people.push(p);
    return p;
  };
  const hub = practices[0] as string;

  for (const practice of practices) {
    // GP sessions: a few AM and PM sessions a weekday; salaried GPs own most, some are vacancies.
    const perSession = random.int(2, 4);
    const gpSlots: Slot[] = [];
    for (let weekday = 0; weekday < 5; weekday += 1) {
      for (let k = 0; k < perSession; k += 1) {
        for (const times of [GP_AM, GP_PM]) {
          gpSlots.push({
            role: 'gp',
            weekday,
            ...times,
            sessionType: 'in_hours',
            remoteShare: 0.1,
            practice,
            owner: undefined,
          });
        }
      }
    }
    const salariedGps = Math.max(1, Math.round((gpSlots.length * 0.8) / 7));
    let next = 0;
    for (let g = 0; g < salariedGps; g += 1) {
      const sessions = random.int(6, 8);
      const gp = person('gp', 'salaried', practice, 0);
      for (let s = 0; s < sessions && next < gpSlots.length; s += 1) {
        const slot = gpSlots[(next * 7) % gpSlots.length] as Slot;
        next += 1;
        if (slot.owner) continue;
        slot.owner = gp;
        gp.weeklyHours += hoursOf(slot);
      }
    }
    slots.push(...gpSlots);
    // Nursing: a practice nurse most weekdays and an HCA three days.
    const nurse = person('practice_nurse', 'salaried', practice, 0);
    const hca = person('hca', 'salaried', practice, 0);
    for (let weekday = 0; weekday < 5; weekday += 1) {
      const nurseSlot: Slot = {
        role: 'practice_nurse',
        weekday,
        start: '08:30',
        end: '17:00',
        breakMinutes: 60,
        sessionType: 'in_hours',
        remoteShare: 0.05,
        practice,
        owner: weekday < 4 ? nurse : undefined,
      };
      if (nurseSlot.owner) nurse.weeklyHours += hoursOf(nurseSlot);
      slots.push(nurseSlot);
      if (weekday % 2 === 0) {
        slots.push({
          role: 'hca',
          weekday,
          start: '08:00',
          end: '16:00',
          breakMinutes: 30,
          sessionType: 'in_hours',
          remoteShare: 0,
          practice,
          owner: hca,
        });
        hca.weeklyHours += 7.5;
      }
    }
  }

  // ARRS roles are employed by the network and rotate round its practices.
  for (const { role, count, large, weekdays, remoteShare } of ARRS_ROLES) {
    const heads = population >= LARGE_NETWORK ? large : count;
    for (let c = 0; c < heads; c += 1) {
      const staff = person(
        role,
        'salaried',
        practices[(c + serial) % practices.length] as string,
        0,
        true,
      );
      weekdays.forEach((weekday, i) => {
        const practice = practices[(i + c) % practices.length] as string;
        slots.push({
          role,
          weekday,
          ...DAY,
          sessionType: 'in_hours',
          remoteShare,
          practice,
          owner: staff,
        });
        staff.weeklyHours += hoursOf(DAY);
      });
    }
  }

  // Enhanced Access at the hub: weekday evenings 18:30-20:00 and Saturday 09:00-17:00, mostly
  // GPs (some remote), a nurse each session and an HCA on Saturday, covered from the pools; sized
  // from the population so the planned hours, after the network's usual unfilled share, come to
  // EA_PLAN_MARGIN times the minimum.
  const unfilledShare = 0.08 + random.next() * 0.14;
  const required = population / 1000; // hours: 60 minutes per 1,000 patients
  const planned =
    (required * (EA_PLAN_MARGIN[networkIndex] ?? 1.1)) / (0.97 * (1 - unfilledShare - 0.02));
  const eveningGps = Math.max(1, Math.round((planned * 0.35) / 7.5) - 1);
  const eveningHours = 5 * 1.5 * (eveningGps + 1);
  const saturdayGps = Math.max(1, Math.ceil((planned - eveningHours) / 7.5) - 2);
  const evening = (role: Role, remoteShare: number, weekday: number): Slot => ({
    role,
    weekday,
    start: '18:30',
    end: '20:00',
    breakMinutes: 0,
    sessionType: 'extended_hours',
    remoteShare,
    practice: hub,
    owner: undefined,
  });
  for (let weekday = 0; weekday < 5; weekday += 1) {
    for (let g = 0; g < eveningGps; g += 1) slots.push(evening('gp', 0.3, weekday));
    slots.push(evening('practice_nurse', 0, weekday));
  }
  const saturday: Role[] = [
    ...Array.from({ length: saturdayGps }, () => 'gp' as const),
    'practice_nurse',
    'hca',
  ];
  for (const role of saturday) {
    slots.push({
      role,
      weekday: 5,
      start: '09:00',
      end: '17:00',
      breakMinutes: 30,
      sessionType: 'extended_hours',
      remoteShare: role === 'gp' ? 0.1 : 0,
      practice: hub,
      owner: undefined,
    });
  }

  // Temporary staffing pools, shared across the network's practices.
  const pools: [Role, Engagement, number][] = [
    ['gp', 'bank', 4],
    ['gp', 'locum', 5],
    ['gp', 'agency', 3],
    ['practice_nurse', 'bank', 2],
    ['practice_nurse', 'locum', 1],
    ['practice_nurse', 'agency', 2],
    ['hca', 'bank', 1],
    ['clinical_pharmacist', 'locum', 1],
  ];
  for (const [role, engagement, count] of pools) {
    for (let c = 0; c < count; c += 1) {
      person(
        role,
        engagement,
        random.pick(practices),
        engagement === 'agency' ? 0 : random.int(8, 30),
      );
    }
  }
  return { networkCode, practices, hub, people, slots, unfilledShare };
}
