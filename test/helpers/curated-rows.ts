/** Reading back what an integration test's ingest wrote: curated rows and a file's rejects. */
import path from 'node:path';
import { tableRows } from '../../src/engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../src/ingest/ingest-all.js';
import { stageLocally } from '../../src/store/stage-locally.js';
import { type TestStores, useStoresAndEngine } from './stores.js';

export function curatedReader(stores: () => TestStores, engine: () => DuckDbEngine) {
  /** Every row of a curated table, with `columns`, in order of all columns. */
  async function curatedRows(table: 'shifts' | 'rejects' | 'availability', columns: string) {
    const s = stores();
    const dir = await stageLocally(s.curated, `${table}/`, path.join(s.dir, `s-${table}`));
    return tableRows<Record<string, unknown>>(
      await engine().query(
        `select ${columns} from read_parquet(${sqlString(`${dir}/**/*.parquet`)}) order by all`,
      ),
    );
  }
  /** The rejects of the raw file whose key ends in `file`, with `columns` (source_file first). */
  const rejectsOf = async (file: string, columns: string) =>
    (await curatedRows('rejects', `source_file, ${columns}`)).filter((r) =>
      String(r.source_file).endsWith(file),
    );
  return { curatedRows, rejectsOf };
}

/** The manifest of the raw file `${prefix}${file}` in an ingest's summary. */
export const manifestIn = (summary: IngestSummary, prefix: string, file: string) =>
  summary.ingested.find((m) => m.sourceFile === `${prefix}${file}`);

/**
 * A test file's stores and engine (useStoresAndEngine) with the readers of what its ingests
 * wrote: `stores()` and `engine()` once its tests run.
 */
export function useIngestedStores() {
  let stores: TestStores | undefined;
  let engine: DuckDbEngine | undefined;
  useStoresAndEngine((opened) => {
    ({ stores, engine } = opened);
  });
  const open = () => {
    if (!stores || !engine) throw new Error('the stores open before the tests run');
    return { stores, engine };
  };
  const reader = curatedReader(
    () => open().stores,
    () => open().engine,
  );
  return { stores: () => open().stores, engine: () => open().engine, ...reader };
}
