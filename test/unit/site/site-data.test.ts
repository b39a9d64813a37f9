/**
 * siteMetricsFromTables checks every metric row against what the site's row types say (columns
 * from src/curated/metric-columns.ts, NULL only where the site allows it), so a query that
 * changes a column fails here instead of drawing a wrong page.
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnKindForSqlType, toArrowTable } from '../../../src/engine/arrow-types.js';
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

  it('refuses a table without a column the site reads, unless it may be missing', () => {
    const gaps = table({ network_code: ['varchar', 'U00001'], week_start: ['date', '2026-11-16'] });
    expect(() => siteMetricsFromTables({ gaps })).toThrow(/metric table gaps: no column/);
  });
});
