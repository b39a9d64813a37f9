/**
 * siteMetricsFromTables checks every metric row against what the site's row types say (columns
 * from src/curated/metric-columns.ts, NULL only where the site allows it), so a query that
 * changes a column fails here instead of drawing a wrong page.
 */
import type { Table, Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  columnKindForSqlType,
  distinctValues,
  MAX_DISTINCT,
  tableRows,
  toArrowTable,
} from '../../../src/engine/arrow-types.js';
import { InvariantError } from '../../../src/errors.js';
import { siteMetricsFromTables } from '../../../src/site/site-data.js';

/** A one-row table with these columns and values, typed as the SQL types given. */
function table(
  columns: Readonly<Record<string, readonly [sqlType: string, value: unknown]>>,
): Table {
  return toArrowTable(
    Object.entries(columns).map(([name, [type, value]]) => ({
      name,
      kind: columnKindForSqlType(type),
      values: [value],
    })),
  );
}

const utilisation = (over: Readonly<Record<string, readonly [string, unknown]>> = {}) =>
  table({
    network_code: ['varchar', 'U00001'],
    week_start: ['date', '2026-11-16'],
    role: ['varchar', 'GP'],
    session_type: ['varchar', 'all'],
    clinicians_with_availability: ['bigint', 12],
    suppressed: ['boolean', false],
    available_hours: ['double', null],
    worked_hours: ['double', 30],
    utilisation: ['double', null],
    ...over,
  });

describe('siteMetricsFromTables', () => {
  it('reads rows that match the declaration, NULL where the site allows it', () => {
    const site = siteMetricsFromTables({ utilisation: utilisation() });
    expect(site.utilisation).toEqual([
      {
        network_code: 'U00001',
        week_start: '2026-11-16',
        role: 'GP',
        session_type: 'all',
        clinicians_with_availability: 12,
        suppressed: false,
        available_hours: null,
        worked_hours: 30,
        utilisation: null,
      },
    ]);
    expect(site.networkWeek).toEqual([]);
  });

  it.each([
    ['a NULL the site does not handle', { role: ['varchar', null] }, /role is NULL/],
    ['a value of another type', { suppressed: ['varchar', 'no'] }, /suppressed is string/],
    ['a value outside the few allowed', { session_type: ['varchar', 'night'] }, /not one of/],
  ] as const)('refuses %s', (_, over, message) => {
    const tables = { utilisation: utilisation(over) };
    expect(() => siteMetricsFromTables(tables)).toThrow(InvariantError);
    expect(() => siteMetricsFromTables(tables)).toThrow(message);
  });

  /** `utilisation` rows 1..n, with `over(i)` changing row i's columns (by SQL type and value). */
  const utilisationRows = (n: number, over: (i: number) => Record<string, unknown>) => {
    const base: Record<string, readonly [string, (i: number) => unknown]> = {
      network_code: ['varchar', (i) => `U${String(i % 50).padStart(5, '0')}`],
      week_start: ['date', () => '2026-11-16'],
      role: ['varchar', (i) => ['GP', 'Nurse', 'social_prescribing_link_worker'][i % 3]],
      session_type: ['varchar', (i) => ['in_hours', 'extended_hours', 'all'][i % 3]],
      clinicians_with_availability: ['bigint', (i) => i],
      suppressed: ['boolean', (i) => i % 2 === 0],
      available_hours: ['double', (i) => (i % 4 === 0 ? null : i / 2)],
      worked_hours: ['double', (i) => i / 4],
      utilisation: ['double', () => null],
    };
    return toArrowTable(
      Object.entries(base).map(([name, [type, value]]) => ({
        name,
        kind: columnKindForSqlType(type),
        values: Array.from({ length: n }, (_, r) => {
          const changed = over(r + 1);
          return name in changed ? changed[name] : value(r + 1);
        }),
      })),
    );
  };

  it.each([
    // Row 3's session_type fails before row 4's NULL role: rows are checked in order.
    [
      'the first failing row, whichever column',
      (i: number) => ({
        ...(i === 3 ? { session_type: 'night' } : {}),
        ...(i >= 4 ? { role: null } : {}),
      }),
      'row 3: session_type is night, not one of in_hours, extended_hours, all',
    ],
    [
      'a NULL in row 500',
      (i: number) => (i === 500 ? { role: null } : {}),
      'row 500: role is NULL',
    ],
  ] as const)('names %s of many, as checking row by row did', (_, over, message) => {
    const tables = { utilisation: utilisationRows(1000, over) };
    expect(() => siteMetricsFromTables(tables)).toThrow(message);
  });

  it('checks each row of a limited column with more distinct values than a dictionary takes', () => {
    const n = MAX_DISTINCT + 10;
    // The three allowed values, then each row its own value: row 4 is the first not allowed.
    const tables = {
      utilisation: utilisationRows(n, (i) => (i > 3 ? { session_type: `kind ${i}` } : {})),
    };
    expect(distinctValues(tables.utilisation.getChild('session_type') as Vector)).toBeUndefined();
    expect(() => siteMetricsFromTables(tables)).toThrow(
      'row 4: session_type is kind 4, not one of in_hours, extended_hours, all',
    );
  });

  it('reads many rows whose columns pass whole: the rows as tableRows gives them', () => {
    const table = utilisationRows(1000, () => ({}));
    expect(distinctValues(table.getChild('session_type') as Vector)).toHaveLength(3);
    expect(siteMetricsFromTables({ utilisation: table }).utilisation).toEqual(tableRows(table));
  });

  it('refuses a table without a column the site reads, unless it may be missing', () => {
    const gaps = table({ network_code: ['varchar', 'U00001'], week_start: ['date', '2026-11-16'] });
    expect(() => siteMetricsFromTables({ gaps })).toThrow(/metric table gaps: no column/);
  });
});
