/**
 * `rotascope athena-check`: a smoke test of a deployed stack's Athena tables. One small query per
 * table the Glue catalog declares (infra/catalog.ts): the curated tables partitioned by network
 * (`shifts`, `availability`), `rejects`, and every metric table (metric-columns.ts). Each says
 * how many rows Athena reads, which partitions (networks, source systems) or weeks it finds, and
 * what the query scanned and cost. A table fails when its query fails, or when Athena finds fewer
 * networks than the curated store has folders for (partition projection not finding the files);
 * every table is checked whatever the others do.
 *
 * The curated tables project `network_code` as `injected`, so their queries name the networks
 * listed from the curated store, and the weeks listed there, as the metric queries do
 * (render-for-athena.ts: Athena reads at most 1,000,000 partitions a scan).
 */

import { CURATED_TABLES } from '../curated/curated-layout.js';
import { METRIC_COLUMNS } from '../curated/metric-columns.js';
import { tableRows } from '../engine/arrow-types.js';
import type { QueryEngine } from '../engine/query-engine.js';
import { oneLineReason } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';

/** An engine that can say what its last query scanned (AthenaQueryEngine does). */
export type CheckEngine = QueryEngine & {
  readonly lastQuery?: Readonly<{ bytesScanned: number; costUsd: number }> | undefined;
};

export interface AthenaCheckOptions {
  engine: CheckEngine;
  curated: ObjectStore;
  /** The Glue database (ROTASCOPE_ATHENA_DATABASE). */
  database: string;
}

export type TableCheck =
  | {
      table: string;
      ok: true;
      rows: number;
      /** Partitions or weeks found, for a person: `6 networks, weeks 2026-01-05..2026-11-23`. */
      found: string;
      bytesScanned: number;
      costUsd: number;
    }
  | { table: string; ok: false; reason: string };

const WEEK_FOLDER = /^[a-z_]+\/network_code=([A-Za-z0-9]+)\/week_start=(\d{4}-\d{2}-\d{2})\//;

/** The networks with a file under `<table>/network_code=<code>/week_start=<date>/`, and weeks. */
async function partitionsIn(
  curated: ObjectStore,
  table: string,
): Promise<{ networks: string[]; first: string; last: string }> {
  const codes = new Set<string>();
  const weeks: string[] = [];
  for (const object of await curated.list(`${table}/network_code=`)) {
    const match = WEEK_FOLDER.exec(object.key);
    if (!match) continue;
    codes.add(match[1] as string);
    weeks.push(match[2] as string);
  }
  weeks.sort();
  return { networks: [...codes].sort(), first: weeks[0] ?? '', last: weeks.at(-1) ?? '' };
}

const weeks = (row: Record<string, unknown>) =>
  row.first_week ? `weeks ${String(row.first_week)}..${String(row.last_week)}` : 'no weeks';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

interface Probe {
  sql: string;
  /** What was found, or a reason to fail the table. */
  judge(row: Record<string, unknown>): { found: string } | { reason: string };
}

/** The query for each catalog table, or why there is none (a curated table with no folders). */
async function probes(options: AthenaCheckOptions): Promise<Map<string, Probe | string>> {
  const table = (name: string) => `"${options.database}"."${name}"`;
  const plan = new Map<string, Probe | string>();
  for (const name of CURATED_TABLES) {
    const { networks: listed, first, last } = await partitionsIn(options.curated, name);
    if (listed.length === 0) {
      plan.set(
        name,
        `no curated files under ${name}/network_code=*/week_start=*/ to read: ingest an export first`,
      );
      continue;
    }
    const codes = listed.map((code) => `'${code}'`).join(', ');
    plan.set(name, {
      sql: `select count(*) as row_count, count(distinct network_code) as networks, min(week_start) as first_week, max(week_start) as last_week from ${table(name)} where network_code in (${codes}) and week_start between date '${first}' and date '${last}'`,
      judge: (row) => {
        const found = Number(row.networks ?? 0);
        return found < listed.length
          ? {
              reason: `Athena found ${found} of the ${listed.length} networks with files under ${name}/ (check the table's storage.location.template and projection against the curated keys)`,
            }
          : { found: `${plural(found, 'network')}, ${weeks(row)}` };
      },
    });
  }
  plan.set('rejects', {
    sql: `select count(*) as row_count, count(distinct source_system) as source_systems from ${table('rejects')}`,
    judge: (row) => ({ found: plural(Number(row.source_systems ?? 0), 'source system') }),
  });
  for (const [name, columns] of Object.entries(METRIC_COLUMNS)) {
    const byWeek = 'week_start' in columns;
    plan.set(name, {
      sql: `select count(*) as row_count${byWeek ? ', min(week_start) as first_week, max(week_start) as last_week' : ''} from ${table(name)}`,
      judge: (row) => ({
        found:
          Number(row.row_count ?? 0) === 0
            ? 'empty (metrics not published yet?)'
            : byWeek
              ? weeks(row)
              : '-',
      }),
    });
  }
  return plan;
}

/** Run one query per catalog table, one after another; a failure does not stop the rest. */
export async function athenaCheck(options: AthenaCheckOptions): Promise<TableCheck[]> {
  const results: TableCheck[] = [];
  for (const [table, probe] of await probes(options)) {
    if (typeof probe === 'string') {
      results.push({ table, ok: false, reason: probe });
      continue;
    }
    try {
      const row = tableRows(await options.engine.query(probe.sql))[0] ?? {};
      const stats = options.engine.lastQuery ?? { bytesScanned: 0, costUsd: 0 };
      const verdict = probe.judge(row);
      results.push(
        'reason' in verdict
          ? { table, ok: false, reason: verdict.reason }
          : {
              table,
              ok: true,
              rows: Number(row.row_count ?? 0),
              found: verdict.found,
              bytesScanned: stats.bytesScanned,
              costUsd: stats.costUsd,
            },
      );
    } catch (error) {
      results.push({ table, ok: false, reason: oneLineReason(error) });
    }
  }
  return results;
}

function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} B`;
}

/**
 * The report: a table (table, rows, found, scanned, estimated cost) with a total line, then one
 * line per failing table, `FAILED <table>: <reason>`.
 */
export function formatAthenaCheck(results: readonly TableCheck[]): string[] {
  const ok = results.filter((r) => r.ok);
  const cells = [
    ['table', 'rows', 'found', 'scanned', 'est. cost'],
    ...results.map((r) =>
      r.ok
        ? [
            r.table,
            r.rows.toLocaleString('en-GB'),
            r.found,
            bytes(r.bytesScanned),
            `$${r.costUsd.toFixed(6)}`,
          ]
        : [r.table, '-', 'FAILED (below)', '-', '-'],
    ),
    [
      `total (${ok.length} of ${results.length} ok)`,
      ok.reduce((sum, r) => sum + r.rows, 0).toLocaleString('en-GB'),
      '',
      bytes(ok.reduce((sum, r) => sum + r.bytesScanned, 0)),
      `$${ok.reduce((sum, r) => sum + r.costUsd, 0).toFixed(6)}`,
    ],
  ];
  const widths =
    cells[0]?.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, i) =>
        i === 1 || i >= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    ...cells.map(line),
    ...results.flatMap((r) => (r.ok ? [] : [`FAILED ${r.table}: ${r.reason}`])),
  ];
}
