import { describe, expect, it } from 'vitest';
import { athenaDialect, duckDbDialect, renderSql } from '../../../src/engine/dialect.js';

describe('SQL dialects', () => {
  it('reads curated Parquet in place for DuckDB', () => {
    expect(duckDbDialect.curatedTable('shifts', '/tmp/x/shifts/')).toBe(
      "read_parquet('/tmp/x/shifts/**/*.parquet', hive_partitioning = true, union_by_name = true)",
    );
  });

  it('names a quoted catalog table for Athena', () => {
    const athena = athenaDialect('rotascope_curated');
    expect(athena.kind).toBe('athena');
    expect(athena.curatedTable('shifts')).toBe('"rotascope_curated"."shifts"');
    expect(athena.curatedTable('availability', 's3://ignored/')).toBe(
      '"rotascope_curated"."availability"',
    );
  });

  it('refuses names the Glue catalog cannot hold rather than quoting them', () => {
    expect(() => athenaDialect('Rotascope')).toThrow('Not an Athena catalog name');
    expect(() => athenaDialect('db"; drop')).toThrow('Not an Athena catalog name');
    expect(() => athenaDialect('db').curatedTable('shifts-2')).toThrow(
      'Not an Athena catalog name',
    );
  });

  it('renders {{names}} and refuses unknown ones', () => {
    expect(renderSql('select * from {{ t }}', { t: 'x' })).toBe('select * from x');
    expect(() => renderSql('select * from {{u}}', { t: 'x' })).toThrow('unknown table {{u}}');
  });
});
