/**
 * Per-network data quality: from the ingest manifests in the curated store (files, rows in,
 * rejects by reason, the latest export) and the weekly `data_quality` metric table, shown as the
 * network page's data-quality panel.
 */
import { MANIFEST_FOLDER } from '../curated/curated-layout.js';
import type { IngestManifest } from '../curated/ingest-manifest.js';
import { label } from '../labels.js';
import type { ObjectStore } from '../store/object-store.js';
import { dataTable } from './chart.js';
import { panel, WEEK_COLUMN } from './components.js';
import { formatCount, formatInstant, formatPercent } from './format.js';
import { escapeHtml } from './html.js';
import type { NetworkMetrics } from './site-data.js';

export interface NetworkDataQuality {
  files: number;
  rowsIn: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  /**
   * The latest shifts export's time: the rota every figure comes from, and what "out of date"
   * judges. An availability export alone does not make the figures current (an audit found a
   * network whose shifts were 16 days old shown as exported yesterday, and not flagged).
   */
  lastExport: string | null;
}

export async function readManifests(curated: ObjectStore): Promise<IngestManifest[]> {
  const objects = await curated.list(MANIFEST_FOLDER);
  const decoder = new TextDecoder();
  return Promise.all(
    objects.map(
      async ({ key }) => JSON.parse(decoder.decode(await curated.get(key))) as IngestManifest,
    ),
  );
}

export function dataQualityByNetwork(manifests: IngestManifest[]): Map<string, NetworkDataQuality> {
  const out = new Map<string, NetworkDataQuality>();
  for (const m of manifests) {
    const q = out.get(m.networkCode) ?? {
      files: 0,
      rowsIn: 0,
      rejected: 0,
      rejectsByReason: {},
      lastExport: null,
    };
    q.files += 1;
    q.rowsIn += m.rowsIn;
    q.rejected += m.rejected;
    if (
      m.kind === 'shifts' &&
      m.exportedAt &&
      (q.lastExport === null || m.exportedAt > q.lastExport)
    )
      q.lastExport = m.exportedAt;
    for (const [reason, n] of Object.entries(m.rejectsByReason))
      q.rejectsByReason[reason] = (q.rejectsByReason[reason] ?? 0) + n;
    out.set(m.networkCode, q);
  }
  return out;
}

/** Weeks of exports the data-quality table lists, newest first. */
const QUALITY_WEEKS = 8;

export function qualityPanel(
  quality: NetworkDataQuality | undefined,
  metrics: Pick<NetworkMetrics, 'dataQuality'>,
): string {
  if (!quality)
    return panel(
      'quality',
      'Data quality',
      '<p class="no-data">No export has been received from this network.</p>',
    );
  const reasons = Object.entries(quality.rejectsByReason).sort((a, b) => b[1] - a[1]);
  const reasonList =
    reasons.length === 0
      ? ''
      : `<ul>${reasons
          .map(
            ([reason, n]) =>
              `<li>${escapeHtml(label('reason', reason))}: ${escapeHtml(formatCount(n))}</li>`,
          )
          .join('')}</ul>`;
  const weeks = metrics.dataQuality.slice(-QUALITY_WEEKS).reverse();
  const table =
    weeks.length === 0
      ? ''
      : dataTable(
          'Exports received by week (the week the export was taken)',
          [
            { ...WEEK_COLUMN, title: 'Exported in week starting' },
            { field: 'files', title: 'Files', format: formatCount, numeric: true },
            { field: 'rows_received', title: 'Rows received', format: formatCount, numeric: true },
            { field: 'rows_rejected', title: 'Rejected', format: formatCount, numeric: true },
            {
              field: 'reject_share',
              title: 'Rejected share',
              format: formatPercent,
              numeric: true,
            },
            { field: 'latest_exported_at', title: 'Latest export', format: formatInstant },
          ],
          weeks,
        );
  const summary = [
    ['Latest rota (shifts) export', formatInstant(quality.lastExport)],
    ['Files received', formatCount(quality.files)],
    ['Rows received', formatCount(quality.rowsIn)],
    ['Rows rejected', formatCount(quality.rejected)],
  ]
    .map(
      ([key, value]) =>
        `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${escapeHtml(key)}</dt><dd class="nhsuk-summary-list__value">${escapeHtml(value)}</dd></div>`,
    )
    .join('');
  return panel(
    'quality',
    'Data quality',
    `<dl class="nhsuk-summary-list">${summary}</dl>
${reasons.length > 0 ? '<p>Rows rejected, by reason:</p>' : ''}
${reasonList}
${table}`,
  );
}
