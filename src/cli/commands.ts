/**
 * The `rotascope` subcommands: each parses nothing itself (main.ts does), calls one or more
 * pipeline steps and prints a short result. Progress goes to stderr, results to stdout.
 */

import { isoWeekLabel } from '../calendar.js';
import type { EngineKind } from '../config.js';
import { openAthenaEngine } from '../engine/athena-engine.js';
import { printable } from '../errors.js';
import type { IngestSummary } from '../ingest/ingest-all.js';
import { formatIngestReport } from '../ingest/ingest-report.js';
import { athenaCheck, formatAthenaCheck } from '../metrics/athena-check.js';
import { metricTableNames } from '../metrics/query-files.js';
import type { Runtime } from '../pipeline.js';
import { ingest, metrics, publish, requestedReportWeek, writeDemo } from '../pipeline.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  value?: string;
  description: string;
}

export interface Command {
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** The engine this command always uses, whatever `--engine` or ROTASCOPE_ENGINE say. */
  engine?: EngineKind;
  run(
    rt: Runtime,
    values: Record<string, string | boolean | undefined>,
    out: (line: string) => void,
  ): Promise<void>;
}

const DEMO_OPTIONS: Record<string, OptionSpec> = {
  seed: { type: 'string', value: 'n', description: 'demo generator seed (default 20260406)' },
  weeks: { type: 'string', value: 'n', description: 'weeks of demo data, 12-104 (default 14)' },
};

const ENGINE_OPTION: Record<string, OptionSpec> = {
  engine: {
    type: 'string',
    value: 'duckdb|athena',
    description: 'what computes the metric tables (default ROTASCOPE_ENGINE, else duckdb)',
  },
};

const WEEK_OPTION: Record<string, OptionSpec> = {
  week: {
    type: 'string',
    value: 'YYYY-Www',
    description:
      "write this ISO week's reports, e.g. 2026-W43 (default: each network's latest complete week)",
  },
};

/** The Monday of `--week`, checked before any work is done; undefined when not given. */
function weekOption(rt: Runtime, values: Record<string, string | boolean | undefined>) {
  return typeof values.week === 'string'
    ? { reportWeek: requestedReportWeek(values.week, rt.clock.now()) }
    : {};
}

function reportLine(result: { reportWeeks: Map<string, string> }): string {
  const weeks = [...new Set(result.reportWeeks.values())].sort().map(isoWeekLabel);
  return weeks.length === 0
    ? 'No weekly reports: no network has a complete week of data'
    : `Weekly reports for ${weeks.join(', ')} (${result.reportWeeks.size} networks)`;
}

/**
 * What a run left out, for a person: each failed file with its reason (a mapping's problems one
 * per line) and each ignored key with what was expected. File names are escaped (printable).
 */
export function problemLines(summary: IngestSummary): string[] {
  const lines: string[] = [];
  for (const failure of summary.failed) {
    const [first, ...more] = failure.lines;
    lines.push(`${failure.kind === 'bug' ? 'BUG (please report)' : 'failed'}: ${first}`);
    for (const line of more) lines.push(`    ${line}`);
  }
  for (const { key, reason } of summary.ignored)
    lines.push(`ignored: ${printable(key)}: ${reason}`);
  for (const { key, ingestedAs } of summary.sameContent) {
    lines.push(
      `not read: ${printable(key)} has the same content as ${printable(ingestedAs)}, already ingested`,
    );
  }
  return lines;
}

/**
 * Failed files and ignored keys do not stop the others, but the command still ends in failure
 * (exit 1) after every other file was ingested: a misplaced or unreadable export is a week of
 * shifts missing from the figures, which a scheduled run must not report as success.
 */
function failIfIncomplete(summary: IngestSummary): void {
  const parts: string[] = [];
  if (summary.failed.length > 0) parts.push(`${summary.failed.length} file(s) failed`);
  if (summary.ignored.length > 0) {
    parts.push(
      `${summary.ignored.length} key(s) ignored (not <source_system>/<network_code>/<shifts|availability>/<file>)`,
    );
  }
  if (parts.length > 0) {
    throw new Error(`${parts.join(' and ')}; every other file was ingested (see above)`);
  }
}

function summaryLine(summary: IngestSummary): string {
  return (
    `Ingested ${summary.ingested.length} files: ${summary.rowsIn} rows = ${summary.accepted} accepted + ${summary.rejected} rejected; ` +
    `${summary.skipped.length} already ingested, ${summary.failed.length} failed, ${summary.ignored.length} ignored`
  );
}

/**
 * `athena-check`: one query per catalog table on the deployed stack's Athena (workgroup and
 * database from config), a report on stdout, and failure (exit 1) if any table failed.
 */
