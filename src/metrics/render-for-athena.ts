/**
 * A query file from queries/ rendered exactly as it would be sent to Athena. DuckDB
 * (compute-metrics.ts) creates the staging views as temp views named `stg_<view>`; Athena has no
 * temp views, so each staging view the query uses (directly or through another staging view)
 * becomes a WITH entry of that same name at the front of the query. `{{shifts}}` therefore
 * renders to `stg_shifts` on both engines, and the SQL after the added WITH entries is the
 * same text DuckDB runs, apart from the curated tables: catalog tables here
 * (`"<database>"."shifts"`), Parquet reads there. Parameters are the same literals and inline
 * VALUES tables as for DuckDB (metric-parameters.ts). Pure: the caller reads the files.
 *
 * The Glue tables project `network_code` as `injected` (infra/catalog.ts), and Athena refuses
 * (CONSTRAINT_VIOLATION) a query on such a table whose WHERE does not fix it with constants. So a
 * table partitioned by network renders as a subquery naming the networks that have data, and the
 * weeks that have data: `(select * from "<database>"."shifts" where network_code in ('U60865', ...)
 * and week_start between date '<first>' and date '<last>')`. Without the weeks, Athena projects
 * every week of `week_start`'s range (from the stage's `firstWeek` to 59 weeks after now) for every
 * network named, and "cannot read more than 1 million partitions in a single scan" (Athena service
 * quotas). Reasons in docs/engines.md ("Networks").
 */

import { CURATED_TABLES, QUERIED_TABLES } from '../curated/curated-layout.js';
import { renderSql } from '../engine/render-sql.js';
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
  /**
   * The networks with curated data (athena-metrics.ts `curatedPartitions`): the tables partitioned
   * by network are read for exactly these.
   */
  networks: readonly string[];
  /**
   * The first and last `week_start` with curated data (YYYY-MM-DD, athena-metrics.ts
   * `curatedPartitions`): the tables partitioned by network are read for these weeks only.
   */
  weeks: { readonly first: string; readonly last: string } | undefined;
}

/** Glue database and table names: lower-case letters, digits and underscores. */
const CATALOG_NAME = /^[a-z0-9_]+$/;

function catalogIdentifier(name: string): string {
  if (!CATALOG_NAME.test(name)) {
    throw new Error(`Not an Athena catalog name (a-z, 0-9, _): ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/** A curated table as Athena names it: the catalog table `"<database>"."<name>"`, quoted. */
export function catalogTable(database: string, name: string): string {
  return `${catalogIdentifier(database)}.${catalogIdentifier(name)}`;
}

/** Athena's limit on the length of a query string, in bytes (UTF-8). */
export const ATHENA_MAX_QUERY_BYTES = 262_144;

/** A network code as it appears in a partition key (ODS codes: letters and digits). */
const NETWORK_CODE = /^[A-Za-z0-9]+$/;

/** The curated tables partitioned by `network_code` (projected as `injected` in the catalog). */
const BY_NETWORK: ReadonlySet<string> = new Set(CURATED_TABLES);

/** A partition folder's date: `week_start=2026-11-16`. */
const WEEK = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `(select * from <table> where network_code in ('U1', 'U2') and week_start between date '<first>'
 * and date '<last>')`, on one line. The weeks bound the `date` projection of `week_start` as the
 * codes bound the `injected` one, so Athena projects networks x weeks-with-data partitions, not
 * networks x every week since `firstWeek` (at most 1,000,000 a scan; Athena service quotas).
 */
function forNetworks(
  table: string,
  networks: readonly string[],
  weeks: AthenaRenderOptions['weeks'],
): string {
  if (networks.length === 0) {
    throw new Error(
      'No networks to read: Athena needs the networks named (network_code in (...)), and the curated store has none',
    );
  }
  const bad = networks.find((code) => !NETWORK_CODE.test(code));
  if (bad !== undefined) throw new Error(`Not a network code: ${JSON.stringify(bad)}`);
  if (!weeks || !WEEK.test(weeks.first) || !WEEK.test(weeks.last) || weeks.first > weeks.last) {
    throw new Error(
      `No weeks to read: Athena needs the weeks with data (week_start between ...), not ${JSON.stringify(weeks)}`,
    );
  }
  const codes = [...new Set(networks)].sort().map((code) => `'${code}'`);
  return `(select * from ${table} where network_code in (${codes.join(', ')}) and week_start between date '${weeks.first}' and date '${weeks.last}')`;
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
  const rendered = render(sql, options);
  const bytes = Buffer.byteLength(rendered, 'utf8');
  if (bytes > ATHENA_MAX_QUERY_BYTES) {
    throw new Error(
      `The query is ${bytes} bytes rendered for Athena (${options.networks.length} networks); Athena takes at most ${ATHENA_MAX_QUERY_BYTES}`,
    );
  }
  return rendered;
}

function render(sql: string, options: AthenaRenderOptions): string {
  const table = (name: string) => catalogTable(options.database, name);
  const tables: Record<string, string> = {
    ...Object.fromEntries(
      QUERIED_TABLES.map((name) => [
        `curated_${name}`,
        BY_NETWORK.has(name)
          ? forNetworks(table(name), options.networks, options.weeks)
          : table(name),
      ]),
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
