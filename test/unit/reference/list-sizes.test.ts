import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../../src/reference/csv.js';
import { extractDate, populationOf, readListSizes } from '../../../src/reference/list-sizes.js';
import { buildReference, loadReference } from '../../../src/reference/organisations.js';

const HEADER =
  'PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS';
const extract = (rows: string[]) => parseCsvRecords(`${HEADER}\r\n${rows.join('\r\n')}\r\n`);

describe('list sizes', () => {
  it('reads practice totals and the extract date, skipping breakdown rows', () => {
    const sizes = readListSizes(
      'gp-reg-pat-prac-all_2026-04.csv',
      extract([
        'GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84698,E14 0PU,ALL,ALL,14345',
        'GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84698,E14 0PU,MALE,ALL,7000',
        'GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84062,E14 6HQ,ALL,ALL,14260',
      ]),
    );
    expect(sizes.asOf).toBe('2026-04-01');
    expect([...sizes.patients]).toEqual([
      ['F84698', 14345],
      ['F84062', 14260],
    ]);
  });

  it('refuses what would make a population silently wrong, naming file and line', () => {
    const name = 'x_2026-04.csv';
    expect(() =>
      readListSizes(name, extract(['P,2026-04-01,GP,A,B,F84698,E1,ALL,ALL,14 345'])),
    ).toThrow('x_2026-04.csv line 2: NUMBER_OF_PATIENTS "14 345" for F84698 is not a whole number');
    expect(() =>
      readListSizes(
        name,
        extract([
          'P,2026-04-01,GP,A,B,F84698,E1,ALL,ALL,1',
          'P,2026-04-01,GP,A,B,f84698,E1,ALL,ALL,2',
        ]),
      ),
    ).toThrow('line 3: practice F84698 appears twice');
    expect(() => readListSizes(name, extract(['P,2026-04-01,GP,A,B,F1,E1,MALE,ALL,1']))).toThrow(
      'no practice totals',
    );
    expect(() =>
      readListSizes(
        name,
        extract(['P,2026-04-01,GP,A,B,F1,E1,ALL,ALL,1', 'P,2026-05-01,GP,A,B,F2,E1,ALL,ALL,2']),
      ),
    ).toThrow('more than one EXTRACT_DATE (2026-04-01, 2026-05-01)');
  });

  it('reads both date forms NHS Digital has used', () => {
    expect(extractDate('2026-04-01')).toBe('2026-04-01');
    expect(extractDate('01APR2026')).toBe('2026-04-01');
    expect(extractDate('01Jan2022')).toBe('2022-01-01');
    expect(extractDate('April 2026')).toBeUndefined();
  });

  it('sums a population and names the practices it lacks, never counting them as 0', () => {
    const sizes = readListSizes(
      'x_2026-04.csv',
      extract(['P,2026-04-01,GP,A,B,F1,E1,ALL,ALL,1000', 'P,2026-04-01,GP,A,B,F2,E1,ALL,ALL,2500']),
    );
    expect(populationOf(sizes, ['F1', 'F2', 'F9'])).toEqual({
      patients: 3500,
      practices: 2,
      missing: ['F9'],
      asOf: '2026-04-01',
      source: 'x_2026-04.csv',
    });
    expect(populationOf(undefined, ['F1'])).toBeUndefined();
  });

  it('uses the newest extract whole: a practice gone from it has no list size', () => {
    const older = parseCsvRecords(
      `${HEADER}\nP,2025-04-01,GP,A,B,F1,E1,ALL,ALL,900\nP,2025-04-01,GP,A,B,F2,E1,ALL,ALL,50\n`,
    );
    const newer = parseCsvRecords(`${HEADER}\nP,2026-04-01,GP,A,B,F1,E1,ALL,ALL,1000\n`);
    const ref = buildReference([
      { name: 'a_2025-04.csv', records: older },
      { name: 'a_2026-04.csv', records: newer },
    ]);
    expect(ref.listSizes?.asOf).toBe('2026-04-01');
    expect(ref.listSizes?.patients.get('F2')).toBeUndefined();
  });

  it('loads the shipped extract: Tower Hamlets Network 7 has 52,309 patients (README arithmetic)', async () => {
    const ref = await loadReference(
      fileURLToPath(new URL('../../../data/reference', import.meta.url)),
    );
    expect(ref.listSizes?.asOf).toBe('2026-04-01');
    expect(ref.listSizes?.patients.size).toBe(6168);
    const total = [...(ref.listSizes?.patients.values() ?? [])].reduce((a, b) => a + b, 0);
    expect(total).toBe(63_673_685);
    const network = ref.networks.get('U60865');
    // 14,345 + 14,260 + 11,565 + 12,139 = 52,309
    expect(populationOf(ref.listSizes, network?.practiceCodes ?? [])).toMatchObject({
      patients: 52_309,
      practices: 4,
      missing: [],
    });
  });
});
