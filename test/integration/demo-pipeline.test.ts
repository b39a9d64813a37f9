/**
 * The whole demo, the way `npm start` runs it (the CLI's `run --demo`), into a temp folder. One
 * network-week's fill rate is recomputed here straight from the generated export files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekLabel, lastCompleteWeekStart } from '../../src/calendar.js';
import { main } from '../../src/cli/main.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { AHEAD_WEEKS } from '../../src/demo/generate-demo.js';
import { tableRows } from '../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../src/engine/duckdb-engine.js';
import { type MetricTables, metricTable, readMetrics } from '../../src/metrics/compute-metrics.js';
import { openRuntime, publish } from '../../src/pipeline.js';
import { parseCsvRecords } from '../../src/reference/csv.js';
import { readManifests } from '../../src/site/data-quality.js';
import { formatDate } from '../../src/site/format.js';
import { SITE_READ } from '../../src/site/site-data.js';
import { LocalFolderStore } from '../../src/store/local-folder-store.js';

let dir: string;
let out: string[];
let progress: string[];
let code: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-demo-'));
  out = [];
  progress = [];
  code = await main(
    [
      'run',
      '--demo',
      '--weeks',
      '12',
      '--data',
      path.join(dir, 'data'),
      '--site',
      path.join(dir, 'site'),
    ],
    {
      out: (l) => out.push(l),
      err: (l) => progress.push(l),
      env: {},
    },
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A page with vega's gradient ids numbered in their order on the page. */
function ownIds(html: string): string {
  const ids = new Map<string, number>();
  return html.replace(/gradient_\d+/g, (id) => {
    if (!ids.has(id)) ids.set(id, ids.size);
    return `gradient_${ids.get(id)}`;
  });
}

async function rawShiftRows(network: string) {
  const folder = path.join(dir, 'data', 'raw', 'generic', network, 'shifts');
  const rows: Record<string, string>[] = [];
  for (const name of (await readdir(folder)).sort())
    rows.push(...parseCsvRecords(await readFile(path.join(folder, name), 'utf8')));
  return rows;
}

