import { describe, expect, it } from 'vitest';
import {
  networkPopulations,
  populationsSql,
  readPopulationFile,
} from '../../../src/metrics/populations.js';
import { smallReference } from '../../helpers/reference.js';

/** Two networks: N1 of practices P1 (1,000) and P2 (2,500); N2 of P3 (no list size) and P4 (800). */
const reference = (withListSizes = true) =>
  smallReference(
    { N1: { P1: 1000, P2: 2500 }, N2: { P3: null, P4: 800 } },
    { listSizes: withListSizes },
  );

describe('network populations', () => {
  it('sums registered list sizes and counts the practices with none, never as 0', () => {
    expect(networkPopulations(reference())).toEqual([
      // 1,000 + 2,500
      {
        networkCode: 'N1',
        patients: 3500,
        practicesMissing: 0,
        basis: 'registered',
        source: 'registered patients, 2026-04-01',
      },
      // P3 unknown: 800 is a lower bound
      {
        networkCode: 'N2',
        patients: 800,
        practicesMissing: 1,
        basis: 'registered',
        source: 'registered patients, 2026-04-01',
      },
    ]);
  });

  it('applies a network figure outright and a practice figure before summing', () => {
    const ref = reference();
    const overrides = readPopulationFile(
      'pop.csv',
      'code,population,note\nN1,"3,900.4",weighted 2026/27\nP3,1200\n',
      ref,
    );
    expect(networkPopulations(ref, overrides)).toEqual([
      {
        networkCode: 'N1',
        patients: 3900,
        practicesMissing: 0,
        basis: 'adjusted',
        source: 'weighted 2026/27',
      },
      // 1,200 (file) + 800 (extract)
      {
        networkCode: 'N2',
        patients: 2000,
        practicesMissing: 0,
        basis: 'adjusted',
        source: 'registered patients, 2026-04-01, with practice figures from the population file',
      },
    ]);
  });

  it('lists no population for a network when there is neither an extract nor a file figure', () => {
    expect(networkPopulations(reference(false))).toEqual([]);
  });

  it('refuses a population file it cannot trust, naming the line', () => {
    const ref = reference();
    expect(() => readPopulationFile('pop.csv', 'network,patients\nN1,1\n', ref)).toThrow(
      'pop.csv has no column code and population',
    );
    expect(() => readPopulationFile('pop.csv', 'code,population\nZZ9,1\n', ref)).toThrow(
      'pop.csv line 2: "ZZ9" is not a known network or practice code',
    );
    expect(() => readPopulationFile('pop.csv', 'code,population\nN1,0\n', ref)).toThrow(
      'line 2: population "0" is not a positive number',
    );
    expect(() => readPopulationFile('pop.csv', 'code,population\nN1,1\nn1,2\n', ref)).toThrow(
      'line 3: N1 appears twice',
    );
  });

  it('renders as an inline table both engines read', () => {
    expect(populationsSql(networkPopulations(reference()))).toBe(
      "(select * from (values ('N1', 3500, 0, 'registered'), ('N2', 800, 1, 'registered')) as t(network_code, patients, practices_missing, basis))",
    );
    expect(populationsSql([])).toContain('where 1 = 0');
  });
});
