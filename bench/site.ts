/**
 * `npm run bench:site`: build the whole static site (`buildSite`) from synthetic metrics
 * (bench/site-metrics.ts) for the networks of the real NHS reference (data/reference/: ~1,250
 * networks in 42 ICBs) over 52 weeks, with one week of weekly reports (the latest) for every
 * network, then write it to a temp folder. Times generation, the build and the write separately
 * and prints pages/s, bytes, the largest network page's data (gzip of its index.html, which embeds
 * every chart dataset as base64 Arrow, with its data/*.arrow files), the largest weekly report,
 * whether the targets are met and peak resident memory.
 *
 *   npm run bench:site -- [networks] [weeks]     (default: every network in the reference, 52)
 *
 * Fewer networks are picked evenly from the reference's codes. KB = 1,000 bytes, MB = 10^6.
 * Also the JavaScript each page type loads (the `<script src>` files of its page, uncompressed),
 * the largest page of each type.
 * Targets (issue): build under 90 s on 2 cores; under 300 KB (gzip) per network page; under
 * 100 KB of JavaScript on the index and on a weekly report (issue 19).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isoWeekLabel } from '../src/calendar.js';
import { packageRoot } from '../src/package-root.js';
import { loadReference, type Reference } from '../src/reference/organisations.js';
import { buildSite, type SiteFile } from '../src/site/build-site.js';
import { loadSiteAssets } from '../src/site/site-assets.js';
import { SITE_TABLES, type SiteMetrics } from '../src/site/site-data.js';
import {
  DEFAULT_LAST_WEEK,
  DEFAULT_WEEKS,
  siteMetricsRows,
  syntheticQuality,
  syntheticSiteMetrics,
} from './site-metrics.js';

const GENERATED_AT = new Date('2026-11-23T08:00:00Z');
const SEED = 20261116;
const TARGET_SECONDS = 90;
const TARGET_PAGE_KB = 300;
const TARGET_LIGHT_JS_KB = 100;

const [networksArg, weeksArg] = process.argv.slice(2).map(Number);
const WEEKS = weeksArg ?? DEFAULT_WEEKS;
if (
  (networksArg !== undefined && !(Number.isInteger(networksArg) && networksArg > 0)) ||
  !(Number.isInteger(WEEKS) && WEEKS > 0)
) {
  throw new Error('usage: npm run bench:site -- [networks] [weeks] (whole numbers > 0)');
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const n = (x: number) => x.toLocaleString('en-GB');
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const byteLength = (body: SiteFile['body']) =>
  typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
const gzipBytes = (body: SiteFile['body']) => gzipSync(body).byteLength;

/** The reference with `count` of its networks, picked evenly by code (all when count is more). */
function sampleReference(reference: Reference, count: number | undefined): Reference {
  const codes = [...reference.networks.keys()].sort();
  if (count === undefined || count >= codes.length) return reference;
  const picked = new Set(
    Array.from({ length: count }, (_, i) => codes[Math.floor((i * codes.length) / count)]),
  );
  return {
    ...reference,
    networks: new Map([...reference.networks].filter(([c]) => picked.has(c))),
  };
}

/** Size of every `<prefix><code>/index.html`, gzipped, with the code. */
function pagesBySize(files: SiteFile[], pattern: RegExp): { code: string; gzip: number }[] {
  const out: { code: string; gzip: number }[] = [];
  for (const f of files) {
    const code = pattern.exec(f.path)?.[1];
    if (code) out.push({ code, gzip: gzipBytes(f.body) });
  }
  return out.sort((a, b) => a.gzip - b.gzip);
}

/** Bytes of the scripts (`<script src=".../assets/<file>">`) the page loads, by asset file. */
function pageJsBytes(page: SiteFile, files: Map<string, SiteFile>): number {
  const html = typeof page.body === 'string' ? page.body : new TextDecoder().decode(page.body);
  let total = 0;
  for (const [, asset] of html.matchAll(/<script src="(?:\.\.\/)*assets\/([^"]+)"/g)) {
    const file = files.get(`assets/${asset}`);
    if (!file) throw new Error(`${page.path} loads assets/${asset}, which the build did not write`);
    total += byteLength(file.body);
  }
  return total;
}

async function writeSite(dir: string, files: SiteFile[]): Promise<void> {
  const made = new Set<string>();
  for (const f of files) {
    const target = path.join(dir, f.path);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(target, f.body);
  }
}

const full = await loadReference(path.join(packageRoot, 'data', 'reference'));
const reference = sampleReference(full, networksArg);
const assets = await loadSiteAssets();

let t = performance.now();
const metrics = syntheticSiteMetrics({
  reference,
  weeks: WEEKS,
  lastWeekStart: DEFAULT_LAST_WEEK,
  seed: SEED,
});
const quality = syntheticQuality(metrics);
const generateSeconds = seconds(t);
const icbCount = new Set(metrics.icbWeek.map((r) => r.icb_code)).size;

const loadBefore = load();
const started = performance.now();
let icbSeconds = Number.NaN;
const files = await buildSite({
  metrics,
  reference,
  quality,
  assets,
  generatedAt: GENERATED_AT,
  sourceLabel: 'synthetic benchmark data',
  reportWeeks: new Map(
    [...new Set(metrics.networkWeek.map((r) => r.network_code))].map((code) => [
      code,
      DEFAULT_LAST_WEEK,
    ]),
  ),
  onProgress: (message) => {
    if (message.startsWith('site: index')) icbSeconds = seconds(started);
    console.error(`  [${seconds(started).toFixed(1)} s] ${message}`);
  },
});
const buildSeconds = seconds(started);

