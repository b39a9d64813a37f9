/**
 * Build the static site from metric rows: pure (inputs in, files out), so it is tested without
 * any store. The layout, which the access rules (issue 8) key on:
 *
 *   index.html                              every ICB and its networks
 *   icb/<ICB code>/index.html (+ data/)     commissioner overview of one ICB
 *   networks/<network code>/index.html (+ data/)  a network's dashboard
 *   reports/<ISO week>/<network code>/index.html  the weekly report, archived (never rebuilt)
 *   assets/                                 styles, scripts and vendored libraries
 *
 * `publishVersion` (site-versions.ts) writes them as a new version and switches to it, carrying
 * earlier weeks' reports over.
 */

import { isoWeekLabel, isoWeekMonday } from '../calendar.js';
import { RotascopeError } from '../errors.js';
import type { Reference } from '../reference/organisations.js';
import type { ObjectStore } from '../store/object-store.js';
import type { Row } from './chart.js';
import type { PageContent } from './components.js';
import type { NetworkDataQuality } from './data-quality.js';
import { arrowIpc, datasetCsv, datasetScript, publishedRows } from './datasets.js';
import { formatInstant } from './format.js';
import { escapeHtml, fillTemplate } from './html.js';
import { icbPage } from './icb-page.js';
import { indexPage } from './index-page.js';
import { networkPage } from './network-page.js';
import { reportFingerprint, reportInputsKey } from './report-inputs.js';
import { reportPage } from './report-page.js';
import { SIGN_OUT_PATH } from './site-access.js';
import type { SiteAssets } from './site-assets.js';
import {
  groupByNetwork,
  groupIcbWeeks,
  type NetworkMetrics,
  reportWeeksByNetwork,
  type SiteMetrics,
} from './site-data.js';

export interface SiteFile {
  path: string;
  body: string | Uint8Array;
  contentType: string;
}

export interface SiteInput {
  metrics: SiteMetrics;
  reference: Reference;
  quality: Map<string, NetworkDataQuality>;
  assets: SiteAssets;
  generatedAt: Date;
  /** Where the data came from, for the footer (e.g. "demo data"). */
  sourceLabel: string;
  /**
   * The week (a Monday) of each network's weekly report (`reportWeeksByNetwork`); a network not in
   * the map gets none. Default: each network's latest week in the data.
   */
  reportWeeks?: ReadonlyMap<string, string>;
  /** ISO weeks already archived in the site, by network (linked from the network pages). */
  archivedReports?: Map<string, string[]>;
  /**
   * The fingerprints of the archived reports as published (report-inputs.ts): an archived report
   * whose week's figures now differ, or with none recorded, is rebuilt. `current` receives the
   * fingerprint of every report the built site holds, to record once it is live. Without this,
   * archived reports are carried over as they are.
   */
  reportInputs?: { previous: ReadonlyMap<string, string>; current: Map<string, string> };
  /**
   * `open` (default; a local folder): anyone who can open the files sees everything, and every
   * page says so. `signed-in` (served behind the edge authoriser, src/access/): the index labels
   * each entry with the grants that open it and leaves out ICB-level figures.
   */
  access?: SiteAccessMode;
  onProgress?: (message: string) => void;
}

export type SiteAccessMode = 'open' | 'signed-in';

/** Said on every page of an open (local) site. */
export const OPEN_SITE_NOTICE =
  'Local mode: open to anyone who can open these files (single user). Sign-in and per-network access apply only when the site is served through the AWS stack.';

/** In the footer of every page behind sign-in (the edge clears the session there). */
export const SIGN_OUT_LINK = `<a href="${SIGN_OUT_PATH}">Sign out</a>`;

/**
 * A network or ICB code is a folder name in the site (`networks/<code>/`, `icb/<code>/`,
 * `reports/<week>/<code>/`): ODS codes are letters and digits, so anything else (`..`, `a/b`,
 * markup) is refused before a site is built, naming the exports it came from.
 */
