/**
 * Query files in queries/ refer to tables, staging views, fragments and parameters as `{{name}}`;
 * `renderSql` puts in what each name stands for. Which table expressions those are is the business
 * of whoever runs the SQL: DuckDB's Parquet reads in compute-metrics.ts and ingest-batch.ts,
 * Athena's catalog tables in render-for-athena.ts. The SQL around the names is the same for both:
 * the subset listed in portable-sql.ts.
 *
 * There was a `SqlDialect` port here (one `curatedTable` expression per engine). It went: the
 * engines differ in more than a table expression (DuckDB compacts curated files and stages views
 * in process; Athena names its networks and inlines the views as WITH entries), so the seam is the
 * metric runner (src/metrics/metric-runner.ts) and the dialect was a second seam that only tests
 * and the bench used. docs/engines.md ("One seam").
 */

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
