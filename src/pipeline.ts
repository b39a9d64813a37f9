/**
 * The pipeline's steps, wired to real adapters from a `Config`: demo exports -> ingest ->
 * metrics -> publish. The CLI and the Lambda handlers are thin adapters over these functions.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isoWeekLabel, isoWeekMonday, lastCompleteWeekStart } from './calendar.js';
import type { Clock } from './clock.js';
import { type Config, describeLocation, type Location } from './config.js';
import { ConfigError, UsageError } from './errors.js';
import type { IngestSummary } from './ingest/ingest-all.js';
import type { IngestPhase } from './ingest/ingest-context.js';
import { KeyFileSecrets, type Secrets } from './ingest/pseudonymise.js';
import { LazySsmSecrets } from './lazy-ssm-secrets.js';
import { AthenaMetricRunner } from './metrics/athena-metric-runner.js';
import type { MetricSelection, MetricTables } from './metrics/compute-metrics.js';
import { DuckDbMetricRunner } from './metrics/duckdb-metric-runner.js';
import type { MetricRunner } from './metrics/metric-runner.js';
import { loadReference, type Reference } from './reference/organisations.js';
import type { Announcement } from './site/announcements.js';
import {
  BucketSiteHost,
  FolderSiteHost,
  type PublishLockHolder,
  type SiteHost,
} from './site/site-versions.js';
import type { ObjectStore } from './store/object-store.js';
import { openStore } from './store/open-store.js';

export type Log = (message: string) => void;

export interface Runtime {
  config: Config;
  clock: Clock;
  raw: ObjectStore;
  curated: ObjectStore;
  /** Where the site is published: versions and the switch (src/site/site-versions.ts). */
  site: SiteHost;
  secrets: Secrets;
  /** What computes the metric tables: the configured engine (src/metrics/metric-runner.ts). */
  metricRunner: MetricRunner;
  log: Log;
  reference(): Promise<Reference>;
}

function storeFor(location: Location, config: Config): ObjectStore {
  return location.kind === 'local'
    ? openStore({ kind: 'local', root: location.root })
    : openStore({
        kind: 's3',
        bucket: location.bucket,
        prefix: location.prefix,
        region: config.aws.region,
        endpoint: config.aws.endpoint,
      });
}

function secretsFor(config: Config): Secrets {
  const source = config.pseudonymKey;
  return source.kind === 'file'
    ? new KeyFileSecrets(source.path)
    : new LazySsmSecrets({ region: config.aws.region, parameterName: source.parameterName });
}

/**
 * The engine, chosen here and nowhere else: DuckDB in process, or Athena over the Glue catalog with
 * a client made for each run (docs/engines.md).
 */
export function metricRunnerFor(config: Config): MetricRunner {
  const engine = config.engine;
  return engine.kind === 'duckdb'
    ? new DuckDbMetricRunner()
    : new AthenaMetricRunner({
        workGroup: engine.workGroup,
        database: engine.database,
        timeoutMs: engine.timeoutMs,
        // The Athena client's module is loaded by the first run, not with this module.
        newClient: async () => {
          const { AthenaClient } = await import('@aws-sdk/client-athena');
          return new AthenaClient({ region: config.aws.region });
        },
      });
}

/**
 * Nothing is read here: stores, the key and the reference files are opened on first use. A Lambda
 * handler keeps one Runtime per container, so the key is read once per container.
 */
export function openRuntime(config: Config, clock: Clock, log: Log): Runtime {
  let reference: Promise<Reference> | undefined;
  return {
    config,
    clock,
    raw: storeFor(config.raw, config),
    curated: storeFor(config.curated, config),
    site:
      config.site.kind === 'local'
        ? new FolderSiteHost(config.site.root)
        : new BucketSiteHost(storeFor(config.site, config)),
    secrets: secretsFor(config),
    metricRunner: metricRunnerFor(config),
    log,
    reference: () => {
      reference ??= loadReference(config.referenceDir);
      return reference;
    },
  };
}

/**
 * Write the demo exports into the raw area. With `fresh`, first empty the local raw and curated
 * folders (never a remote store), so the demo always starts from a clean slate.
 */
export async function writeDemo(
  rt: Runtime,
  options: { fresh: boolean },
): Promise<{ files: number; rows: number; weeks: string[] }> {
  if (options.fresh) {
    for (const location of [rt.config.raw, rt.config.curated]) {
      if (location.kind !== 'local')
        throw new ConfigError(
          `Refusing to empty a remote store for the demo: ${describeLocation(location)}`,
        );
      await rm(location.root, { recursive: true, force: true });
    }
  }
  const lastWeekStart = lastCompleteWeekStart(rt.clock.now());
  const { generateDemo } = await import('./demo/generate-demo.js');
  const demo = generateDemo({
    reference: await rt.reference(),
    seed: rt.config.demo.seed,
    weeks: rt.config.demo.weeks,
    lastWeekStart,
  });
  for (const file of demo.files) await rt.raw.put(file.key, file.body, 'text/csv');
  const rows = demo.files.reduce((sum, f) => sum + f.rows, 0);
  rt.log(
    `demo: wrote ${demo.files.length} exports (${rows} rows, ${demo.weekStarts.length} weeks to ${lastWeekStart}, and the rota published for the ${demo.aheadWeekStarts.length} weeks after) to ${rt.raw.description}`,
  );
  return { files: demo.files.length, rows, weeks: demo.weekStarts };
}

