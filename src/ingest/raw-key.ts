/**
 * The layout of the raw area (S3 raw bucket or local folder), the same everywhere:
 *
 *   <source_system>/<network_code>/<kind>/<file name>
 *
 * e.g. `generic/U60865/shifts/2026-11-16.csv`. `kind` is `shifts` or `availability`. The
 * network in the key tells operators where a file came from; the rows still carry their own.
 */
export type ExportKind = 'shifts' | 'availability';

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

export function rawKey(parts: RawKey): string {
  return `${parts.sourceSystem}/${parts.networkCode}/${parts.kind}/${parts.fileName}`;
}
