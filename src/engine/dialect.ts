/**
 * Where engines differ, in one place. Query files in queries/ refer to tables as `{{name}}`;
 * a dialect decides what each name becomes: for DuckDB a `read_parquet(...)` over staged
 * curated files or a view; for Athena a table in the Glue catalog. Nothing else in the code asks
 * which engine it is talking to. The SQL around the names is the same for both: the subset listed
 * in portable-sql.ts.
 */
import { sqlString } from './duckdb-engine.js';

export interface SqlDialect {
  readonly kind: 'duckdb' | 'athena';
  /**
   * A table expression for a curated table stored as Hive-partitioned Parquet: DuckDB reads the
   * files under `location`; Athena looks the table up by name in its catalog, which knows where
   * the files are, so it ignores `location`.
   */
  curatedTable(name: string, location: string): string;
}

export const duckDbDialect: SqlDialect = {
  kind: 'duckdb',
  curatedTable: (_name, location) =>
    `read_parquet(${sqlString(`${location.replace(/\/+$/, '')}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true)`,
};

/** DuckDB: exactly these Parquet files (compacted curated files, see compact-curated.ts). */
export function duckDbParquetFiles(files: readonly string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false)`;
}

/** Glue database and table names: lower-case letters, digits and underscores. */
const CATALOG_NAME = /^[a-z0-9_]+$/;

function catalogIdentifier(name: string): string {
  if (!CATALOG_NAME.test(name)) {
    throw new Error(`Not an Athena catalog name (a-z, 0-9, _): ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/** Athena: a curated table is the catalog table `"<database>"."<name>"`; no location needed. */
export function athenaDialect(
  database: string,
): SqlDialect & { curatedTable(name: string): string } {
  const db = catalogIdentifier(database);
  return { kind: 'athena', curatedTable: (name: string) => `${db}.${catalogIdentifier(name)}` };
}

/**
 * Replace every `{{name}}` with its table expression or fragment; an unknown name is an error. A
 * replacement of several lines is indented like the line it is put in, so rendered SQL (what
 * Athena's history shows) reads like the file.
 */
export function renderSql(sql: string, tables: Readonly<Record<string, string>>): string {
  return sql.replace(
    /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g,
    (_match, name: string, offset: number) => {
      const table = tables[name];
      if (table === undefined) throw new Error(`Query refers to unknown table {{${name}}}`);
      const line = sql.slice(sql.lastIndexOf('\n', offset - 1) + 1, offset);
      const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
      return indent === '' ? table : table.replaceAll('\n', `\n${indent}`);
    },
  );
}
