/**
 * The layout of the raw area (S3 raw bucket or local folder), the same everywhere:
 *
 *   <source_system>/<network_code>/<kind>/<file name>
 *
 * e.g. `generic/U60865/shifts/2026-11-16.csv`. `kind` is `shifts` or `availability`. The
 * network in the key tells operators where a file came from; the rows still carry their own.
 */
import type { ExportKind } from '../curated/ingest-manifest.js';
import { printable } from '../errors.js';

export interface RawKey {
  sourceSystem: string;
  networkCode: string;
  kind: ExportKind;
  fileName: string;
}

const RAW_KEY = /^([a-z][a-z0-9_-]*)\/([A-Z0-9]+)\/(shifts|availability)\/([^/]+)$/;

export function parseRawKey(key: string): RawKey | undefined {
  const m = RAW_KEY.exec(key);
  if (!m) return undefined;
  return {
    sourceSystem: m[1] as string,
    networkCode: m[2] as string,
    kind: m[3] as ExportKind,
    fileName: m[4] as string,
  };
}

const KIND_FOLDERS = ['shifts', 'availability'] as const;
const LAYOUT = '<source_system>/<network_code>/<shifts|availability>/<file>';

/**
 * Objects that are plainly not exports and are passed over without a word: folder markers (a key
 * ending in `/`, as the S3 console's "Create folder" writes) and files whose name starts with a
 * dot (`.DS_Store`, `._x.csv` from macOS, `.gitkeep`), plus Windows' `Thumbs.db` and
 * `desktop.ini`. Every other key that does not parse is listed as ignored, with why.
 */
export function isNotAnExport(key: string): boolean {
  if (key === '' || key.endsWith('/')) return true;
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/**
 * Why a key is not where ingest expects an export (one sentence naming what was expected, safe
 * to print: parts of the key in it are escaped), or undefined when it parses. Case matters:
 * `Generic/` or `u60865/` are wrong, not guessed at.
 */
export function whyNotRawKey(key: string): string | undefined {
  if (parseRawKey(key)) return undefined;
  return printable(explain(key));
}

function explain(key: string): string {
  const parts = key.split('/');
  const [system = '', network = '', kind = ''] = parts;
  if (parts.length < 4) {
    const where =
      parts.length === 1
        ? 'the file is at the top of the raw area'
        : parts.length === 2
          ? `the file is straight under ${system}/`
          : `the file is straight under ${system}/${network}/`;
    return `${where}; exports go in ${LAYOUT}`;
  }
  if (!/^[a-z][a-z0-9_-]*$/.test(system)) {
    const lower = system.toLowerCase();
    return /^[a-z][a-z0-9_-]*$/.test(lower)
      ? `source system folder must be lower case, like ${lower} (the mapping's name), not ${system}`
      : 'source system folder must be the name of a mapping: lower-case letters, digits, _ and -';
  }
  if (!/^[A-Z0-9]+$/.test(network)) {
    return `network folder must be a PCN code like U60865${/^[a-z0-9]+$/i.test(network) ? ` (upper case: ${network.toUpperCase()})` : ''}`;
  }
  if (!(KIND_FOLDERS as readonly string[]).includes(kind)) {
    const guess = KIND_FOLDERS.find((k) => k.startsWith(kind.toLowerCase().slice(0, 4)));
    return `kind folder must be shifts or availability${guess && kind.length > 0 ? ` (${guess}?)` : ''}, not "${kind}"`;
  }
  return `exports go straight in ${system}/${network}/${kind}/, not in a sub-folder (${parts.slice(3, -1).join('/')}/)`;
}

export function rawKey(parts: RawKey): string {
  return `${parts.sourceSystem}/${parts.networkCode}/${parts.kind}/${parts.fileName}`;
}
