/**
 * Site assets: vendorNhsukCss on hand-written CSS (font faces dropped, image URLs made relative,
 * outside URLs refused), and the assets loadSiteAssets really returns are self-contained: every
 * vendored file is present, nothing points outside the site, and the chart theme has a palette.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSiteAssets, type SiteAssets, vendorNhsukCss } from '../../../src/site/site-assets.js';

describe('vendorNhsukCss', () => {
  it('drops font faces, makes image URLs relative and lists the images', () => {
    // Prepare
    const css =
      '@font-face{font-family:Frutiger W01;src:url(https://assets.nhs.uk/fonts/F.woff2) format("woff2")}' +
      '.a{font-family:Frutiger W01,arial,sans-serif}' +
      '.b{background:url(/assets/images/nhsuk-icon-cross.svg)}' +
      '.c{mask-image:url("/assets/images/nhsuk-icon-arrow-up.svg")}' +
      '.d{background:url(/assets/images/nhsuk-icon-cross.svg) no-repeat}' +
      '.e{background:url("data:image/svg+xml,%3Csvg%3E%3C/svg%3E")}' +
      '\n/*# sourceMappingURL=nhsuk-frontend.min.css.map */';

    // Act
    const out = vendorNhsukCss(css);

    // Assess
    expect(out.css).toBe(
      '.a{font-family:Frutiger W01,arial,sans-serif}' +
        '.b{background:url(images/nhsuk-icon-cross.svg)}' +
        '.c{mask-image:url(images/nhsuk-icon-arrow-up.svg)}' +
        '.d{background:url(images/nhsuk-icon-cross.svg) no-repeat}' +
        '.e{background:url("data:image/svg+xml,%3Csvg%3E%3C/svg%3E")}' +
        '\n',
    );
    expect(out.images).toEqual(['nhsuk-icon-arrow-up.svg', 'nhsuk-icon-cross.svg']);
  });

  it('refuses a URL outside the site, naming it', () => {
    // Prepare
    const css = '.a{background:url(https://example.org/x.png)}.b{color:red}';

    // Act
    const act = () => vendorNhsukCss(css);

    // Assess
    expect(act).toThrow(/https:\/\/example\.org\/x\.png/);
  });

  it('refuses a root-relative URL it does not know how to vendor, and an @import', () => {
    expect(() => vendorNhsukCss('.a{background:url(/assets/images/logo.png)}')).toThrow(
      '/assets/images/logo.png',
    );
    expect(() => vendorNhsukCss('@import "https://example.org/x.css";')).toThrow('@import');
  });
});

describe('loadSiteAssets', () => {
  let assets: SiteAssets;

  beforeAll(async () => {
    assets = await loadSiteAssets();
  });

  it('vendors every browser build and the NHS.UK styles', () => {
    for (const file of ['vega.min.js', 'vega-embed.min.js', 'nhsuk-frontend.min.css']) {
      expect(assets.static[file]?.length, file).toBeGreaterThan(1000);
    }
    // Specs are compiled to Vega and data embedded as JSON at build time: the browser needs
    // neither the Vega-Lite compiler nor an Arrow decoder.
    expect(Object.keys(assets.static)).not.toContain('vega-lite.min.js');
    expect(Object.keys(assets.static)).not.toContain('arrow.min.js');
  });

  it('has no file that points outside the site', () => {
    for (const [name, text] of Object.entries(assets.static)) {
      expect(text, name).not.toContain('url(http');
      expect(text, name).not.toContain('@import');
      expect(text, name).not.toContain('//assets.nhs.uk');
    }
  });

  it('copies every image the NHS.UK styles use', () => {
    // Prepare
    const css = assets.static['nhsuk-frontend.min.css'] ?? '';

    // Act
    const used = [...css.matchAll(/url\((images\/[^)]+)\)/g)].map((m) => m[1] ?? '');

    // Assess
    expect(used.length).toBeGreaterThan(0);
    for (const image of used) {
      expect(assets.static[image], image).toMatch(/^<svg[\s>]/);
    }
  });

  it('has a chart theme with a categorical palette and keeps it out of the specs', () => {
    const category = (assets.theme.range as { category?: unknown } | undefined)?.category;
    expect(Array.isArray(category)).toBe(true);
    expect((category as string[]).length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(assets.specs)).not.toContain('theme');
  });
});