describe('npm start (rotascope run --demo)', () => {
  it('finishes and says where the site is, with a summary', () => {
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Open the site: .*site\/index\.html/);
    expect(text).toMatch(/6 networks, 12 weeks, [\d,]+ shifts, 7 rows rejected/);
  });

  it('prints a progress line per step with its time, and where ingest spent its time', () => {
    const steps = progress.filter((l) => l.startsWith('step '));
    expect(steps.map((l) => l.replace(/\d+\.\d s$/, 'N s'))).toEqual([
      'step demo: N s',
      'step ingest: N s',
      'step metrics: N s',
      'step publish: N s',
    ]);
    expect(progress).toContainEqual(
      expect.stringMatching(
        /^ingest: time per phase: read \d+\.\d s, stage \d+\.\d s, check \d+\.\d s, write \d+\.\d s, store \d+\.\d s$/,
      ),
    );
  });

  it('writes the overview and a page for each of the six networks', () => {
    for (const page of [
      'index.html',
      ...['U50771', 'U54453', 'U87199', 'U08803', 'U60865', 'U09193'].map(
        (n) => `networks/${n}/index.html`,
      ),
    ]) {
      expect(existsSync(path.join(dir, 'site', page)), page).toBe(true);
    }
  });

  it('has the fill rate the export files imply for Network 7 in its last week, amended export included', async () => {
    // Recompute from the raw CSVs: the latest export of each shift wins; demand = filled + unfilled.
    const latest = new Map<string, Record<string, string>>();
    for (const row of await rawShiftRows('U60865')) {
      const seen = latest.get(row.shift_id as string);
      if (!seen || (row.exported_at as string) > (seen.exported_at as string))
        latest.set(row.shift_id as string, row);
    }
    const curated = new LocalFolderStore(path.join(dir, 'data', 'curated'));
    const engine = await DuckDbEngine.open();
    try {
      const weeks = tableRows<{
        network_code: string;
        week_start: string;
        fill_rate_shifts: number;
        filled_shifts: number;
        demand_shifts: number;
      }>(metricTable(await readMetrics(engine, curated), 'network_week')).filter(
        (r) => r.network_code === 'U60865',
      );
      // The last complete week: the export also holds the rota published for the weeks ahead.
      const weekStart = lastCompleteWeekStart(new Date());
      const last = weeks.find((r) => r.week_start === weekStart);
      expect(weeks.at(-1)?.week_start).toBe(addDays(weekStart, 7 * AHEAD_WEEKS));
      const rows = [...latest.values()].filter(
        (r) => (r.date as string) >= weekStart && (r.date as string) < addDays(weekStart, 7),
      );
      const filled = rows.filter((r) => r.status === 'filled').length;
      const demand = rows.filter((r) => r.status === 'filled' || r.status === 'unfilled').length;
      expect(demand).toBeGreaterThan(100);
      expect(last).toMatchObject({ filled_shifts: filled, demand_shifts: demand });
      expect(last?.fill_rate_shifts).toBeCloseTo(filled / demand, 12);
    } finally {
      await engine.close();
    }
  });

  it('builds the same site from what the site reads (SITE_READ) as from every metric table and column', async () => {
    const curated = new LocalFolderStore(path.join(dir, 'data', 'curated'));
    const engine = await DuckDbEngine.open();
    let every: MetricTables;
    try {
      every = await readMetrics(engine, curated);
      const read = await readMetrics(engine, curated, SITE_READ);
      // Fewer tables and columns are read...
      expect(Object.keys(read).length).toBeLessThan(Object.keys(every).length);
      expect(read.open_shifts?.numCols).toBeLessThan(every.open_shifts?.numCols ?? 0);
    } finally {
      await engine.close();
    }
    // ...and the site is the same, file for file: publish from every table, and publish reading
    // the stored tables itself (SITE_READ), at one instant into two site folders.
    const clock = fixedClock(new Date());
    const publishTo = async (site: string, tables?: MetricTables) => {
      const rt = openRuntime(
        loadConfig({}, { dataDir: path.join(dir, 'data'), site }),
        clock,
        () => {},
      );
      await publish(rt, tables);
    };
    await publishTo(path.join(dir, 'site-every'), every);
    await publishTo(path.join(dir, 'site-read'));
    const files = async (root: string) =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
        .sort();
    const names = await files(path.join(dir, 'site-every'));
    expect(names.filter((f) => f.endsWith('.csv')).length).toBeGreaterThan(10);
    expect(await files(path.join(dir, 'site-read'))).toEqual(names);
    for (const name of names) {
      const [a, b] = await Promise.all(
        ['site-every', 'site-read'].map((site) => readFile(path.join(dir, site, name))),
      );
      if (name.endsWith('.arrow')) {
        // apache-arrow numbers dictionaries from a counter per process, so two builds' bytes
        // differ there: compare the columns and rows the files hold.
        const [x, y] = [a, b].map((bytes) => tableFromIPC(bytes as Buffer));
        expect(y?.schema.fields.map(String), name).toEqual(x?.schema.fields.map(String));
        expect(
          y?.toArray().map((r) => r.toJSON()),
          name,
        ).toEqual(x?.toArray().map((r) => r.toJSON()));
      } else if (name.endsWith('.html')) {
        // Vega numbers an SVG's gradients from a counter per process: number them per page.
        expect(ownIds(String(b)), name).toBe(ownIds(String(a)));
      } else expect(b?.equals(a as Buffer), name).toBe(true);
    }
  });

  it('shows the coordinator the open shifts of the published rota ahead, and reports complete weeks only', async () => {
    const page = await readFile(path.join(dir, 'site', 'networks', 'U60865', 'index.html'), 'utf8');
    const open = page.slice(
      page.indexOf('id="open-shifts-title"'),
      page.indexOf('id="unfilled-last-week-title"'),
    );
    expect(open.match(/<tr class="nhsuk-table__row"><td/g)?.length ?? 0).toBeGreaterThan(5);
    const lastWeek = lastCompleteWeekStart(new Date());
    expect(page).toContain(
      `In the week of ${formatDate(lastWeek)}, Tower Hamlets Network 7 PCN filled`,
    );
    expect(existsSync(path.join(dir, 'site', 'reports', isoWeekLabel(lastWeek), 'U60865'))).toBe(
      true,
    );
  });

  it('conserves every generated row: rows in = accepted + rejected', async () => {
    const manifests = await readManifests(new LocalFolderStore(path.join(dir, 'data', 'curated')));
    let generated = 0;
    for (const network of ['U50771', 'U54453', 'U87199', 'U08803', 'U60865', 'U09193']) {
      for (const kind of ['shifts', 'availability']) {
        const folder = path.join(dir, 'data', 'raw', 'generic', network, kind);
        for (const name of await readdir(folder))
          generated += parseCsvRecords(await readFile(path.join(folder, name), 'utf8')).length;
      }
    }
    const rowsIn = manifests.reduce((s, m) => s + m.rowsIn, 0);
    expect(rowsIn).toBe(generated);
    expect(manifests.reduce((s, m) => s + m.accepted + m.rejected, 0)).toBe(rowsIn);
  });
});
