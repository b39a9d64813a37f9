/**
 * The weekly announcement of each network's report: a subject, the summary sentences and the
 * report's address, one message per network, for the publish Lambda to post to SNS (with the
 * network and ICB codes as message attributes, so an email subscription can filter to its own
 * network). Pure.
 */
import { addDays, isoWeekLabel } from '../calendar.js';
import type { Reference } from '../reference/organisations.js';
import { formatDate } from './format.js';
import { networkName } from './network-page.js';
import type { NetworkWeekRow } from './site-data.js';
import { summarySentences } from './summary.js';

export interface Announcement {
  networkCode: string;
  icbCode: string | null;
  /** Plain ASCII, under 100 characters (SNS's limit for email subjects). */
  subject: string;
  message: string;
}

/** The report's path in the site, the same as build-site.ts writes. */
export function reportPath(isoWeek: string, networkCode: string): string {
  return `reports/${isoWeek}/${networkCode}/index.html`;
}

function asciiSubject(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
  return ascii.length < 100 ? ascii : `${ascii.slice(0, 96).trimEnd()}...`;
}

export function weeklyAnnouncements(options: {
  networkWeek: NetworkWeekRow[];
  reference: Reference;
  /**
   * Monday of the report week: one for every network, or each network's own (a network not in
   * the map gets no message: it got no report).
   */
  weekStart: string | ReadonlyMap<string, string>;
  /** The site's address without a trailing slash; without one the message gives the path. */
  siteUrl: string | undefined;
}): Announcement[] {
  const { networkWeek, reference, siteUrl } = options;
  const weekOf = (code: string) =>
    typeof options.weekStart === 'string' ? options.weekStart : options.weekStart.get(code);
  const codes = [...new Set(networkWeek.map((r) => r.network_code))]
    .filter((code) => weekOf(code) !== undefined)
    .sort();
  return codes.map((code) => {
    const weekStart = weekOf(code) as string;
    const isoWeek = isoWeekLabel(weekStart);
    const previousWeek = addDays(weekStart, -7);
    const rows = networkWeek.filter((r) => r.network_code === code);
    const current = rows.find((r) => r.week_start === weekStart);
    const previous = rows.find((r) => r.week_start === previousWeek);
    const name = networkName(reference, code);
    const sentences = current
      ? summarySentences(current, previous)
      : ['No shifts were reported for this week: no export covered it.'];
    const link = siteUrl ? `${siteUrl}/${reportPath(isoWeek, code)}` : reportPath(isoWeek, code);
    return {
      networkCode: code,
      icbCode: reference.networks.get(code)?.icbCode ?? rows.at(-1)?.icb_code ?? null,
      subject: asciiSubject(`Rotascope weekly report ${isoWeek}: ${name}`),
      message: [
        `${name} (${code}), week ${isoWeek}: ${formatDate(weekStart)} to ${formatDate(addDays(weekStart, 6))}.`,
        '',
        ...sentences,
        '',
        `Report: ${link}`,
      ].join('\n'),
    };
  });
}
