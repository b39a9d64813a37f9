/**
 * Registered patients per practice, from NHS Digital's "Patients registered at a GP practice"
 * all-practice extract (`CODE`, `NUMBER_OF_PATIENTS`, `EXTRACT_DATE`; data/reference/README.md),
 * and the populations of networks and ICBs summed from it. These are registered, not weighted
 * (adjusted), populations; a deployment may supply its own (`ROTASCOPE_POPULATION_FILE`,
 * src/metrics/load-parameters.ts). A practice missing from the extract (closed or merged since
 * the mapping) has an unknown list size: a population built from it says how many practices it
 * lacks, never counts them as 0.
 */

export interface ListSizes {
  /** The extract's date, `YYYY-MM-DD` (its EXTRACT_DATE). */
  asOf: string;
  /** The file it came from. */
  source: string;
  /** Practice code -> registered patients. */
  patients: Map<string, number>;
}

/** A list-size extract's header: a practice CODE and NUMBER_OF_PATIENTS. */
export function isListSizeFile(columns: readonly string[]): boolean {
  return columns.includes('CODE') && columns.includes('NUMBER_OF_PATIENTS');
}

const MONTHS: Record<string, string> = {
  JAN: '01',
  FEB: '02',
  MAR: '03',
  APR: '04',
  MAY: '05',
  JUN: '06',
  JUL: '07',
  AUG: '08',
  SEP: '09',
  OCT: '10',
  NOV: '11',
  DEC: '12',
};

/** `2026-04-01` or NHS Digital's older `01APR2026` / `01Apr2026` as `YYYY-MM-DD`; else undefined. */
export function extractDate(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const m = /^(\d{2})([A-Za-z]{3})(\d{4})$/.exec(v);
  const month = m ? MONTHS[(m[2] as string).toUpperCase()] : undefined;
  return m && month ? `${m[3]}-${month}-${m[1]}` : undefined;
}

/**
 * Read one extract's records. Only practice totals count: rows with `SEX` and `AGE` both `ALL`
 * when the file has those columns (the breakdown files repeat each practice per band), and
 * `TYPE` `GP` when it has that column. A malformed count, a duplicate practice or a file with no
 * totals is an error naming the file and line: a list size silently wrong would skew every
 * per-patient figure.
 */
export function readListSizes(name: string, records: Record<string, string>[]): ListSizes {
  const patients = new Map<string, number>();
  const dates = new Set<string>();
  records.forEach((r, i) => {
    const line = i + 2;
    if (r.SEX !== undefined && r.SEX.trim().toUpperCase() !== 'ALL') return;
    if (r.AGE !== undefined && r.AGE.trim().toUpperCase() !== 'ALL') return;
    if (r.TYPE !== undefined && r.TYPE.trim().toUpperCase() !== 'GP') return;
    const code = (r.CODE ?? '').trim().toUpperCase();
    const count = (r.NUMBER_OF_PATIENTS ?? '').trim();
    if (code === '') throw new Error(`${name} line ${line}: CODE is empty`);
    if (!/^\d+$/.test(count))
      throw new Error(
        `${name} line ${line}: NUMBER_OF_PATIENTS "${count}" for ${code} is not a whole number`,
      );
    if (patients.has(code)) throw new Error(`${name} line ${line}: practice ${code} appears twice`);
    patients.set(code, Number(count));
    const date = extractDate(r.EXTRACT_DATE);
    if (date) dates.add(date);
  });
  if (patients.size === 0)
    throw new Error(`${name}: no practice totals (rows with SEX=ALL and AGE=ALL)`);
  if (dates.size > 1)
    throw new Error(`${name}: more than one EXTRACT_DATE (${[...dates].sort().join(', ')})`);
  const asOf = [...dates][0];
  if (!asOf) throw new Error(`${name}: no EXTRACT_DATE (YYYY-MM-DD or 01APR2026)`);
  return { asOf, source: name, patients };
}

/** A population summed from practices' list sizes, with what it lacks. */
export interface Population {
  /** Registered patients of the practices with a list size. */
  patients: number;
  /** Practices counted. */
  practices: number;
  /** Practices with no list size in the extract: the population is then a lower bound. */
  missing: string[];
  asOf: string;
  source: string;
}

/** The population of a set of practices; undefined when no extract is loaded. */
export function populationOf(
  listSizes: ListSizes | undefined,
  practiceCodes: readonly string[],
): Population | undefined {
  if (!listSizes) return undefined;
  let patients = 0;
  let practices = 0;
  const missing: string[] = [];
  for (const code of practiceCodes) {
    const n = listSizes.patients.get(code);
    if (n === undefined) missing.push(code);
    else {
      patients += n;
      practices += 1;
    }
  }
  return { patients, practices, missing, asOf: listSizes.asOf, source: listSizes.source };
}
