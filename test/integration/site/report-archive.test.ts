/**
 * Archived weekly reports follow their week's figures (src/site/report-inputs.ts). A late export
 * changing a week already reported left the old report beside the new network page, and the two
 * differed by one locum's pay. Real ingest, metrics and publish into a local folder site.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { ingest, metrics, openRuntime, publish } from '../../../src/pipeline.js';
import { GENERIC_SHIFT_HEADER, genericShiftLine } from '../../helpers/generic-shift-row.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-report-archive-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Agency locum shifts of 8 h on Tuesday 17 November 2026 (ISO week 47), one per clinician. */
const locums = (ids: [string, string, string][], exportedAt: string) =>
  [
    GENERIC_SHIFT_HEADER,
    ...ids.map(([id, person, cost]) =>
      genericShiftLine({
        shift_id: id,
        person_id: person,
        engagement: 'agency',
        date: '2026-11-17',
        start_time: '08:00',
        end_time: '16:00',
        cost_gbp: cost,
        published_at: '2026-11-01 10:00',
        filled_at: '2026-11-02 10:00',
        exported_at: exportedAt,
      }),
    ),
  ].join('\n');

async function run(at: string) {
  const site = path.join(dir, 'site');
  const rt = openRuntime(
    loadConfig({}, { dataDir: path.join(dir, 'data'), site }),
    fixedClock(at),
    () => {},
  );
  await ingest(rt);
  await publish(rt, await metrics(rt));
  return (file: string) => readFile(path.join(site, file), 'utf8');
}

describe('an archived weekly report', () => {
  it('is rebuilt when a late export changes its week, and kept as it is otherwise', async () => {
    // Prepare: three agency locums at £500 in week 47, reported on Monday 23 November.
    const folder = path.join(dir, 'data', 'raw', 'generic', 'U60865', 'shifts');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'w47.csv'),
      locums(
        [
          ['L1', 'GMC-1', '500.00'],
          ['L2', 'GMC-2', '500.00'],
          ['L3', 'GMC-3', '500.00'],
        ],
        '2026-11-23 07:00',
      ),
    );
    const first = await run('2026-11-23T08:00:00Z');
    const report = 'reports/2026-W47/U60865/index.html';
    expect(await first(report)).toContain('£1,500');
    // A late export adds a fourth locum to week 47 (£720) and a shift in week 48.
    await writeFile(
      path.join(folder, 'late.csv'),
      [
        locums([['L4', 'GMC-4', '720.00']], '2026-11-30 07:00'),
        genericShiftLine({ shift_id: 'N1', date: '2026-11-24', exported_at: '2026-11-30 07:00' }),
      ].join('\n'),
    );
    // Act
    const second = await run('2026-11-30T08:00:00Z');
    // Assess: week 47's report now says £2,220 (before: still £1,500, and £2,220 - £1,500 on
    // the network page was the fourth locum's pay); week 48's is new.
    const rebuilt = await second(report);
    expect(rebuilt).toContain('£2,220');
    expect(rebuilt).not.toContain('£1,500');
    expect(await second('reports/2026-W48/U60865/index.html')).toContain('23 Nov 2026');
    // A third publish with nothing new keeps week 47's report as it is (no rebuild).
    const before = await second(report);
    const third = await run('2026-11-30T09:00:00Z');
    expect(await third(report)).toBe(before);
  });
});
