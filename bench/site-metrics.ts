/**
 * Synthetic metric rows for the site benchmark (bench/site.ts): every table the site reads
 * (`SiteMetrics`, src/site/site-data.ts), with the columns docs/metrics.md defines in the order
 * queries/ writes them, for every network of a reference over `weeks` weeks ending `lastWeekStart`.
 *
 * Deterministic: a small seeded PRNG (mulberry32), one stream per network seeded from its code, so
 * a network's rows are the same whichever other networks are generated. Each row is internally
 * consistent (demand = filled + unfilled; hours by engagement add up to filled hours; spend by
 * engagement, NULL where salaried shifts come without a cost; every ratio from its parts and NULL
 * when the denominator is 0), and icb_week sums its networks with the ratios recomputed. Practices,
 * utilisation, gaps and shared working are drawn on their own: plausible, not reconciled with the
 * network's cover. ~2% of networks stopped exporting two weeks before the end (stale), ~0.5% of
 * network-weeks have no demand, ~10% of utilisation rows are suppressed, half the networks have a
 * budget.
 */
import type { Reference } from '../src/reference/organisations.js';
import type { NetworkDataQuality } from '../src/site/data-quality.js';
import { type CoverFigures, emptySiteMetrics, type SiteMetrics } from '../src/site/site-data.js';

export const DEFAULT_WEEKS = 52;
export const DEFAULT_LAST_WEEK = '2026-11-16';

export interface SyntheticOptions {
  reference: Reference;
  /** Weeks of data per network (default 52). */
  weeks?: number;
  /** Monday of the latest week (default 2026-11-16). */
  lastWeekStart?: string;
  seed?: number;
}

/** mulberry32: a seeded 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stream of its own for one organisation: FNV-1a of its code, mixed with the seed. */
function streamFor(code: string, seed: number): () => number {
  let h = (2_166_136_261 ^ seed) >>> 0;
  for (let i = 0; i < code.length; i += 1) h = Math.imul(h ^ code.charCodeAt(i), 16_777_619);
  return mulberry32(h);
}

const DAY_MS = 86_400_000;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Hours to the nearest quarter (exact in binary, so sums of them are exact). */
const quarters = (hours: number) => Math.round(hours * 4) / 4;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Week {
  start: string;
  financialYearStart: string;
  /** Mondays of the financial year after this one (queries/ytd.sql remaining_weeks). */
  remainingWeeks: number;
  exportedAt: string;
  latestShiftDate: string;
}

function weekList(lastWeekStart: string, weeks: number): Week[] {
  const last = Date.parse(`${lastWeekStart}T00:00:00Z`);
  if (Number.isNaN(last) || new Date(last).getUTCDay() !== 1)
    throw new Error(`lastWeekStart must be a Monday (YYYY-MM-DD), not ${lastWeekStart}`);
  return Array.from({ length: weeks }, (_, i) => {
    const ms = last - (weeks - 1 - i) * 7 * DAY_MS;
    const start = isoDate(ms);
    const year = Number(start.slice(0, 4));
    const fyYear = start.slice(5) >= '04-01' ? year : year - 1;
    const fy = `${fyYear}-04-01`;
    // The last Monday on or before 31 March: the financial year's last week.
    const yearEnd = Date.parse(`${fyYear + 1}-03-31T00:00:00Z`);
    const lastMonday = yearEnd - ((new Date(yearEnd).getUTCDay() + 6) % 7) * DAY_MS;
    return {
      start,
      financialYearStart: fy,
      remainingWeeks: Math.round((lastMonday - ms) / (7 * DAY_MS)),
      // The export taken on the Monday morning, covering shifts up to the day before.
      exportedAt: new Date(ms + 7 * 3_600_000).toISOString(),
      latestShiftDate: isoDate(ms - DAY_MS),
    };
  });
}

/** The sums a week's cover columns are computed from (queries/fragments/cover_sums.sql). */
interface Sums {
  demand_shifts: number;
  filled_shifts: number;
  unfilled_shifts: number;
  cancelled_shifts: number;
  filled_hours: number;
  unfilled_hours: number;
  cancelled_hours: number;
  salaried_hours: number;
  bank_hours: number;
  locum_hours: number;
  agency_hours: number;
  salaried_shifts: number;
  bank_shifts: number;
  locum_shifts: number;
  agency_shifts: number;
  /** Sum of the known costs of the engagement's filled shifts; NULL when none is known. */
  known_salaried: number | null;
  known_bank: number | null;
  known_locum: number | null;
  known_agency: number | null;
  filled_shifts_without_cost: number;
  remote_hours: number;
  extended_hours_filled: number;
}

