/**
 * glueType: DuckDB SQL types (what ingest writes into Parquet) to Glue/Hive types.
 */
import { describe, expect, it } from 'vitest';
import { glueType } from '../../infra/glue-types.js';
import { AVAILABILITY_TYPES, REJECT_TYPES, SHIFT_TYPES } from '../../src/curated/curated-schema.js';

describe('glueType', () => {
  it.each([
    ['varchar', 'string'],
    ['VARCHAR', 'string'],
    ['boolean', 'boolean'],
    ['tinyint', 'tinyint'],
    ['smallint', 'smallint'],
    ['integer', 'int'],
    ['bigint', 'bigint'],
    ['float', 'float'],
    ['double', 'double'],
    ['date', 'date'],
    ['timestamp', 'timestamp'],
    ['timestamp with time zone', 'timestamp'],
    ['TIMESTAMP  WITH TIME ZONE', 'timestamp'],
    ['timestamptz', 'timestamp'],
    ['decimal(18, 3)', 'decimal(18,3)'],
    ['DECIMAL(9,2)', 'decimal(9,2)'],
  ])('maps %s to %s', (duckDb, glue) => {
    expect(glueType(duckDb)).toBe(glue);
  });

  it.each([
    'hugeint',
    'uuid',
    'interval',
    'varchar[]',
    'struct(a integer)',
    'map(varchar, integer)',
  ])('refuses %s rather than guess', (duckDb) => {
    expect(() => glueType(duckDb)).toThrow(`No Glue type for the DuckDB type "${duckDb}"`);
  });

  it('maps every type of every curated table', () => {
    for (const types of [SHIFT_TYPES, AVAILABILITY_TYPES, REJECT_TYPES]) {
      for (const [column, type] of Object.entries(types)) {
        expect(() => glueType(type), column).not.toThrow();
      }
    }
  });
});
