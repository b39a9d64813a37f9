/**
 * The demo data set: deterministic, seeded rota exports for the six Tower Hamlets PCNs and their
 * 26 practices (real ODS codes and names from data/reference), written in the `generic` CSV
 * layout, one shifts export and one availability export per network per week, keyed exactly as
 * the S3 raw bucket is (src/ingest/raw-key.ts). It includes salaried, bank, locum and agency
 * cover, vacancies and leave left unfilled, cancellations, extended-hours and remote sessions,
 * clinicians at more than one practice, a late amended export (superseding rows) and a handful of
 * deliberately bad rows. Like a real rota export, each network's latest export also holds the
 * published rota for the `AHEAD_WEEKS` weeks after the last one, partly filled: cover falls off the
 * further ahead a week is (the rota coordinator's open shifts). Those rows come from a random
 * stream of their own, so the past weeks are the same bytes with or without them.
 */
import { addDays } from '../calendar.js';
import type { Engagement } from '../domain.js';
import {
  GENERIC_AVAILABILITY_COLUMNS,
  GENERIC_SHIFT_COLUMNS,
  type GenericAvailabilityRow,
  type GenericShiftRow,
  toCsv,
} from '../ingest/generic-layout.js';
import { rawKey } from '../ingest/raw-key.js';
import type { Reference } from '../reference/organisations.js';
import { Random } from './random.js';
import { buildWorkforce, type NetworkWorkforce, type Person, type Slot } from './workforce.js';

/** Tower Hamlets networks 1, 2 and 5-8 (NHS North East London ICB). */
export const DEMO_NETWORKS = ['U50771', 'U54453', 'U87199', 'U08803', 'U60865', 'U09193'] as const;

/** Weeks of published rota ahead of the last complete week in the latest export. */
export const AHEAD_WEEKS = 3;

/**
 * The share of a week ahead's bank, locum and agency cover already booked at export time, by weeks
 * ahead (1 = the week the export is taken in); the rest is still open. Salaried sessions are on
 * the rota from the start.
 */
const AHEAD_BOOKED = [1, 0.75, 0.5, 0.3] as const;

export interface DemoOptions {
  reference: Reference;
  seed: number;
  weeks: number;
  /** Monday of the last week to generate (normally the last complete week). */
  lastWeekStart: string;
}

export interface DemoFile {
  key: string;
  body: string;
  networkCode: string;
  weekStart: string;
  kind: 'shifts' | 'availability';
  rows: number;
}

export interface DemoDataSet {
  files: DemoFile[];
  weekStarts: string[];
  /** Mondays of the published rota ahead of the last week (in the last week's shifts export). */
  aheadWeekStarts: string[];
  networkCodes: string[];
  /** Rows written on purpose to be rejected, by reason code. */
  badRows: Record<string, number>;
}

const SOURCE = 'generic';

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function slotHours(slot: Slot): number {
  return (minutesOf(slot.end) - minutesOf(slot.start) - slot.breakMinutes) / 60;
}

function localStamp(date: string, time: string): string {
  return `${date} ${time}`;
}

/** Generate the whole demo data set. Pure: same options, same bytes. */
export function generateDemo(options: DemoOptions): DemoDataSet {
  const { reference, seed, weeks, lastWeekStart } = options;
  const random = new Random(seed);
  const weekStarts = Array.from({ length: weeks }, (_, i) =>
    addDays(lastWeekStart, (i - weeks + 1) * 7),
  );
  const aheadWeekStarts = Array.from({ length: AHEAD_WEEKS }, (_, i) =>
    addDays(lastWeekStart, (i + 1) * 7),
  );
  const ahead = new Random(seed * 7919 + 17);
  const files: DemoFile[] = [];
  const badRows: Record<string, number> = {};

  DEMO_NETWORKS.forEach((networkCode, networkIndex) => {
    const network = reference.networks.get(networkCode);
    if (!network) throw new Error(`Reference data has no network ${networkCode}`);
    const population = network.practiceCodes.reduce(
      (sum, p) => sum + (reference.listSizes?.patients.get(p) ?? 0),
      0,
    );
    const workforce = buildWorkforce(
      networkCode,
      [...network.practiceCodes].sort(),
      networkIndex,
      random,
      population,
    );
    weekStarts.forEach((weekStart, weekIndex) => {
      const exportedAt = localStamp(addDays(weekStart, 7), '07:00');
      const { shifts, worked } = generateWeek(workforce, weekStart, weekIndex, exportedAt, random);
      const isLast = weekIndex === weeks - 1;
      if (isLast)
        aheadWeekStarts.forEach((aheadStart, i) => {
          const rota = generateWeek(workforce, aheadStart, weekIndex + i + 1, exportedAt, ahead, {
            weeksAhead: i + 1,
          });
          shifts.push(...rota.shifts);
        });
      if (isLast && networkCode === 'U09193') appendBadRows(shifts, weekStart, exportedAt, badRows);
      files.push(shiftsFile(networkCode, weekStart, `${weekStart}.csv`, shifts));
      if (isLast && networkCode === 'U60865') {
        files.push(
          shiftsFile(
            networkCode,
            weekStart,
            `${weekStart}_amended.csv`,
            amend(shifts, workforce, random),
          ),
        );
      }
      const availability = availabilityRows(workforce, weekStart, exportedAt, worked, random);
      if (isLast && networkCode === 'U09193') {
        availability.push({
          ...(availability[0] as GenericAvailabilityRow),
          available_hours: 'lots',
        });
        badRows.bad_number = (badRows.bad_number ?? 0) + 1;
      }
      files.push({
        key: rawKey({
          sourceSystem: SOURCE,
          networkCode,
          kind: 'availability',
          fileName: `${weekStart}.csv`,
        }),
        body: toCsv(GENERIC_AVAILABILITY_COLUMNS, availability),
        networkCode,
        weekStart,
        kind: 'availability',
        rows: availability.length,
      });
    });
  });
  return { files, weekStarts, aheadWeekStarts, networkCodes: [...DEMO_NETWORKS], badRows };
}

