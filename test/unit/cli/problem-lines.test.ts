import { describe, expect, it } from 'vitest';
import { problemLines } from '../../../src/cli/commands.js';
import { InvariantError, UnreadableExportError } from '../../../src/errors.js';
import { failureOf, type IngestSummary } from '../../../src/ingest/ingest-all.js';

const summary = (over: Partial<IngestSummary>): IngestSummary => ({
  ingested: [],
  skipped: [],
  sameContent: [],
  failed: [],
  ignored: [],
  rowsIn: 0,
  accepted: 0,
  rejected: 0,
  ...over,
});

describe('what an ingest run left out, for a person', () => {
  it('lists failures (problems one per line, bugs marked) and ignored keys, all escaped', () => {
    const mappingKey = 'acme/U60865/shifts/w46.csv';
    const lines = problemLines(
      summary({
        failed: [
          failureOf(
            mappingKey,
            new UnreadableExportError(
              mappingKey,
              'Mapping acme.json is not valid:\n  shifts.fields.cost: "gbp" is not one of pounds, pence\n  shifts.fields.role: is required',
            ),
          ),
          failureOf('generic/U60865/shifts/x.csv', new InvariantError('Conservation failed')),
        ],
        ignored: [
          {
            key: 'generic/u1/shifts/\u001b[2Jx.csv',
            reason: 'network folder must be a PCN code like U60865',
          },
        ],
      }),
    );
    expect(lines).toEqual([
      'failed: Cannot read export acme/U60865/shifts/w46.csv: Mapping acme.json is not valid:',
      '    shifts.fields.cost: "gbp" is not one of pounds, pence',
      '    shifts.fields.role: is required',
      'BUG (please report): generic/U60865/shifts/x.csv: Conservation failed',
      'ignored: generic/u1/shifts/\\x1b[2Jx.csv: network folder must be a PCN code like U60865',
    ]);
  });

  it('names the earlier upload of a file skipped for having its content', () => {
    const lines = problemLines(
      summary({
        skipped: ['generic/U60865/shifts/w47.csv', 'generic/U60865/shifts/w46.csv'],
        sameContent: [
          { key: 'generic/U60865/shifts/w47.csv', ingestedAs: 'generic/U60865/shifts/w46.csv' },
        ],
      }),
    );
    // The re-run's own skip (w46.csv) is no problem; the renamed copy is said.
    expect(lines).toEqual([
      'not read: generic/U60865/shifts/w47.csv has the same content as generic/U60865/shifts/w46.csv, already ingested',
    ]);
  });

  it('is empty when nothing was left out', () => {
    expect(problemLines(summary({}))).toEqual([]);
  });
});
