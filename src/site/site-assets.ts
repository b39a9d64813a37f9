/**
 * What every site build copies or fills in: the page template, styles and browser script from
 * dashboards/, the Vega-Lite specs and theme, and from node_modules the NHS.UK frontend styles
 * (with the icons they use) and the vega and vega-embed browser builds (pages with charts load
 * these two; specs are compiled to Vega at build time and data is JSON, so the browser needs
 * neither vega-lite nor Apache Arrow).
 * Everything is vendored: the site never loads anything from elsewhere and works from file://.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

export interface SiteAssets {
  pageTemplate: string;
  specs: Record<string, Record<string, unknown>>;
  /** The Vega-Lite `config` from dashboards/theme.json (palette, fonts), bound at publish time. */
  theme: Record<string, unknown>;
  /** Files copied to `assets/<key>` as they are (a key may hold a folder: `images/x.svg`). */
  static: Record<string, string>;
}

const VENDORED: [file: string, pkg: string, inPackage: string][] = [
  ['vega.min.js', 'vega', 'build/vega.min.js'],
  // UMD build: sets window.vegaEmbed; given Vega specs (mode 'vega') it needs no window.vegaLite.
  ['vega-embed.min.js', 'vega-embed', 'build/vega-embed.min.js'],
];

const NHSUK_CSS = 'dist/nhsuk/nhsuk-frontend.min.css';
const NHSUK_IMAGES = 'dist/nhsuk/assets/images';

/** The files (or folders) of installed packages a site build reads: a Lambda artefact ships these. */
export const VENDORED_SOURCES: { pkg: string; path: string }[] = [
  ...VENDORED.map(([, pkg, inPackage]) => ({ pkg, path: inPackage })),
  { pkg: 'nhsuk-frontend', path: NHSUK_CSS },
  { pkg: 'nhsuk-frontend', path: NHSUK_IMAGES },
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

/**
 * Make nhsuk-frontend's stylesheet self-contained, to sit at `assets/nhsuk-frontend.min.css`.
 * - Drops every `@font-face` rule: they load Frutiger from https://assets.nhs.uk. The NHS font
 *   stack (`Frutiger W01, arial, sans-serif`) then falls back to Arial, which is fine.
 * - Rewrites `url(/assets/images/<name>.svg)` to `url(images/<name>.svg)` (relative to the CSS
 *   file) and returns the SVG file names it referenced, for the caller to copy beside it.
 * - Drops the source-map comment (the map is not vendored).
 * Throws if any `url(...)` is left that is not `images/...` or `data:`, or if there is an
 * `@import`, so a future version that adds an outside request fails the build instead.
 */
export function vendorNhsukCss(css: string): { css: string; images: string[] } {
  const images = new Set<string>();
  const out = css
    .replace(/@font-face\s*\{[^}]*\}/g, '')
    .replace(/\/\*#\s*sourceMappingURL=[^*]*\*\//g, '')
    .replace(/url\(\s*(['"]?)\/assets\/images\/([\w.-]+\.svg)\1\s*\)/g, (_, _q, file: string) => {
      images.add(file);
      return `url(images/${file})`;
    });
  const outside = [...out.matchAll(/url\(\s*(['"]?)([^'")\s]*)/g)]
    .map((m) => m[2] ?? '')
    .filter((url) => !url.startsWith('images/') && !url.startsWith('data:'));
  if (outside.length > 0) {
    throw new Error(
      `nhsuk-frontend CSS refers to ${[...new Set(outside)].join(', ')}: only its own SVG images ` +
        '(/assets/images/*.svg) and data: URLs can be vendored; update vendorNhsukCss',
    );
  }
  if (/@import\b/.test(out)) {
    throw new Error('nhsuk-frontend CSS has an @import, which the site cannot vendor');
  }
  return { css: out, images: [...images].sort() };
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
  const theme: unknown = JSON.parse(await readFile(path.join(dashboardsDir, 'theme.json'), 'utf8'));
  if (typeof theme !== 'object' || theme === null || Array.isArray(theme)) {
    throw new Error(
      `${path.join(dashboardsDir, 'theme.json')} must hold a Vega-Lite config object`,
    );
  }
  const statics: Record<string, string> = {
    'site.css': await readFile(path.join(dashboardsDir, 'site.css'), 'utf8'),
    'site.js': await readFile(path.join(dashboardsDir, 'site.js'), 'utf8'),
    'icb-filter.js': await readFile(path.join(dashboardsDir, 'icb-filter.js'), 'utf8'),
  };
  for (const [file, pkg, inPackage] of VENDORED) {
    statics[file] = await readFile(path.join(packageDir(pkg), inPackage), 'utf8');
  }
  const nhsuk = packageDir('nhsuk-frontend');
  const { css, images } = vendorNhsukCss(await readFile(path.join(nhsuk, NHSUK_CSS), 'utf8'));
  statics['nhsuk-frontend.min.css'] = css;
  for (const image of images) {
    statics[`images/${image}`] = await readFile(path.join(nhsuk, NHSUK_IMAGES, image), 'utf8');
  }
  return {
    pageTemplate: await readFile(path.join(dashboardsDir, 'page.html'), 'utf8'),
    specs,
    theme: theme as Record<string, unknown>,
    static: statics,
  };
}