export const SITE_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export class UnsafeSiteCodeError extends RotascopeError {
  override name = 'UnsafeSiteCodeError';
}

/**
 * Every `network_code` and `icb_code` in the metric rows must be a safe folder name. `sourcesOf`
 * names the exports a network code came from (the ingest manifests' lineage).
 */
export function assertSafeSiteCodes(
  metrics: SiteMetrics,
  sourcesOf: (networkCode: string) => string[],
): void {
  const bad = new Map<string, 'network' | 'ICB'>();
  for (const rows of Object.values(metrics) as Row[][]) {
    for (const row of rows) {
      const network = row.network_code;
      if (typeof network === 'string' && !SITE_CODE.test(network)) bad.set(network, 'network');
      const icb = row.icb_code;
      if (typeof icb === 'string' && !SITE_CODE.test(icb) && !bad.has(icb)) bad.set(icb, 'ICB');
    }
  }
  if (bad.size === 0) return;
  const [code, kind] = [...bad][0] as [string, 'network' | 'ICB'];
  const networks =
    kind === 'network'
      ? [code]
      : metrics.networkWeek.filter((r) => r.icb_code === code).map((r) => r.network_code);
  const sources = [...new Set(networks.flatMap(sourcesOf))].sort();
  throw new UnsafeSiteCodeError(
    `Refusing to publish: ${kind} code ${JSON.stringify(code)} cannot be a folder of the site ` +
      `(codes are letters and digits, like U60865)${
        sources.length > 0 ? `; it came from ${sources.join(', ')}` : ''
      }${bad.size > 1 ? ` (and ${bad.size - 1} more unsafe code(s))` : ''}. Nothing was written.`,
  );
}

/** ICB code used in paths for a network whose ICB is not known. */
export const UNKNOWN_ICB = 'UNKNOWN';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.arrow': 'application/vnd.apache.arrow.stream',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
}

function file(path: string, body: string | Uint8Array): SiteFile {
  return { path, body, contentType: contentType(path) };
}

/** Theme each spec once (dashboards/theme.json as `config`), so compiled charts can be cached. */
function themedSpecs(assets: SiteAssets): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(assets.specs).map(([name, spec]) => [name, { ...spec, config: assets.theme }]),
  );
}

/**
 * The scripts (files in `assets/`) a page loads, in order. A page that draws charts in the browser
 * (an element with `data-chart`, from chart.ts) loads vega and vega-embed (its specs are compiled
 * to Vega at build time, so no vega-lite; its data is JSON, so no Arrow decoder); every page loads
 * the site script (sortable tables, hiding what a signed-in viewer cannot open). The index and the
 * weekly reports draw nothing in the browser, so they load only the site script. A page may list
 * its own (`PageContent.scripts`).
 */
export const CHART_SCRIPTS = ['vega.min.js', 'vega-embed.min.js'] as const;
export const SITE_SCRIPT = 'site.js';

export function pageScripts(page: PageContent): string[] {
  return page.scripts ?? [...(page.body.includes('data-chart=') ? CHART_SCRIPTS : []), SITE_SCRIPT];
}

/**
 * Breadcrumbs given as links joined by ` › ` (the pages' form), as the NHS.UK breadcrumb
 * component: a list of links, the current page last (marked aria-current), and on small screens
 * NHS.UK's back link to the level above.
 */
export function nhsukBreadcrumbs(trail: string): string {
  const parts = trail
    .split(' › ')
    .map((p) => p.trim())
    .filter(Boolean);
  const items = parts.map((part) => {
    const link = /^<a href="([^"]*)">(.*)<\/a>$/s.exec(part);
    return link
      ? `<li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="${link[1]}">${link[2]}</a></li>`
      : `<li class="nhsuk-breadcrumb__list-item" aria-current="page">${part}</li>`;
  });
  const up = [...parts]
    .reverse()
    .map((p) => /^<a href="([^"]*)">(.*)<\/a>$/s.exec(p))
    .find(Boolean);
  const back = up
    ? `\n<a class="nhsuk-back-link" href="${up[1]}"><span class="nhsuk-u-visually-hidden">Back to </span>${up[2]}</a>`
    : '';
  return `<div class="nhsuk-width-container"><nav class="nhsuk-breadcrumb" aria-label="Breadcrumb"><ol class="nhsuk-breadcrumb__list">${items.join('')}</ol>${back}</nav></div>`;
}