const loadAfter = load();

const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-bench-site-'));
let writeSeconds: number;
try {
  t = performance.now();
  await writeSite(dir, files);
  writeSeconds = seconds(t);
} finally {
  await rm(dir, { recursive: true, force: true });
}

const html = files.filter((f) => f.path.endsWith('.html'));
const totalBytes = files.reduce((sum, f) => sum + byteLength(f.body), 0);
const htmlBytes = html.reduce((sum, f) => sum + byteLength(f.body), 0);
const networkPages = pagesBySize(html, /^networks\/([^/]+)\/index\.html$/);
const reportPages = pagesBySize(html, /^reports\/[^/]+\/([^/]+)\/index\.html$/);
const icbPages = pagesBySize(html, /^icb\/([^/]+)\/index\.html$/);
const largest = networkPages.at(-1);
const median = networkPages[Math.floor((networkPages.length - 1) / 2)];
const largestArrow = files
  .filter((f) => largest && f.path.startsWith(`networks/${largest.code}/data/`))
  .filter((f) => f.path.endsWith('.arrow'))
  .reduce((sum, f) => sum + gzipBytes(f.body), 0);
const largestReport = reportPages.at(-1);
const largestIcb = icbPages.at(-1);
const maxRss = process.resourceUsage().maxRSS * 1024;
const byPath = new Map(files.map((f) => [f.path, f]));
const PAGE_TYPES: [string, RegExp][] = [
  ['index', /^index\.html$/],
  ['ICB', /^icb\/[^/]+\/index\.html$/],
  ['network', /^networks\/[^/]+\/index\.html$/],
  ['weekly report', /^reports\/[^/]+\/[^/]+\/index\.html$/],
];
const jsByType = PAGE_TYPES.map(([type, pattern]) => ({
  type,
  bytes: Math.max(
    0,
    ...html.filter((f) => pattern.test(f.path)).map((f) => pageJsBytes(f, byPath)),
  ),
}));
const jsOf = (type: string) => jsByType.find((j) => j.type === type)?.bytes ?? 0;
const lightJs = Math.max(jsOf('index'), jsOf('weekly report'));

const rowsByTable = (Object.keys(SITE_TABLES) as (keyof SiteMetrics)[])
  .map((k) => `${SITE_TABLES[k]} ${n(metrics[k].length)}`)
  .join(', ');
const table: [string, string][] = [
  ['networks', n(reference.networks.size)],
  ['ICBs', n(icbCount)],
  [
    'weeks',
    `${n(WEEKS)} (to ${DEFAULT_LAST_WEEK}; reports for ${isoWeekLabel(DEFAULT_LAST_WEEK)})`,
  ],
  ['rows of input metrics', `${n(siteMetricsRows(metrics))} (${rowsByTable})`],
  ['generate metrics', `${generateSeconds.toFixed(2)} s`],
  ['pages (HTML files) / files', `${n(html.length)} / ${n(files.length)}`],
  [
    'build seconds (buildSite)',
    `${buildSeconds.toFixed(2)} s (index and ICB pages ${icbSeconds.toFixed(2)} s, then networks)`,
  ],
  ['write seconds (temp folder)', `${writeSeconds.toFixed(2)} s`],
  ['pages/s (HTML pages / build s)', (html.length / buildSeconds).toFixed(1)],
  ['total bytes (all files)', mb(totalBytes)],
  ['total HTML bytes', mb(htmlBytes)],
  [
    'largest network page (gzip)',
    largest
      ? `${kb(largest.gzip)} (${largest.code}; its data/*.arrow ${kb(largestArrow)} gzip)`
      : '-',
  ],
  ['median network page (gzip)', median ? kb(median.gzip) : '-'],
  [
    'largest weekly report (gzip)',
    largestReport ? `${kb(largestReport.gzip)} (${largestReport.code})` : '-',
  ],
  ['largest ICB page (gzip)', largestIcb ? `${kb(largestIcb.gzip)} (${largestIcb.code})` : '-'],
  [
    `target under ${TARGET_SECONDS} s build`,
    `${buildSeconds < TARGET_SECONDS ? 'met' : 'NOT met'} (${buildSeconds.toFixed(1)} s on ${os.availableParallelism()} cores)`,
  ],
  [
    `target under ${TARGET_PAGE_KB} KB per network page`,
    largest
      ? `${largest.gzip < TARGET_PAGE_KB * 1000 ? 'met' : 'NOT met'} (largest ${kb(largest.gzip)})`
      : '-',
  ],
  [
    'JavaScript per page (largest of each type)',
    jsByType.map((j) => `${j.type} ${kb(j.bytes)}`).join(', '),
  ],
  [
    `target under ${TARGET_LIGHT_JS_KB} KB JS on index and report`,
    `${lightJs < TARGET_LIGHT_JS_KB * 1000 ? 'met' : 'NOT met'} (${kb(lightJs)})`,
  ],
  ['peak RSS', `${(maxRss / 2 ** 20).toFixed(0)} MiB`],
  ['load average (before / after build)', `${loadBefore} / ${loadAfter}`],
];
const width = Math.max(...table.map(([label]) => label.length));
for (const [label, value] of table) console.log(`${label.padEnd(width)}  ${value}`);
