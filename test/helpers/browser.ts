/**
 * Debian Chromium driven by playwright-core, for the site's browser tests, and a page opener that
 * records what went wrong on the page (console errors, uncaught errors, failed requests) and every
 * URL the page asked for. Only 127.0.0.1 resolves, so no request leaves the machine.
 */
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** What a page did, filled in as it happens (also after `openPage` returns). */
export interface PageLog {
  consoleErrors: string[];
  /** console.warn messages (Vega logs its warnings there, e.g. "Infinite extent for field"). */
  consoleWarnings: string[];
  pageErrors: string[];
  /** Requests that failed outright or got an HTTP status of 400 or more: "<reason> <url>". */
  failedRequests: string[];
  /** Every URL requested, in order. */
  requests: string[];
}

export interface OpenedPage {
  page: Page;
  log: PageLog;
}

/** Open `url` in a fresh context (1280 x 900 unless `options` say otherwise); wait for `load`. */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const log: PageLog = {
    consoleErrors: [],
    consoleWarnings: [],
    pageErrors: [],
    failedRequests: [],
    requests: [],
  };
  page.on('console', (message) => {
    const kind = message.type();
    if (kind !== 'error' && kind !== 'warning') return;
    const { url: from, lineNumber } = message.location();
    const text = `${message.text()}${from ? ` (${from}:${lineNumber})` : ''}`;
    (kind === 'error' ? log.consoleErrors : log.consoleWarnings).push(text);
  });
  page.on('pageerror', (error) => log.pageErrors.push(error.stack ?? String(error)));
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('requestfailed', (request) =>
    log.failedRequests.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400)
      log.failedRequests.push(`HTTP ${response.status()} ${response.url()}`);
  });
  try {
    await page.goto(url, { waitUntil: 'load' });
  } catch (error) {
    await page.close();
    throw error;
  }
  return { page, log };
}