export async function ingest(
  rt: Runtime,
  options: { prefix?: string; keys?: string[]; force?: boolean } = {},
): Promise<IngestSummary> {
  rt.log(`ingest: ${rt.raw.description} -> ${rt.curated.description}`);
  const phases = new Map<IngestPhase, number>();
  const [{ withDuckDb }, { ingestAll, phaseLine }] = await Promise.all([
    import('./engine/duckdb-engine.js'),
    import('./ingest/ingest-all.js'),
  ]);
  const summary = await withDuckDb(async (engine) =>
    ingestAll({
      engine,
      raw: rt.raw,
      curated: rt.curated,
      secrets: rt.secrets,
      reference: await rt.reference(),
      mappingsDir: rt.config.mappingsDir,
      extendedHours: rt.config.extendedHours,
      dateWindow: rt.config.dateWindow,
      extraNetworks: rt.config.extraNetworks,
      clock: rt.clock,
      onProgress: rt.log,
      phases,
      ...options,
    }),
  );
  if (summary.ingested.length > 0) rt.log(`ingest: time per phase: ${phaseLine(phases)}`);
  rt.log(
    `ingest: ${summary.ingested.length} files ingested, ${summary.skipped.length} already ingested, ${summary.failed.length} failed, ${summary.ignored.length} ignored; ` +
      `${summary.rowsIn} rows in = ${summary.accepted} accepted + ${summary.rejected} rejected`,
  );
  return summary;
}

/**
 * Compute the metric tables with the configured engine and store them; return what the site reads
 * of them (`SITE_READ`), for `publish`, or what `read` chooses (`{}`: nothing).
 */
export async function metrics(
  rt: Runtime,
  options: { read?: MetricSelection } = {},
): Promise<MetricTables> {
  rt.log(`metrics: ${rt.curated.description} (engine: ${rt.metricRunner.engine})`);
  const [{ loadMetricParameters }, { SITE_READ }] = await Promise.all([
    import('./metrics/load-parameters.js'),
    import('./site/site-data.js'),
  ]);
  return rt.metricRunner.run({
    curated: rt.curated,
    parameters: await loadMetricParameters(rt.config, await rt.reference()),
    onProgress: rt.log,
    read: options.read ?? SITE_READ,
  });
}

export interface PublishResult {
  files: number;
  /** The version now live (src/site/site-versions.ts). */
  version: string;
  /**
   * Monday of the week of the weekly reports: the week asked for, else the latest of the networks'
   * own weeks (none: no network has a complete week).
   */
  reportWeek: string | undefined;
  /** Each network's report week (network code -> Monday): its own latest complete week by default. */
  reportWeeks: Map<string, string>;
  /** One message per network about its weekly report (src/site/announcements.ts). */
  announcements: Announcement[];
  indexPath: string;
  networks: number;
  weeks: number;
  shifts: number;
  rejected: number;
}

/**
 * The Monday of an ISO week label asked for on the command line or in an event, checked against
 * the clock: a malformed label, or a week that has not ended yet, is a `UsageError`. Whether the
 * data covers it is checked when the site is built (`reportWeeksByNetwork`).
 */
export function requestedReportWeek(label: string, now: Date): string {
  let monday: string;
  try {
    monday = isoWeekMonday(label);
  } catch (error) {
    throw new UsageError(`--week: ${(error as Error).message}`);
  }
  const lastComplete = lastCompleteWeekStart(now);
  if (monday > lastComplete)
    throw new UsageError(
      `week ${label} has not ended yet: the last complete week is ${isoWeekLabel(lastComplete)}`,
    );
  return monday;
}

/** The metric tables stored by the last metrics run, read back with DuckDB. */
async function readStoredMetrics(curated: ObjectStore): Promise<MetricTables> {
  const [{ withDuckDb }, { readMetrics }, { SITE_READ }] = await Promise.all([
    import('./engine/duckdb-engine.js'),
    import('./metrics/compute-metrics.js'),
    import('./site/site-data.js'),
  ]);
  return withDuckDb((engine) => readMetrics(engine, curated, SITE_READ));
}

/**
 * Build the site from the metric tables and publish it. `reportWeek` (a Monday) chooses the week of
 * the weekly reports for every network whose data covers it; by default each network gets a report
 * for its own latest complete week (`reportWeeksByNetwork`).
 */
