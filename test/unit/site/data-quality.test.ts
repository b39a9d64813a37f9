/**
 * The data-quality summary per network (src/site/data-quality.ts): files and rows of every export,
 * and the latest rota export, which the "out of date" flag judges.
 */
import { describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import { dataQualityByNetwork } from '../../../src/site/data-quality.js';

const manifest = (
  kind: IngestManifest['kind'],
  exportedAt: string,
  rowsIn: number,
): IngestManifest => ({
  sourceFile: `generic/U87199/${kind}/${exportedAt}.csv`,
  sourceSystem: 'generic',
  kind,
  format: 'csv',
  contentSha256: exportedAt,
  networkCode: 'U87199',
  rowsIn,
  accepted: rowsIn,
  rejected: 0,
  rejectsByReason: {},
  networks: ['U87199'],
  weeks: [],
  exportedAt,
  exportedAtSource: 'column',
  curatedKeys: [],
  ingestedAt: exportedAt,
  seconds: 0.1,
});

describe('data quality by network', () => {
  it('dates the figures by the latest shifts export, not a later availability export', () => {
    // Shifts exported 20 Nov, availability 4 Dec: the figures are as of 20 Nov (before: 4 Dec,
    // so a network 16 days out of date was not flagged).
    const q = dataQualityByNetwork([
      manifest('shifts', '2026-11-20T07:00:00.000Z', 2),
      manifest('availability', '2026-12-04T07:00:00.000Z', 5),
    ]).get('U87199');
    expect(q).toMatchObject({ files: 2, rowsIn: 7, lastExport: '2026-11-20T07:00:00.000Z' });
    // Only availability: no rota export at all.
    expect(
      dataQualityByNetwork([manifest('availability', '2026-12-04T07:00:00.000Z', 5)]).get('U87199')
        ?.lastExport,
    ).toBeNull();
  });
});