const emptySums = (): Sums => ({
  demand_shifts: 0,
  filled_shifts: 0,
  unfilled_shifts: 0,
  cancelled_shifts: 0,
  filled_hours: 0,
  unfilled_hours: 0,
  cancelled_hours: 0,
  salaried_hours: 0,
  bank_hours: 0,
  locum_hours: 0,
  agency_hours: 0,
  salaried_shifts: 0,
  bank_shifts: 0,
  locum_shifts: 0,
  agency_shifts: 0,
  known_salaried: null,
  known_bank: null,
  known_locum: null,
  known_agency: null,
  filled_shifts_without_cost: 0,
  remote_hours: 0,
  extended_hours_filled: 0,
});

const addKnown = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

function addSums(into: Sums, s: Sums): void {
  into.demand_shifts += s.demand_shifts;
  into.filled_shifts += s.filled_shifts;
  into.unfilled_shifts += s.unfilled_shifts;
  into.cancelled_shifts += s.cancelled_shifts;
  into.filled_hours += s.filled_hours;
  into.unfilled_hours += s.unfilled_hours;
  into.cancelled_hours += s.cancelled_hours;
  into.salaried_hours += s.salaried_hours;
  into.bank_hours += s.bank_hours;
  into.locum_hours += s.locum_hours;
  into.agency_hours += s.agency_hours;
  into.salaried_shifts += s.salaried_shifts;
  into.bank_shifts += s.bank_shifts;
  into.locum_shifts += s.locum_shifts;
  into.agency_shifts += s.agency_shifts;
  into.known_salaried = addKnown(into.known_salaried, s.known_salaried);
  into.known_bank = addKnown(into.known_bank, s.known_bank);
  into.known_locum = addKnown(into.known_locum, s.known_locum);
  into.known_agency = addKnown(into.known_agency, s.known_agency);
  into.filled_shifts_without_cost += s.filled_shifts_without_cost;
  into.remote_hours += s.remote_hours;
  into.extended_hours_filled += s.extended_hours_filled;
}

const ratio = (num: number | null, den: number | null) =>
  num === null || den === null || den === 0 ? null : num / den;

/** Week spend (unknown costs as nothing, as ytd counts it). */
const knownSpend = (s: Sums) =>
  (s.known_salaried ?? 0) + (s.known_bank ?? 0) + (s.known_locum ?? 0) + (s.known_agency ?? 0);

/** The published cover columns, in queries/fragments/cover_columns.sql order. */
function coverColumns(weekStart: string, s: Sums): CoverFigures {
  const known = [s.known_salaried, s.known_bank, s.known_locum, s.known_agency].reduce(addKnown);
  const spend = s.filled_shifts === 0 ? 0 : known;
  const agency = s.agency_shifts === 0 ? 0 : s.known_agency;
  const demandHours = s.filled_hours + s.unfilled_hours;
  return {
    week_start: weekStart,
    demand_shifts: s.demand_shifts,
    filled_shifts: s.filled_shifts,
    unfilled_shifts: s.unfilled_shifts,
    cancelled_shifts: s.cancelled_shifts,
    demand_hours: demandHours,
    filled_hours: s.filled_hours,
    unfilled_hours: s.unfilled_hours,
    fill_rate_shifts: ratio(s.filled_shifts, s.demand_shifts),
    fill_rate_hours: ratio(s.filled_hours, demandHours),
    cancelled_hours: s.cancelled_hours,
    salaried_hours: s.salaried_hours,
    bank_hours: s.bank_hours,
    locum_hours: s.locum_hours,
    agency_hours: s.agency_hours,
    temporary_staffing_share: ratio(s.bank_hours + s.locum_hours + s.agency_hours, s.filled_hours),
    spend_pence: spend,
    salaried_spend_pence: s.salaried_shifts === 0 ? 0 : s.known_salaried,
    bank_spend_pence: s.bank_shifts === 0 ? 0 : s.known_bank,
    locum_spend_pence: s.locum_shifts === 0 ? 0 : s.known_locum,
    agency_spend_pence: agency,
    filled_shifts_without_cost: s.filled_shifts_without_cost,
    agency_share_of_spend: ratio(agency, spend),
    remote_hours: s.remote_hours,
    remote_share: ratio(s.remote_hours, s.filled_hours),
    extended_hours_filled: s.extended_hours_filled,
  };
}

