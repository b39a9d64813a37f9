/**
 * Build the static site from metric rows: pure (inputs in, files out), so it is tested without
 * any store. `publishSite` writes the files to the site store.
 */
import type { Reference } from '../reference/organisations.js';
import type { ObjectStore } from '../store/object-store.js';
import { escapeHtml, fillTemplate } from './html.js';
import {
  type NetworkDataQuality,
  type NetworkWeekRow,
  networkPage,
  overviewPage,
  type PageContent,
} from './pages.js';
import type { SiteAssets } from './site-assets.js';

export interface SiteFile {
  path: string;
  body: string;
  contentType: string;
}

export interface SiteInput {
  networkWeek: NetworkWeekRow[];
  reference: Reference;
  quality: Map<string, NetworkDataQuality>;
  assets: SiteAssets;
  generatedAt: Date;
  /** Where the data came from, for the footer (e.g. "demo data"). */
  sourceLabel: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

function contentType(file: string): string {
  return CONTENT_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
}

export function buildSite(input: SiteInput): SiteFile[] {
  const { networkWeek, reference, quality, assets, generatedAt, sourceLabel } = input;
  const byNetwork = new Map<string, NetworkWeekRow[]>();
  for (const row of [...networkWeek].sort((a, b) => a.week_start.localeCompare(b.week_start))) {
    const list = byNetwork.get(row.network_code) ?? [];
    list.push(row);
    byNetwork.set(row.network_code, list);
  }
  const footer = `Generated ${escapeHtml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from ${escapeHtml(
    sourceLabel,
  )}. Organisation codes and names: NHS Digital, Open Government Licence v3.0. Clinicians are pseudonymised.`;
  const render = (page: PageContent, root: string) =>
    fillTemplate(assets.pageTemplate, { ...page, title: escapeHtml(page.title), root, footer });

  const files: SiteFile[] = [
    {
      path: 'index.html',
      body: render(overviewPage({ byNetwork, reference, specs: assets.specs }), ''),
      contentType: CONTENT_TYPES['.html'] as string,
    },
  ];
  for (const [code, weeks] of byNetwork) {
    const page = networkPage({
      code,
      weeks,
      reference,
      quality: quality.get(code),
      specs: assets.specs,
    });
    files.push({
      path: `networks/${code}/index.html`,
      body: render(page, '../../'),
      contentType: CONTENT_TYPES['.html'] as string,
    });
  }
  for (const [name, body] of Object.entries(assets.static)) {
    files.push({ path: `assets/${name}`, body, contentType: contentType(name) });
  }
  return files;
}

/** Replace the site's own areas in the store with a fresh build. */
export async function publishSite(site: ObjectStore, files: SiteFile[]): Promise<void> {
  await site.deletePrefix('networks/');
  await site.deletePrefix('assets/');
  for (const file of files) await site.put(file.path, file.body, file.contentType);
}