export async function publish(
  rt: Runtime,
  tables?: MetricTables,
  options: {
    reportWeek?: string;
    /** Recorded in the publish lock: the publish Lambda's deadline and request id. */
    lock?: PublishLockHolder;
  } = {},
): Promise<PublishResult> {
  // The site build (vega, Arrow) and DuckDB load here, when a publish needs them (cold start).
  const [
    { weeklyAnnouncements },
    { archivedReports, assertSafeSiteCodes, buildSite },
    { completeWeeksOnly },
    { dataQualityByNetwork, readManifests },
    { loadSiteAssets },
    { reportWeeksByNetwork, siteMetricsFromTables },
    { liveSite, publishVersion, withPublishLock },
    { formatReportInputs, parseReportInputs, REPORT_INPUTS_KEY },
  ] = await Promise.all([
    import('./site/announcements.js'),
    import('./site/build-site.js'),
    import('./site/complete-weeks.js'),
    import('./site/data-quality.js'),
    import('./site/site-assets.js'),
    import('./site/site-data.js'),
    import('./site/site-versions.js'),
    import('./site/report-inputs.js'),
  ]);
  const metricTables = tables ?? (await readStoredMetrics(rt.curated));
  const lastComplete = lastCompleteWeekStart(rt.clock.now());
  // The rota published ahead is the coordinator's (open_shifts), not a week to report on.
  const siteMetrics = completeWeeksOnly(siteMetricsFromTables(metricTables), lastComplete);
  const networkWeek = siteMetrics.networkWeek;
  const reportWeeks = reportWeeksByNetwork(networkWeek, {
    lastComplete,
    ...(options.reportWeek === undefined ? {} : { week: options.reportWeek }),
  });
  const manifests = await readManifests(rt.curated);
  // A code that cannot be a folder name stops the publish here, before anything is written.
  assertSafeSiteCodes(siteMetrics, (code) =>
    manifests
      .filter((m) => m.networkCode === code || m.networks.includes(code))
      .map((m) => m.sourceFile),
  );
  const reportWeek = options.reportWeek ?? [...reportWeeks.values()].sort().at(-1);
  const reference = await rt.reference();
  const assets = await loadSiteAssets();
  const now = () => rt.clock.now();
  // What the archived reports show, as published (report-inputs.ts): one whose week changed is rebuilt.
  const reportInputs = {
    previous: (await rt.curated.exists(REPORT_INPUTS_KEY))
      ? parseReportInputs(new TextDecoder().decode(await rt.curated.get(REPORT_INPUTS_KEY)))
      : new Map<string, string>(),
    current: new Map<string, string>(),
  };
  const { files, version } = await withPublishLock(
    rt.site,
    now,
    async (lock) => {
      const built = await buildSite({
        metrics: siteMetrics,
        reportInputs,
        archivedReports: await archivedReports(await liveSite(rt.site)),
        onProgress: rt.log,
        reportWeeks,
        reference,
        quality: dataQualityByNetwork(manifests),
        assets,
        generatedAt: now(),
        sourceLabel:
          rt.config.raw.kind === 'local' ? 'rota exports in a local folder' : 'rota exports in S3',
        // A local site is open (single user); one in S3 is served behind the edge authoriser.
        access: rt.config.site.kind === 'local' ? 'open' : 'signed-in',
      });
      const published = await publishVersion(rt.site, built, {
        now: now(),
        keep: rt.config.siteKeepVersions,
        log: rt.log,
        lock,
      });
      rt.log(
        `publish: version ${published.version} is live (${built.length} files, ${published.carried} archived report files carried over` +
          `${published.previous ? `; previous ${published.previous}` : ''}` +
          `${published.removed.length > 0 ? `; removed ${published.removed.join(', ')}` : ''})`,
      );
      // Recorded once the version is live: a failed publish leaves the previous record, matching
      // the reports still served. Not recorded is safe (those reports are rebuilt next time), so a
      // failure here is reported, not fatal: the site is live.
      try {
        await rt.curated.put(
          REPORT_INPUTS_KEY,
          formatReportInputs(reportInputs.current),
          'application/json',
        );
      } catch (error) {
        rt.log(
          `publish: could not record what the reports show (${String(error)}); the next publish rebuilds them`,
        );
      }
      return { files: built, version: published.version };
    },
    options.lock,
  );
  const site = rt.config.site;
  const indexPath =
    site.kind === 'local'
      ? path.join(site.root, 'index.html')
      : `${describeLocation(site)}index.html`;
  rt.log(`publish: ${files.length} files to ${rt.site.description}`);
  const skipped = new Set(networkWeek.map((r) => r.network_code)).size - reportWeeks.size;
  if (options.reportWeek !== undefined && skipped > 0)
    rt.log(
      `publish: no ${isoWeekLabel(options.reportWeek)} report for ${skipped} network(s) whose data does not cover that week`,
    );
  return {
    files: files.length,
    version,
    reportWeek,
    reportWeeks,
    announcements: weeklyAnnouncements({
      networkWeek,
      reference,
      weekStart: reportWeeks,
      siteUrl: rt.config.siteUrl,
    }),
    indexPath,
    networks: new Set(networkWeek.map((r) => r.network_code)).size,
    weeks: new Set(networkWeek.map((r) => r.week_start)).size,
    shifts: networkWeek.reduce((sum, r) => sum + r.demand_shifts + r.cancelled_shifts, 0),
    rejected: manifests.reduce((sum, m) => sum + m.rejected, 0),
  };
}