/** What a network or practice is like, drawn once: its weeks vary around it. */
interface Profile {
  demand: number;
  fill: number;
  bank: number;
  locum: number;
  agency: number;
  /** Whether its salaried shifts carry a cost (often not: salaries go through payroll). */
  salariedCosted: boolean;
  /** Mean shift length in quarter hours. */
  shiftQuarters: number;
}

function drawProfile(r: () => number, meanDemand: number): Profile {
  return {
    demand: meanDemand * (0.7 + 0.6 * r()),
    fill: 0.7 + 0.27 * r(),
    bank: 0.05 + 0.15 * r(),
    locum: 0.05 + 0.2 * r(),
    // Most networks use little agency; one in twenty leans on it.
    agency: r() < 0.05 ? 0.2 + 0.15 * r() : 0.12 * r(),
    salariedCosted: r() < 0.6,
    shiftQuarters: 16 + Math.floor(12 * r()),
  };
}

/** Pence per hour by engagement, before a ±10% draw. */
const RATES = { salaried: 4_200, bank: 5_600, locum: 8_200, agency: 9_800 };

function drawSums(r: () => number, p: Profile, zeroChance: number): Sums {
  const demand = r() < zeroChance ? 0 : Math.max(1, Math.round(p.demand * (0.8 + 0.4 * r())));
  const filled = Math.round(demand * clamp(p.fill + (r() - 0.5) * 0.12, 0.3, 1));
  const unfilled = demand - filled;
  const cancelled = Math.round(Math.max(demand, 2) * 0.06 * r());
  const agency = Math.round(filled * clamp(p.agency + (r() - 0.5) * 0.04, 0, 0.6));
  const locum = Math.min(filled - agency, Math.round(filled * p.locum * (0.7 + 0.6 * r())));
  const bank = Math.min(filled - agency - locum, Math.round(filled * p.bank * (0.7 + 0.6 * r())));
  const salaried = filled - agency - locum - bank;
  // Hours: shifts x a mean length near the profile's, in quarter hours.
  const hours = (shifts: number) => (shifts * Math.round(p.shiftQuarters * (0.85 + 0.3 * r()))) / 4;
  const s = emptySums();
  s.demand_shifts = demand;
  s.filled_shifts = filled;
  s.unfilled_shifts = unfilled;
  s.cancelled_shifts = cancelled;
  s.salaried_shifts = salaried;
  s.bank_shifts = bank;
  s.locum_shifts = locum;
  s.agency_shifts = agency;
  s.salaried_hours = hours(salaried);
  s.bank_hours = hours(bank);
  s.locum_hours = hours(locum);
  s.agency_hours = hours(agency);
  s.filled_hours = s.salaried_hours + s.bank_hours + s.locum_hours + s.agency_hours;
  s.unfilled_hours = hours(unfilled);
  s.cancelled_hours = hours(cancelled);
  const cost = (h: number, rate: number) => Math.round(h * rate * (0.9 + 0.2 * r()));
  s.known_salaried =
    salaried > 0 && p.salariedCosted ? cost(s.salaried_hours, RATES.salaried) : null;
  s.known_bank = bank > 0 ? cost(s.bank_hours, RATES.bank) : null;
  s.known_locum = locum > 0 ? cost(s.locum_hours, RATES.locum) : null;
  s.known_agency = agency > 0 ? cost(s.agency_hours, RATES.agency) : null;
  s.filled_shifts_without_cost = p.salariedCosted ? 0 : salaried;
  s.remote_hours = quarters(s.filled_hours * 0.12 * r());
  s.extended_hours_filled = quarters(s.filled_hours * (0.04 + 0.12 * r()));
  return s;
}

export const ROLES = [
  'Clinical Pharmacist',
  'GP',
  'Healthcare Assistant',
  'Paramedic',
  'Pharmacy Technician',
  'Physiotherapist',
  'Practice Nurse',
  'Social Prescribing Link Worker',
] as const;
/** Session types in the order utilisation.sql sorts them. */
const SESSIONS = ['all', 'extended_hours', 'in_hours'] as const;
/** Available hours per clinician a week, by session type. */
const HOURS_PER_CLINICIAN = { all: 30, in_hours: 26, extended_hours: 4 };
/** The share of utilisation rows with 1 or 2 clinicians (below k = 3). */
const SUPPRESSED_SHARE = 0.1;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Start-hour bands (queries/gaps.sql) with how often a gap starts in each. */
const BANDS: [start: number, label: string, weight: number][] = [
  [0, '00:00-07:59', 0.03],
  [8, '08:00-11:59', 0.35],
  [12, '12:00-13:59', 0.1],
  [14, '14:00-17:59', 0.35],
  [18, '18:00-19:59', 0.12],
  [20, '20:00-23:59', 0.05],
];
const REASONS = ['bad_date', 'bad_time', 'missing_status', 'unknown_practice', 'unknown_role'];

