/**
 * The handlers' business metrics, through Powertools Metrics: written to stdout as CloudWatch
 * Embedded Metric Format (one JSON line per invocation), which Lambda turns into CloudWatch
 * metrics with no API call. Namespace `Rotascope` (as `POWERTOOLS_METRICS_NAMESPACE` in
 * infra/pipeline-function.ts), dimensions `service` (the function: `rotascope-ingest`,
 * `rotascope-publish`) and `stage` (`ROTASCOPE_STAGE`, which the stack sets to dev, staging or
 * prod; `local` where it is unset), so stages deployed in one account and region write separate
 * series and each stage's alarms watch only its own. Names, units and meanings:
 * docs/deploying.md ("Metrics").
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IngestSummary } from '../src/ingest/ingest-all.js';
import type { PublishResult } from '../src/pipeline.js';

export const METRICS_NAMESPACE = 'Rotascope';

/** The `stage` dimension where ROTASCOPE_STAGE is unset (a run outside a deployed stack). */
export const UNSET_STAGE = 'local';

export function businessMetrics(
  serviceName: string,
  stage = process.env.ROTASCOPE_STAGE || UNSET_STAGE,
): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName,
    defaultDimensions: { stage },
  });
}

/** One invocation's ingest, summed over its messages: files, and rows in = accepted + rejected. */
export function addIngestMetrics(metrics: Metrics, summaries: readonly IngestSummary[]): void {
  const sum = (of: (s: IngestSummary) => number) => summaries.reduce((n, s) => n + of(s), 0);
  metrics.addMetric(
    'FilesIngested',
    MetricUnit.Count,
    sum((s) => s.ingested.length),
  );
  metrics.addMetric(
    'FilesFailed',
    MetricUnit.Count,
    sum((s) => s.failed.length),
  );
  metrics.addMetric(
    'RowsIn',
    MetricUnit.Count,
    sum((s) => s.rowsIn),
  );
  metrics.addMetric(
    'RowsAccepted',
    MetricUnit.Count,
    sum((s) => s.accepted),
  );
  metrics.addMetric(
    'RowsRejected',
    MetricUnit.Count,
    sum((s) => s.rejected),
  );
}

/** One publish run: how long metrics and publish took, and what went live. */
export function addPublishMetrics(metrics: Metrics, result: PublishResult, ms: number): void {
  metrics.addMetric('PublishDuration', MetricUnit.Milliseconds, Math.round(ms));
  metrics.addMetric('NetworksPublished', MetricUnit.Count, result.networks);
  metrics.addMetric('FilesPublished', MetricUnit.Count, result.files);
}
