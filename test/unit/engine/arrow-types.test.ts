import { describe, expect, it } from 'vitest';
import { columnKindForSqlType, tableRows, toArrowTable } from '../../../src/engine/arrow-types.js';

describe('engine-neutral Arrow types', () => {
  it('maps SQL types to a few plain kinds', () => {
    expect(columnKindForSqlType('BIGINT')).toBe('float64');
    expect(columnKindForSqlType('DECIMAL(18,2)')).toBe('float64');
    expect(columnKindForSqlType('INTEGER')).toBe('int32');
    expect(columnKindForSqlType('DATE')).toBe('date');
    expect(columnKindForSqlType('TIMESTAMP WITH TIME ZONE')).toBe('timestamp');
    expect(columnKindForSqlType('VARCHAR')).toBe('text');
    expect(columnKindForSqlType('BOOLEAN')).toBe('bool');
  });

  it('turns BigInt and Date values into numbers and ISO strings, keeping nulls', () => {
    const table = toArrowTable([
      { name: 'n', kind: 'float64', values: [3n, null] },
      { name: 'd', kind: 'date', values: [new Date('2026-11-16T00:00:00Z'), null] },
      { name: 't', kind: 'timestamp', values: [new Date('2026-11-16T09:30:00Z'), null] },
      { name: 'b', kind: 'bool', values: [true, null] },
    ]);
    expect(tableRows(table)).toEqual([
      { n: 3, d: '2026-11-16', t: '2026-11-16T09:30:00.000Z', b: true },
      { n: null, d: null, t: null, b: null },
    ]);
  });

  it('refuses an integer too large for a JS number rather than rounding it', () => {
    expect(() => toArrowTable([{ name: 'big', kind: 'float64', values: [2n ** 60n] }])).toThrow(
      'Column big: integer',
    );
  });
});