function drawBand(r: () => number): [number, string] {
  let x = r();
  for (const [start, label, weight] of BANDS) {
    x -= weight;
    if (x < 0) return [start, label];
  }
  return [20, '20:00-23:59'];
}

/** Weekday 1-7: mostly Monday to Friday, some Saturdays, few Sundays. */
const drawWeekday = (r: () => number) => {
  const x = r();
  return x < 0.9 ? 1 + Math.floor(x / 0.18) : x < 0.98 ? 6 : 7;
};

/** The network rows are being drawn for, and where they go. */
interface Net {
  code: string;
  icb_code: string | null;
  r: () => number;
  out: SiteMetrics;
}

/** A practice's cover for the week, and a handful of gap cells (distinct weekday and band). */
function practiceRows(net: Net, week: Week, practice_code: string, profile: Profile): void {
  const { code, icb_code, r, out } = net;
  const s = drawSums(r, profile, 0.02);
  out.practiceWeek.push({
    practice_code,
    network_code: code,
    icb_code,
    ...coverColumns(week.start, s),
  });
  const cells: [number, number, string][] = [];
  for (let n = 1 + Math.floor(r() * 6); n > 0; n -= 1) {
    const weekday = drawWeekday(r);
    const [band, label] = drawBand(r);
    if (!cells.some(([d, b]) => d === weekday && b === band)) cells.push([weekday, band, label]);
  }
  cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [weekday, band, label] of cells) {
    const shifts = 1 + Math.floor(r() * 3);
    out.gaps.push({
      network_code: code,
      icb_code,
      practice_code,
      week_start: week.start,
      weekday,
      weekday_name: WEEKDAYS[weekday - 1] as string,
      hour_band_start: band,
      hour_band: label,
      unfilled_shifts: shifts,
      unfilled_hours: (shifts * (8 + Math.floor(r() * 24))) / 4,
    });
  }
}

/** Every role x session type; SUPPRESSED_SHARE of them with 1 or 2 clinicians (values NULL). */
function utilisationRows(net: Net, week: Week, level: number): void {
  const { code, icb_code, r, out } = net;
  for (const role of ROLES) {
    const size = role === 'GP' ? 8 : role === 'Practice Nurse' ? 6 : 3;
    for (const session_type of SESSIONS) {
      const suppressed = r() < SUPPRESSED_SHARE;
      const clinicians = suppressed ? 1 + Math.floor(r() * 2) : 3 + Math.floor(r() * size);
      const available = suppressed
        ? null
        : quarters(clinicians * HOURS_PER_CLINICIAN[session_type] * (0.8 + 0.4 * r()));
      const worked =
        available === null
          ? null
          : quarters(available * clamp(level + (r() - 0.5) * 0.3, 0.2, 1.3));
      const without = r() < 0.7 ? 0 : 1 + Math.floor(r() * 3);
      out.utilisation.push({
        network_code: code,
        icb_code,
        week_start: week.start,
        role,
        session_type,
        clinicians_with_availability: clinicians,
        suppressed,
        available_hours: available,
        worked_hours: worked,
        utilisation: ratio(worked, available),
        clinicians_over_100: suppressed ? null : Math.floor(r() * Math.min(3, clinicians)),
        clinicians_without_availability: without,
        filled_hours_without_availability: (without * (16 + Math.floor(r() * 32))) / 4,
      });
    }
  }
}

function sharedWorkingRow(net: Net, week: Week, s: Sums): void {
  const { code, icb_code, r, out } = net;
  const clinicians = s.filled_shifts === 0 ? 0 : r() < 0.03 ? 2 : 8 + Math.floor(r() * 30);
  const suppressed = clinicians > 0 && clinicians < 3;
  const away = quarters(s.filled_hours * (0.05 + 0.3 * r()));
  out.sharedWorking.push({
    network_code: code,
    icb_code,
    week_start: week.start,
    clinicians,
    clinicians_home_from_availability: Math.floor(clinicians * (0.5 + 0.5 * r())),
    suppressed,
    filled_hours: s.filled_hours,
    hours_away_from_home: suppressed ? null : away,
    away_from_home_share: suppressed ? null : ratio(away, s.filled_hours),
    clinicians_multi_practice: suppressed ? null : Math.floor(clinicians * 0.4 * r()),
  });
}

