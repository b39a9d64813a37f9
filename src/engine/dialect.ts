/**
 * Where engines differ, in one place. Query files in queries/ refer to tables as `{{name}}`;
 * a dialect decides what each name becomes: for DuckDB a `read_parquet(...)` over staged
 * curated files or a view; for Athena (later) a catalog table. Nothing else in the code asks
 * which engine it is talking to.
 */
import { sqlString } from './duckdb-engine.js';

export interface SqlDialect {
  readonly kind: 'duckdb' | 'athena';
  /** A table expression for a curated table stored as Hive-partitioned Parquet. */
  curatedTable(name: string, location: string): string;
}

export const duckDbDialect: SqlDialect = {
  kind: 'duckdb',
  curatedTable: (_name, location) =>
    `read_parquet(${sqlString(`${location.replace(/\/+$/, '')}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true)`,
};

/** Replace every `{{name}}` with its table expression; an unknown name is an error. */
export function renderSql(sql: string, tables: Readonly<Record<string, string>>): string {
  return sql.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const table = tables[name];
    if (table === undefined) throw new Error(`Query refers to unknown table {{${name}}}`);
    return table;
  });
}
