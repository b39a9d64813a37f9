/**
 * What every site build copies or fills in: the page template, styles and browser script from
 * dashboards/, the Vega-Lite specs, and the vega, vega-lite and vega-embed browser builds from
 * node_modules (vendored: the site never loads anything from elsewhere).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../config.js';

export interface SiteAssets {
  pageTemplate: string;
  specs: Record<string, Record<string, unknown>>;
  /** Files copied to `assets/` as they are. */
  static: Record<string, string>;
}

const VENDORED: [file: string, pkg: string, inPackage: string][] = [
  ['vega.min.js', 'vega', 'build/vega.min.js'],
  ['vega-lite.min.js', 'vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed.min.js', 'vega-embed', 'build/vega-embed.min.js'],
];

/** The folder of an installed package, found as Node would (these packages' exports hide it). */
export function packageDir(name: string, from = packageRoot): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the installed package ${name} (run npm ci)`);
    dir = parent;
  }
}

export async function loadSiteAssets(
  dashboardsDir = path.join(packageRoot, 'dashboards'),
): Promise<SiteAssets> {
  const names = await readdir(dashboardsDir);
  const specs: SiteAssets['specs'] = {};
  for (const name of names.filter((n) => n.endsWith('.vl.json')).sort()) {
    specs[name.replace(/\.vl\.json$/, '')] = JSON.parse(
      await readFile(path.join(dashboardsDir, name), 'utf8'),
    );
  }
  const statics: Record<string, string> = {
    'site.css': await readFile(path.join(dashboardsDir, 'site.css'), 'utf8'),
    'site.js': await readFile(path.join(dashboardsDir, 'site.js'), 'utf8'),
  };
  for (const [file, pkg, inPackage] of VENDORED) {
    statics[file] = await readFile(path.join(packageDir(pkg), inPackage), 'utf8');
  }
  return {
    pageTemplate: await readFile(path.join(dashboardsDir, 'page.html'), 'utf8'),
    specs,
    static: statics,
  };
}