/** Text as a CSS string: every character but letters, digits and spaces as a CSS escape. */
export function cssString(text: string): string {
  return `"${[...text].map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16)} `)).join('')}"`;
}

/**
 * What prints in the margins of every page (CSS @page margin boxes, which Chromium draws from
 * version 131): the page's header (network and week on a report) top left, the generated and
 * data-as-of dates bottom left and "Page n of m" bottom right. Browsers that do not draw margin
 * boxes print the page without them; the report's own first lines still name network and week.
 */
export function printStyle(header: string, footer: string): string {
  const box = (where: string, content: string) =>
    `@${where}{content:${content};font:9pt Arial,Helvetica,sans-serif;color:#4c6272}`;
  return `<style>@page{${box('top-left', cssString(header))}${box('bottom-left', cssString(footer))}${box('bottom-right', '"Page " counter(page) " of " counter(pages)')}}</style>`;
}

/** A page and the data files its charts need, under `dir` (with a trailing slash, or ''). */
function pageFiles(
  dir: string,
  page: PageContent,
  render: (page: PageContent, root: string, data: string, scripts: string[]) => string,
): SiteFile[] {
  const root = '../'.repeat(dir.split('/').length - 1);
  const scripts = pageScripts(page);
  const charts = scripts.includes(CHART_SCRIPTS[0]);
  const files: SiteFile[] = [];
  const data: string[] = [];
  for (const [name, computed] of Object.entries(page.datasets) as [string, Row[]][]) {
    if (computed.length === 0) continue;
    const rows = publishedRows(computed);
    if (charts) data.push(datasetScript(name, rows));
    files.push(
      file(`${dir}data/${name}.arrow`, arrowIpc(rows)),
      file(`${dir}data/${name}.csv`, datasetCsv(rows)),
    );
  }
  return [file(`${dir}index.html`, render(page, root, data.join('\n'), scripts)), ...files];
}