/** The week's export: every shift received, ~30% of weeks with a few rejects over 1-3 reasons. */
function qualityRows(net: Net, week: Week, s: Sums): void {
  const { code, r, out } = net;
  const accepted = s.demand_shifts + s.cancelled_shifts;
  const rejected = r() < 0.7 ? 0 : 1 + Math.floor(r() * Math.max(1, accepted * 0.02));
  if (accepted + rejected === 0) return;
  out.dataQuality.push({
    network_code: code,
    week_start: week.start,
    files: r() < 0.9 ? 1 : 2,
    rows_received: accepted + rejected,
    rows_accepted: accepted,
    rows_rejected: rejected,
    reject_share: rejected / (accepted + rejected),
    latest_exported_at: week.exportedAt,
    latest_shift_date: week.latestShiftDate,
  });
  const split: [string, number][] = [];
  let left = rejected;
  for (let k = 0; left > 0; k += 1) {
    const n = k === 2 ? left : Math.max(1, Math.round(left * (0.5 + 0.5 * r())));
    const reason = REASONS[(Math.floor(r() * REASONS.length) + k) % REASONS.length] as string;
    const same = split.find(([existing]) => existing === reason);
    if (same) same[1] += n;
    else split.push([reason, n]);
    left -= n;
  }
  split.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [reason_code, rows] of split)
    out.rejectsByReason.push({
      network_code: code,
      week_start: week.start,
      kind: 'shifts',
      reason_code,
      rows_rejected: rows,
      files: 1,
    });
}

/**
 * Running spend per financial year and the outturn at the run rate of the last 8 weeks
 * (queries/ytd.sql); `budget` per year, or NULL; no agency budget.
 */
function ytdRows(net: Net, weeks: Week[], sums: Sums[], budget: number | null): void {
  const { code, icb_code, out } = net;
  const fresh = (fy: string, startWeek: string) => ({
    fy,
    startWeek,
    spend: 0,
    salaried: 0,
    bank: 0,
    locum: 0,
    agency: 0,
    weekly: [] as { spend: number; agency: number }[],
  });
  let ytd = fresh('', '');
  sums.forEach((s, w) => {
    const week = weeks[w] as Week;
    if (week.financialYearStart !== ytd.fy) ytd = fresh(week.financialYearStart, week.start);
    const spend = knownSpend(s);
    ytd.spend += spend;
    ytd.salaried += s.known_salaried ?? 0;
    ytd.bank += s.known_bank ?? 0;
    ytd.locum += s.known_locum ?? 0;
    ytd.agency += s.known_agency ?? 0;
    ytd.weekly.push({ spend, agency: s.known_agency ?? 0 });
    const recent = ytd.weekly.slice(-8);
    const mean = (pick: (x: { spend: number; agency: number }) => number) =>
      recent.reduce((sum, x) => sum + pick(x), 0) / recent.length;
    const rate = mean((x) => x.spend);
    const agencyRate = mean((x) => x.agency);
    const projected = ytd.spend + rate * week.remainingWeeks;
    const projectedAgency = ytd.agency + agencyRate * week.remainingWeeks;
    out.ytd.push({
      network_code: code,
      icb_code,
      financial_year_start: week.financialYearStart,
      week_start: week.start,
      spend_pence: spend,
      ytd_spend_pence: ytd.spend,
      ytd_salaried_pence: ytd.salaried,
      ytd_bank_pence: ytd.bank,
      ytd_locum_pence: ytd.locum,
      ytd_agency_pence: ytd.agency,
      data_start_week: ytd.startWeek,
      weeks_with_data: ytd.weekly.length,
      run_rate_weeks: recent.length,
      run_rate_pence: rate,
      agency_run_rate_pence: agencyRate,
      remaining_weeks: week.remainingWeeks,
      projected_outturn_pence: projected,
      budget_pence: budget,
      budget_variance_pence: budget === null ? null : projected - budget,
      projected_agency_outturn_pence: projectedAgency,
      agency_budget_pence: null,
      agency_budget_variance_pence: null,
    });
  });
}

/** Per ICB, per week index: the summed cover and the networks reporting. */
type IcbSums = Map<string, { sums: Sums; networks: number }[]>;

