/**
 * Per-network data quality from the ingest manifests in the curated store: files, rows in,
 * rejects by reason and the latest export.
 */
import type { IngestManifest } from '../ingest/ingest-file.js';
import type { ObjectStore } from '../store/object-store.js';
import type { NetworkDataQuality } from './pages.js';

export async function readManifests(curated: ObjectStore): Promise<IngestManifest[]> {
  const objects = await curated.list('ingests/');
  const decoder = new TextDecoder();
  return Promise.all(
    objects.map(
      async ({ key }) => JSON.parse(decoder.decode(await curated.get(key))) as IngestManifest,
    ),
  );
}

export function dataQualityByNetwork(manifests: IngestManifest[]): Map<string, NetworkDataQuality> {
  const out = new Map<string, NetworkDataQuality>();
  for (const m of manifests) {
    const q = out.get(m.networkCode) ?? {
      files: 0,
      rowsIn: 0,
      rejected: 0,
      rejectsByReason: {},
      lastExport: null,
    };
    q.files += 1;
    q.rowsIn += m.rowsIn;
    q.rejected += m.rejected;
    if (m.exportedAt && (q.lastExport === null || m.exportedAt > q.lastExport))
      q.lastExport = m.exportedAt;
    for (const [reason, n] of Object.entries(m.rejectsByReason))
      q.rejectsByReason[reason] = (q.rejectsByReason[reason] ?? 0) + n;
    out.set(m.networkCode, q);
  }
  return out;
}