function shiftsFile(
  networkCode: string,
  weekStart: string,
  fileName: string,
  rows: GenericShiftRow[],
): DemoFile {
  return {
    key: rawKey({ sourceSystem: SOURCE, networkCode, kind: 'shifts', fileName }),
    body: toCsv(GENERIC_SHIFT_COLUMNS, rows),
    networkCode,
    weekStart,
    kind: 'shifts',
    rows: rows.length,
  };
}

function generateWeek(
  workforce: NetworkWorkforce,
  weekStart: string,
  weekIndex: number,
  exportedAt: string,
  random: Random,
  /** For a week after the export: how many weeks ahead (1 = the week the export is taken in). */
  options: { weeksAhead?: number } = {},
): { shifts: GenericShiftRow[]; worked: Map<string, number> } {
  const weeksAhead = options.weeksAhead ?? 0;
  const onLeave = new Set(
    workforce.people
      .filter((p) => p.engagement === 'salaried' && random.chance(0.08))
      .map((p) => p.id),
  );
  const worked = new Map<string, number>();
  const busy = new Set<string>(); // person|date|start
  // Winter pressure: cover gets a little harder as the weeks go on.
  const unfilledShare = workforce.unfilledShare + weekIndex * 0.004 + (random.next() - 0.5) * 0.04;
  const shifts: GenericShiftRow[] = [];
  let serial = 0;
  const ordered = [...workforce.slots].sort(
    (a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start),
  );
  for (const slot of ordered) {
    serial += 1;
    const date = addDays(weekStart, slot.weekday);
    const shiftId = `${workforce.networkCode}-${weekStart.replaceAll('-', '')}-${String(serial).padStart(4, '0')}`;
    const publishedOn = addDays(date, -random.int(7, 28));
    // A rota ahead was published before the export that holds it.
    const published = localStamp(
      weeksAhead > 0 && publishedOn >= exportedAt.slice(0, 10)
        ? addDays(exportedAt.slice(0, 10), -1)
        : publishedOn,
      '10:00',
    );
    const base: GenericShiftRow = {
      shift_id: shiftId,
      practice_code: slot.practice,
      network_code: workforce.networkCode,
      role: slot.role,
      engagement: '',
      arrs_funded: '',
      person_id: '',
      date,
      start_time: slot.start,
      end_time: slot.end,
      break_minutes: String(slot.breakMinutes),
      session_type: random.chance(0.5) ? slot.sessionType : '',
      delivery: 'on_site',
      status: 'unfilled',
      cost_gbp: '',
      published_at: published,
      filled_at: '',
      exported_at: exportedAt,
    };
    if (random.chance(0.03)) {
      shifts.push({ ...base, status: 'cancelled' });
      continue;
    }
    const who = chooseClinician(slot, date, workforce, onLeave, busy, unfilledShare, random);
    if (!who) {
      shifts.push(base);
      continue;
    }
    const hours = slotHours(slot);
    worked.set(who.id, (worked.get(who.id) ?? 0) + hours);
    const premium =
      slot.sessionType === 'extended_hours' && who.engagement !== 'salaried' ? 1.15 : 1;
    const late = who.engagement !== 'salaried' && random.chance(0.25);
    // Drawn in this order (late, delivery, fill day) so the weeks' bytes stay as they were.
    const delivery = random.chance(slot.remoteShare) ? 'remote' : 'on_site';
    let filledAt =
      who.engagement === 'salaried'
        ? published
        : localStamp(addDays(date, late ? -1 : -random.int(3, 6)), '16:00');
    if (weeksAhead > 0 && who.engagement !== 'salaried') {
      // Ahead of the export, cover not booked yet is still open in it; what is booked was booked
      // between publication and the export.
      if (!random.chance(AHEAD_BOOKED[weeksAhead] ?? 0.3)) {
        shifts.push(base);
        continue;
      }
      const booked = localStamp(addDays(exportedAt.slice(0, 10), -random.int(1, 5)), '16:00');
      filledAt = booked > published ? booked : published;
    }
    busy.add(`${who.id}|${date}|${slot.start}`);
    shifts.push({
      ...base,
      engagement: who.engagement,
      arrs_funded: who.arrs ? 'true' : 'false',
      person_id: who.id,
      delivery,
      status: 'filled',
      cost_gbp: ((Math.round(who.hourlyPence * premium) * hours) / 100).toFixed(2),
      filled_at: filledAt,
    });
  }
  return { shifts, worked };
}