const athenaCheckCommand: Command = {
  summary: "Check a deployed stack's Athena tables: one small query per curated and metric table",
  usage: 'rotascope athena-check',
  options: {},
  engine: 'athena',
  async run(rt, _values, out) {
    const engine = rt.config.engine;
    if (engine.kind !== 'athena') throw new Error('athena-check needs the Athena settings');
    const athena = openAthenaEngine({
      region: rt.config.aws.region,
      workGroup: engine.workGroup,
      database: engine.database,
      timeoutMs: engine.timeoutMs,
      onProgress: rt.log,
    });
    try {
      out(
        `Athena workgroup ${engine.workGroup}, database ${engine.database}, curated ${rt.curated.description}`,
      );
      const results = await athenaCheck({
        engine: athena.engine,
        curated: rt.curated,
        database: engine.database,
      });
      for (const line of formatAthenaCheck(results)) out(line);
      const failed = results.filter((r) => !r.ok).map((r) => r.table);
      if (failed.length > 0) {
        throw new Error(
          `${failed.length} of ${results.length} tables failed: ${failed.join(', ')} (see above)`,
        );
      }
    } finally {
      await athena.close();
    }
  },
};

export const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'Write demo rota exports for the six Tower Hamlets PCNs into the raw area',
    usage: 'rotascope demo [--keep] [--seed n] [--weeks n]',
    options: {
      ...DEMO_OPTIONS,
      keep: {
        type: 'boolean',
        description: 'keep what is already in the local raw and curated folders',
      },
    },
    async run(rt, values, out) {
      const result = await writeDemo(rt, { fresh: !values.keep });
      out(`Wrote ${result.files} demo exports (${result.rows} rows) to ${rt.raw.description}`);
    },
  },
  ingest: {
    summary: 'Ingest raw exports into curated Parquet, with a reason for every rejected row',
    usage: 'rotascope ingest [--force] [--prefix <key prefix>]',
    options: {
      force: { type: 'boolean', description: 're-ingest files that were ingested before' },
      prefix: {
        type: 'string',
        value: 'key',
        description: 'only raw keys starting with this, e.g. generic/U60865/',
      },
    },
    async run(rt, values, out) {
      const summary = await ingest(rt, {
        force: Boolean(values.force),
        ...(typeof values.prefix === 'string' ? { prefix: values.prefix } : {}),
      });
      for (const manifest of summary.ingested) out(formatIngestReport(manifest));
      for (const line of problemLines(summary)) out(line);
      out(summaryLine(summary));
      failIfIncomplete(summary);
    },
  },
  metrics: {
    summary: 'Compute the metric tables (queries/*.sql) from curated data',
    usage: 'rotascope metrics [--engine duckdb|athena]',
    options: ENGINE_OPTION,
    async run(rt, _values, out) {
      // Stored for publish; none is read back here.
      await metrics(rt, { read: {} });
      out(`Computed ${(await metricTableNames()).join(', ')} into ${rt.curated.description}`);
    },
  },
  publish: {
    summary: 'Build the static site (overview and network pages) from the metric tables',
    usage: 'rotascope publish [--week YYYY-Www]',
    options: WEEK_OPTION,
    async run(rt, values, out) {
      const result = await publish(rt, undefined, weekOption(rt, values));
      out(`Site: ${result.indexPath} (${result.networks} networks)`);
      out(reportLine(result));
    },
  },
  run: {
    summary: 'Run the whole pipeline: ingest, metrics, publish (--demo writes demo exports first)',
    usage:
      'rotascope run [--demo] [--force] [--seed n] [--weeks n] [--engine duckdb|athena] [--week YYYY-Www]',
    options: {
      ...DEMO_OPTIONS,
      ...ENGINE_OPTION,
      ...WEEK_OPTION,
      demo: {
        type: 'boolean',
        description: 'start from fresh demo exports (empties the local raw and curated folders)',
      },
      force: { type: 'boolean', description: 're-ingest files that were ingested before' },
    },
    async run(rt, values, out) {
      const started = Date.now();
      const week = weekOption(rt, values);
      // One progress line per step with its time, so a slow run says where its time went.
      const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        const t = Date.now();
        const result = await work();
        rt.log(`step ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
        return result;
      };
      if (values.demo) await step('demo', () => writeDemo(rt, { fresh: true }));
      const ingested = await step('ingest', () => ingest(rt, { force: Boolean(values.force) }));
      const tables = await step('metrics', () => metrics(rt));
      const result = await step('publish', () => publish(rt, tables, week));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      out('');
      for (const manifest of ingested.ingested.filter((m) => m.rejected > 0)) {
        out(formatIngestReport(manifest));
      }
      for (const line of problemLines(ingested)) out(line);
      out(`Done in ${seconds} s. Open the site: ${result.indexPath}`);
      out(`  ${reportLine(result)}`);
      out(
        `  ${result.networks} networks, ${result.weeks} weeks, ${result.shifts.toLocaleString('en-GB')} shifts, ` +
          `${result.rejected} rows rejected (see each network's data-quality panel)`,
      );
      failIfIncomplete(ingested);
    },
  },
  'athena-check': athenaCheckCommand,
};