/** Every table's rows for one network; its network_week sums are added to its ICB's. */
function networkRows(net: Net, practiceCodes: string[], weeks: Week[], icbs: IcbSums): void {
  const { code, icb_code, r, out } = net;
  const profile = drawProfile(r, 55 * Math.max(1, practiceCodes.length));
  const practices = practiceCodes.map((p) => ({ code: p, profile: drawProfile(r, 55) }));
  // A stale network's exports stopped two weeks before the end: no rows for those weeks.
  const end = weeks.length >= 4 && r() < 0.02 ? weeks.length - 2 : weeks.length;
  const hasBudget = r() < 0.5;
  const budgetFactor = 0.85 + 0.35 * r();
  const utilisationLevel = 0.65 + 0.3 * r();
  let perWeek = icb_code ? icbs.get(icb_code) : undefined;
  if (icb_code && !perWeek) {
    perWeek = weeks.map(() => ({ sums: emptySums(), networks: 0 }));
    icbs.set(icb_code, perWeek);
  }

  const sums: Sums[] = [];
  for (let w = 0; w < end; w += 1) {
    const week = weeks[w] as Week;
    const s = drawSums(r, profile, 0.005);
    sums.push(s);
    out.networkWeek.push({ network_code: code, icb_code, ...coverColumns(week.start, s) });
    const slot = perWeek?.[w];
    if (slot) {
      addSums(slot.sums, s);
      if (s.demand_shifts + s.cancelled_shifts > 0) slot.networks += 1;
    }
    for (const p of practices) practiceRows(net, week, p.code, p.profile);
    utilisationRows(net, week, utilisationLevel);
    sharedWorkingRow(net, week, s);
    qualityRows(net, week, s);
  }
  const meanSpend = sums.reduce((t, s) => t + knownSpend(s), 0) / Math.max(1, sums.length);
  const budget = hasBudget ? Math.round((meanSpend * 52 * budgetFactor) / 100_000) * 100_000 : null;
  ytdRows(net, weeks, sums, budget);
}

/** Metric rows of every table for every network in `reference`. */
export function syntheticSiteMetrics(options: SyntheticOptions): SiteMetrics {
  const { reference, seed = 1 } = options;
  const weeks = weekList(
    options.lastWeekStart ?? DEFAULT_LAST_WEEK,
    options.weeks ?? DEFAULT_WEEKS,
  );
  const out: SiteMetrics = emptySiteMetrics();
  const icbs: IcbSums = new Map();
  for (const code of [...reference.networks.keys()].sort()) {
    const network = reference.networks.get(code);
    if (!network) continue;
    const net = { code, icb_code: network.icbCode, r: streamFor(code, seed), out };
    networkRows(net, network.practiceCodes, weeks, icbs);
  }
  for (const [icb_code, perWeek] of [...icbs].sort(([a], [b]) => a.localeCompare(b))) {
    perWeek.forEach(({ sums, networks }, w) => {
      if (networks === 0) return;
      const { week_start, ...cover } = coverColumns((weeks[w] as Week).start, sums);
      out.icbWeek.push({ icb_code, week_start, networks_reporting: networks, ...cover });
    });
  }
  return out;
}

/** Rows of every table together. */
export function siteMetricsRows(metrics: SiteMetrics): number {
  return Object.values(metrics).reduce((n, rows: unknown[]) => n + rows.length, 0);
}

/** What ingest manifests would say for the same data (`dataQualityByNetwork`'s result). */
export function syntheticQuality(metrics: SiteMetrics): Map<string, NetworkDataQuality> {
  const out = new Map<string, NetworkDataQuality>();
  for (const row of metrics.dataQuality) {
    const q = out.get(row.network_code) ?? {
      files: 0,
      rowsIn: 0,
      rejected: 0,
      rejectsByReason: {},
      lastExport: null,
    };
    q.files += row.files;
    q.rowsIn += row.rows_received;
    q.rejected += row.rows_rejected;
    if (row.latest_exported_at && (q.lastExport === null || row.latest_exported_at > q.lastExport))
      q.lastExport = row.latest_exported_at;
    out.set(row.network_code, q);
  }
  for (const row of metrics.rejectsByReason) {
    const q = out.get(row.network_code);
    if (q)
      q.rejectsByReason[row.reason_code] =
        (q.rejectsByReason[row.reason_code] ?? 0) + row.rows_rejected;
  }
  return out;
}