function chooseClinician(
  slot: Slot,
  date: string,
  workforce: NetworkWorkforce,
  onLeave: Set<string>,
  busy: Set<string>,
  unfilledShare: number,
  random: Random,
): Person | undefined {
  const free = (p: Person) => !onLeave.has(p.id) && !busy.has(`${p.id}|${date}|${slot.start}`);
  if (slot.owner && free(slot.owner)) return slot.owner;
  if (random.chance(unfilledShare)) return undefined;
  // A salaried colleague from another practice sometimes covers (shared working).
  if (random.chance(0.12)) {
    const colleague = workforce.people.find(
      (p) =>
        p.role === slot.role &&
        p.engagement === 'salaried' &&
        p.homePractice !== slot.practice &&
        free(p),
    );
    if (colleague) return colleague;
  }
  const engagement = random.weighted<Exclude<Engagement, 'salaried'>>({
    bank: 0.4,
    locum: 0.4,
    agency: 0.2,
  });
  const pool = workforce.people.filter(
    (p) => p.role === slot.role && p.engagement === engagement && free(p),
  );
  const fallback = workforce.people.filter(
    (p) => p.role === slot.role && p.engagement !== 'salaried' && free(p),
  );
  const candidates = pool.length > 0 ? pool : fallback;
  return candidates.length > 0 ? random.pick(candidates) : undefined;
}

/** A later export of the same week in which locums picked up some unfilled shifts. */
function amend(
  shifts: GenericShiftRow[],
  workforce: NetworkWorkforce,
  random: Random,
): GenericShiftRow[] {
  const locums = workforce.people.filter((p) => p.role === 'gp' && p.engagement === 'locum');
  const exportedAt = localStamp(addDays(shifts[0]?.date ?? '2000-01-01', 8), '12:00');
  const changed = shifts
    .filter((s) => s.status === 'unfilled' && s.role === 'gp')
    .slice(0, 3)
    .map((s) => {
      const locum = random.pick(locums);
      const hours =
        (minutesOf(s.end_time) - minutesOf(s.start_time) - Number(s.break_minutes)) / 60;
      return {
        ...s,
        status: 'filled',
        engagement: 'locum',
        arrs_funded: 'false',
        person_id: locum.id,
        cost_gbp: ((locum.hourlyPence * hours) / 100).toFixed(2),
        filled_at: localStamp(s.date, '07:30'),
        exported_at: exportedAt,
      };
    });
  return changed;
}

function appendBadRows(
  shifts: GenericShiftRow[],
  weekStart: string,
  exportedAt: string,
  badRows: Record<string, number>,
): void {
  const template = shifts.find((s) => s.status === 'filled') as GenericShiftRow;
  const bad: [string, Partial<GenericShiftRow>][] = [
    ['bad_date', { shift_id: 'BAD-1', date: `${weekStart.slice(0, 4)}-02-30` }],
    ['unknown_practice', { shift_id: 'BAD-2', practice_code: 'F99999' }],
    ['negative_value', { shift_id: 'BAD-3', cost_gbp: '-45.00' }],
    ['unknown_status', { shift_id: 'BAD-4', status: 'maybe' }],
    ['duplicate_shift_id', { shift_id: template.shift_id }],
    [
      'non_positive_hours',
      { shift_id: 'BAD-6', start_time: '09:00', end_time: '10:00', break_minutes: '90' },
    ],
  ];
  for (const [reason, change] of bad) {
    shifts.push({ ...template, exported_at: exportedAt, ...change });
    badRows[reason] = (badRows[reason] ?? 0) + 1;
  }
}

function availabilityRows(
  workforce: NetworkWorkforce,
  weekStart: string,
  exportedAt: string,
  worked: Map<string, number>,
  random: Random,
): GenericAvailabilityRow[] {
  return workforce.people
    .filter((p) => p.engagement !== 'agency')
    .map((p) => {
      // Pools declare availability each week; some declare less than they end up working.
      const declared =
        p.engagement === 'salaried'
          ? p.weeklyHours
          : Math.max(worked.get(p.id) ?? 0, random.int(4, p.weeklyHours));
      return {
        person_id: p.id,
        network_code: workforce.networkCode,
        home_practice_code: p.homePractice,
        role: p.role,
        engagement: p.engagement,
        week_start: weekStart,
        session_type: '',
        available_hours: (p.engagement === 'salaried' || random.chance(0.8)
          ? declared
          : declared * 0.8
        ).toFixed(1),
        exported_at: exportedAt,
      };
    });
}