export async function buildSite(input: SiteInput): Promise<SiteFile[]> {
  const { metrics, reference, quality, assets, generatedAt, sourceLabel } = input;
  const access = input.access ?? 'open';
  const progress = input.onProgress ?? (() => {});
  const specs = themedSpecs(assets);
  const networks = groupByNetwork(metrics);
  const icbWeeks = groupIcbWeeks(metrics.icbWeek);
  const icbOf = (code: string, m: NetworkMetrics) =>
    reference.networks.get(code)?.icbCode ?? m.networkWeek.at(-1)?.icb_code ?? UNKNOWN_ICB;
  const byIcb = new Map<string, string[]>();
  for (const [code, m] of networks) {
    const icb = icbOf(code, m);
    byIcb.set(icb, [...(byIcb.get(icb) ?? []), code]);
  }
  const reportWeeks =
    input.reportWeeks ?? reportWeeksByNetwork(metrics.networkWeek, { lastComplete: '9999-12-27' });

  const footer = `Generated ${escapeHtml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from ${escapeHtml(
    sourceLabel,
  )}. Organisation codes and names: NHS Digital, Open Government Licence v3.0. Clinicians are pseudonymised.${
    access === 'open' ? ` ${escapeHtml(OPEN_SITE_NOTICE)}` : ` ${SIGN_OUT_LINK}`
  }`;
  const generated = formatInstant(generatedAt.toISOString());
  const render = (page: PageContent, root: string, data: string, scripts: string[]) =>
    fillTemplate(assets.pageTemplate, {
      title: escapeHtml(page.title),
      breadcrumbs: page.breadcrumbs ? nhsukBreadcrumbs(page.breadcrumbs) : '',
      body: page.body,
      root,
      footer,
      data,
      scripts: scripts
        .map((s) => `<script src="${root}assets/${escapeHtml(s)}" defer></script>`)
        .join('\n'),
      printstyle: printStyle(
        page.printHeader ?? page.title,
        `Generated ${generated}${page.dataAsOf ? ` · data as of ${page.dataAsOf}` : ''}`,
      ),
    });

  const networkIcb = (code: string) => {
    const m = networks.get(code);
    const icb = m ? icbOf(code, m) : reference.networks.get(code)?.icbCode;
    return icb === UNKNOWN_ICB || icb === null ? undefined : icb;
  };
  const files: SiteFile[] = pageFiles(
    '',
    indexPage({
      icbs: byIcb,
      icbWeeks,
      reference,
      access,
      icbOf: networkIcb,
      networks,
      quality,
      now: generatedAt,
    }),
    render,
  );
  for (const [icb, codes] of byIcb) {
    const page = icbPage({
      icbCode: icb,
      networks: new Map(codes.map((c) => [c, networks.get(c) as NetworkMetrics])),
      icbWeeks: icbWeeks.get(icb) ?? [],
      reference,
      quality,
      now: generatedAt,
    });
    files.push(...pageFiles(`icb/${icb}/`, page, render));
  }
  progress(`site: index and ${byIcb.size} ICB pages`);

  let done = 0;
  for (const [code, m] of networks) {
    const archived = input.archivedReports?.get(code) ?? [];
    const weekStart = reportWeeks.get(code);
    const reportIsoWeeks = weekStart ? [{ weekStart, isoWeek: isoWeekLabel(weekStart) }] : [];
    if (input.reportInputs) {
      const { previous, current } = input.reportInputs;
      const latest = reportIsoWeeks.map((r) => r.isoWeek);
      for (const isoWeek of new Set([...latest, ...archived])) {
        const start = isoWeekMonday(isoWeek);
        const key = reportInputsKey(code, isoWeek);
        const fingerprint = reportFingerprint(m, reference, start);
        current.set(key, fingerprint);
        // An archived report whose figures changed since it was published (or are not known) is
        // rebuilt, not kept.
        if (!latest.includes(isoWeek) && previous.get(key) !== fingerprint)
          reportIsoWeeks.push({ weekStart: start, isoWeek });
      }
    }
    const weeks = [...new Set([...archived, ...reportIsoWeeks.map((r) => r.isoWeek)])]
      .sort()
      .reverse();
    const page = networkPage({
      code,
      metrics: m,
      reference,
      quality: quality.get(code),
      specs,
      reportWeeks: weeks,
      now: generatedAt,
      icbWeeks: icbWeeks.get(icbOf(code, m)) ?? [],
    });
    files.push(...pageFiles(`networks/${code}/`, page, render));
    for (const { weekStart, isoWeek } of reportIsoWeeks) {
      const report = await reportPage({
        code,
        isoWeek,
        weekStart,
        metrics: m,
        reference,
        quality: quality.get(code),
        specs,
        now: generatedAt,
      });
      files.push(...pageFiles(`reports/${isoWeek}/${code}/`, report, render));
    }
    done += 1;
    if (done % 100 === 0 || done === networks.size)
      progress(`site: ${done} of ${networks.size} networks (page and weekly report)`);
  }
  for (const [name, body] of Object.entries(assets.static))
    files.push(file(`assets/${name}`, body));
  return files;
}

/**
 * ISO weeks of the reports in the live site (`liveSite` in site-versions.ts: a version's folder or
 * the top of the store), by network.
 */
export async function archivedReports(
  live: { store: ObjectStore; prefix: string } | undefined,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!live) return out;
  for (const { key } of await live.store.list(`${live.prefix}reports/`)) {
    const match = /^reports\/(\d{4}-W\d{2})\/([^/]+)\/index\.html$/.exec(
      key.slice(live.prefix.length),
    );
    if (!match) continue;
    const [, week, code] = match as unknown as [string, string, string];
    out.set(code, [...(out.get(code) ?? []), week]);
  }
  return out;
}
