import { describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import { formatIngestReport } from '../../../src/ingest/ingest-report.js';

const manifest = (over: Partial<IngestManifest>): IngestManifest => ({
  sourceFile: 'generic/U60865/shifts/2026-11-09.csv',
  sourceSystem: 'generic',
  kind: 'shifts',
  format: 'csv',
  contentSha256: 'a'.repeat(64),
  networkCode: 'U60865',
  rowsIn: 14,
  accepted: 9,
  rejected: 5,
  rejectsByReason: { bad_date: 1, duplicate_shift_id: 2, unknown_practice: 2 },
  networks: ['U60865'],
  weeks: ['2026-10-19', '2026-11-02', '2026-11-09'],
  exportedAt: '2026-11-16T07:00:00.000Z',
  exportedAtSource: 'column',
  curatedKeys: [],
  ingestedAt: '2026-11-16T09:00:00.000Z',
  seconds: 0.123,
  ...over,
});

describe('ingest report line', () => {
  it('gives rows in, accepted, rejected by reason (most first), networks, weeks and time', () => {
    expect(formatIngestReport(manifest({}))).toBe(
      'generic/U60865/shifts/2026-11-09.csv: 14 rows = 9 accepted + 5 rejected ' +
        '(duplicate_shift_id 2, unknown_practice 2, bad_date 1); U60865; weeks 2026-10-19..2026-11-09 (3); 0.12 s',
    );
  });

  it('reads well for a clean file of one week and for an empty file', () => {
    expect(
      formatIngestReport(
        manifest({ rejected: 0, accepted: 14, rejectsByReason: {}, weeks: ['2026-11-09'] }),
      ),
    ).toBe(
      'generic/U60865/shifts/2026-11-09.csv: 14 rows = 14 accepted + 0 rejected; U60865; week 2026-11-09; 0.12 s',
    );
    expect(
      formatIngestReport(
        manifest({
          rowsIn: 0,
          accepted: 0,
          rejected: 0,
          rejectsByReason: {},
          networks: [],
          weeks: [],
        }),
      ),
    ).toBe(
      'generic/U60865/shifts/2026-11-09.csv: 0 rows = 0 accepted + 0 rejected; no networks; no weeks; 0.12 s',
    );
  });

  it("warns on a second line when the export time is the object's modified time", () => {
    const [line, warning] = formatIngestReport(
      manifest({ exportedAtSource: 'modified_time' }),
    ).split('\n');
    expect(line).toContain('14 rows = 9 accepted + 5 rejected');
    expect(warning).toBe(
      '  warning: generic/U60865/shifts/2026-11-09.csv: the export time is the file\'s modified time (its rows, title and name give none); map exported_at (docs/mappings.md, "Export time")',
    );
    expect(formatIngestReport(manifest({ exportedAtSource: 'title_line' }))).not.toContain('\n');
  });
});
