/**
 * The site's Content-Security-Policy. Everything the pages use is on the site itself: scripts only
 * from `assets/` ('self'; the `<script type="application/json">` blocks of chart specs and data
 * are never executed, so they need no 'unsafe-inline'), styles and images from the site, plus `data:` images and fonts
 * (nhsuk-frontend's inlined icons, the empty favicon).
 *
 * style-src allows 'unsafe-inline' (and only style-src): vega-embed and Vega's SVG renderer set
 * inline `style` attributes on the charts they draw. script-src has neither 'unsafe-inline' nor
 * 'unsafe-eval': Vega compiles expressions with `new Function` unless the chart is embedded with
 * `ast: true` (Vega's CSP-safe expression interpreter, bundled in vega-embed), so
 * dashboards/site.js must pass `ast: true` to vegaEmbed (docs/deploying.md). CloudFront sends it
 * (infra/site-distribution.ts); test/browser/site.test.ts serves the demo site with it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
