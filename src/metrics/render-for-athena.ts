/**
 * A query file from queries/ rendered exactly as it would be sent to Athena. DuckDB
 * (compute-metrics.ts) creates the staging views as temp views named `stg_<view>`; Athena has no
 * temp views, so each staging view the query uses (directly or through another staging view)
 * becomes a WITH entry of that same name at the front of the query. `{{shifts}}` therefore
 * renders to `stg_shifts` on both engines, and the SQL after the added WITH entries is the
 * same text DuckDB runs, apart from the curated tables: catalog tables here
 * (`"<database>"."shifts"`), Parquet reads there. Parameters are the same literals and inline
 * VALUES tables as for DuckDB (metric-parameters.ts). Pure: the caller reads the files.
 */
import { athenaDialect, renderSql } from '../engine/dialect.js';
import { QUERIED_TABLES } from '../ingest/curated-layout.js';
import { type MetricParameters, parameterSql } from './metric-parameters.js';
import { STAGING_TABLES, STAGING_VIEWS, type StagingView } from './query-files.js';

export interface AthenaRenderOptions {
  /** The Glue database that holds the curated tables. */
  database: string;
  parameters: MetricParameters;
  /** The SQL of each staging view (queries/staging/<view>.sql), as read from disk. */
  staging: Readonly<Record<StagingView, string>>;
  /** The fragments (queries/fragments/), as `readFragments` returns them. */
  fragments: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** The staging views a piece of SQL refers to as `{{<view>}}`. */
function stagingViewsIn(sql: string): StagingView[] {
  const names = new Set([...sql.matchAll(PLACEHOLDER)].map((m) => m[1]));
  return STAGING_VIEWS.filter((view) => names.has(view));
}

/** Comments and blank lines at the start of a query (the file's header). */
const LEADING_COMMENTS = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const WITH = /^with(?:\s+recursive)?\b/i;

export function renderForAthena(sql: string, options: AthenaRenderOptions): string {
  const dialect = athenaDialect(options.database);
  const tables: Record<string, string> = {
    ...Object.fromEntries(
      QUERIED_TABLES.map((name) => [`curated_${name}`, dialect.curatedTable(name)]),
    ),
    ...STAGING_TABLES,
    ...options.fragments,
    ...parameterSql(options.parameters),
  };

  // The staging views used, each after the views it uses itself.
  const ordered: StagingView[] = [];
  const visiting = new Set<StagingView>();
  const visit = (view: StagingView) => {
    if (ordered.includes(view)) return;
    if (visiting.has(view))
      throw new Error(`Staging views use each other in a circle, through {{${view}}}`);
    visiting.add(view);
    for (const used of stagingViewsIn(options.staging[view])) visit(used);
    ordered.push(view);
  };
  for (const view of stagingViewsIn(sql)) visit(view);

  const body = renderSql(sql, tables);
  if (ordered.length === 0) return body;
  // A newline before `)`, so that a trailing `-- comment` in a view cannot swallow it.
  const views = ordered
    .map(
      (view) =>
        `${STAGING_TABLES[view]} as (\n${renderSql(options.staging[view], tables).trim()}\n)`,
    )
    .join(',\n');
  // After the header comments: the query's own WITH gains the views at the front of its list
  // (a second WITH in front of it is not SQL), or a query without one gets a WITH of its own.
  const header = LEADING_COMMENTS.exec(body)?.[0] ?? '';
  const query = body.slice(header.length);
  const keyword = WITH.exec(query)?.[0];
  return keyword
    ? `${header}${keyword}\n${views},\n${query.slice(keyword.length).replace(/^[ \t]*\n?/, '')}`
    : `${header}with\n${views}\n${query}`;
}
