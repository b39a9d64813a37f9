/**
 * Athena-shaped results made without Athena (which cannot run here) and without the code under
 * test: DuckDB runs a select and casts every column to the text Athena would send (timestamps
 * `YYYY-MM-DD HH:MM:SS.fff`, dates `YYYY-MM-DD`, booleans `true`/`false`, numbers as printed),
 * with ColumnInfo named as Athena names the types; `resultPages` pages that as GetQueryResults
 * does, header row first.
 */
import type { ColumnInfo, GetQueryResultsOutput, Row } from '@aws-sdk/client-athena';
import { tableRows } from '../../src/engine/arrow-types.js';
import type { DuckDbEngine } from '../../src/engine/duckdb-engine.js';

/** Athena's name for each DuckDB type a result can have (DECIMAL(p,s) is handled apart). */
const ATHENA_TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  // sum() of integers: HUGEINT in DuckDB, BIGINT in Athena (portable-sql.ts).
  HUGEINT: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double',
  VARCHAR: 'varchar',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  // The Glue catalog has no zoned timestamp: Athena reads the curated Parquet instants as
  // `timestamp` (UTC), and so reports what the queries derive from them.
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
};

/** The ColumnInfo Athena would report for a DuckDB column. */
function athenaColumn(name: string, duckDbType: string): ColumnInfo {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckDbType);
  if (decimal) {
    return {
      Name: name,
      Type: 'decimal',
      Precision: Number(decimal[1]),
      Scale: Number(decimal[2]),
    };
  }
  const type = ATHENA_TYPES[duckDbType];
  if (!type) throw new Error(`No Athena type for DuckDB ${duckDbType} (column ${name})`);
  return { Name: name, Type: type };
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A DuckDB expression giving the column as the text Athena would send for it. */
function athenaText(name: string, duckDbType: string): string {
  const column = quoted(name);
  if (duckDbType.startsWith('TIMESTAMP')) return `strftime(${column}, '%Y-%m-%d %H:%M:%S.%g')`;
  if (duckDbType === 'DATE') return `strftime(${column}, '%Y-%m-%d')`;
  // Booleans print as true/false; integers, decimals and doubles as numbers.
  return `cast(${column} as varchar)`;
}

export interface AthenaShaped {
  columns: ColumnInfo[];
  rows: Row[];
}

/** The rows of a DuckDB query as Athena would answer it: ColumnInfo and text cells. */
export async function athenaShaped(engine: DuckDbEngine, select: string): Promise<AthenaShaped> {
  const described = tableRows<{ column_name: string; column_type: string }>(
    await engine.query(`describe ${select}`),
  );
  const texts = described.map(
    (c) => `${athenaText(c.column_name, c.column_type)} as ${quoted(c.column_name)}`,
  );
  const text = tableRows<Record<string, string | null>>(
    await engine.query(`select ${texts.join(', ')} from (${select})`),
  );
  return {
    columns: described.map((c) => athenaColumn(c.column_name, c.column_type)),
    rows: text.map((row) => ({
      // A NULL cell has no VarCharValue.
      Data: described.map((c) => {
        const value = row[c.column_name];
        return value === null || value === undefined ? {} : { VarCharValue: value };
      }),
    })),
  };
}

/**
 * GetQueryResults pages of `size` rows by NextToken (none for the first), the header row
 * first, as Athena pages a SELECT.
 */
export function resultPages(
  { columns, rows }: AthenaShaped,
  size: number,
): Map<string, GetQueryResultsOutput> {
  const header: Row = { Data: columns.map((c) => ({ VarCharValue: c.Name })) };
  const all = [header, ...rows];
  const count = Math.max(1, Math.ceil(all.length / size));
  const token = (i: number) => (i === 0 ? '' : `page-${i + 1}`);
  return new Map(
    Array.from({ length: count }, (_, i) => [
      token(i),
      {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: all.slice(i * size, (i + 1) * size),
        },
        ...(i + 1 < count ? { NextToken: token(i + 1) } : {}),
      },
    ]),
  );
}
