/**
 * A changed export uploaded again under its name (a corrected rota re-sent as the same file, or
 * a new S3 version of the key) replaces what its earlier version wrote. Before, both versions
 * counted: the data-quality counts saw every row twice, and a shift both versions hold with one
 * export time kept either version's cost (an audit found the old £380 winning over £111).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { readManifests } from '../../../src/site/data-quality.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { GENERIC_SHIFT_HEADER, genericShiftLine } from '../../helpers/generic-shift-row.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

const row = genericShiftLine;
const csv = (...rows: string[]) => [GENERIC_SHIFT_HEADER, ...rows].join('\n');
const FOLDER = 'generic/U60865/shifts/';

/** Every curated shift and reject now stored, read back: [shift_id, cost_pence | reason]. */
async function stored(name: string) {
  const read = async (table: string, columns: string) => {
    if ((await stores.curated.list(`${table}/`)).length === 0) return [];
    const dir = await stageLocally(
      stores.curated,
      `${table}/`,
      path.join(stores.dir, `${name}-${table}`),
    );
    return tableRows<Record<string, unknown>>(
      await engine.query(
        `select ${columns} from read_parquet(${sqlString(`${dir}/**/*.parquet`)}) order by all`,
      ),
    ).map((r) => Object.values(r).map(String));
  };
  return {
    shifts: await read('shifts', 'shift_id, cost_pence'),
    rejects: await read('rejects', 'source_file, reason_code'),
  };
}

describe('a changed export uploaded again under its name', () => {
  it('replaces what the earlier version wrote: shifts, rejects and its ingest report', async () => {
    // Prepare: two £380 shifts and a rejected row; then the same file with R2 at £111, no reject.
    const key = `${FOLDER}week46.csv`;
    const first = csv(
      row({ shift_id: 'R1' }),
      row({ shift_id: 'R2' }),
      row({ shift_id: 'R3', status: 'maybe' }),
    );
    await stores.raw.put(key, first);
    const before = await ingestTestStores(stores, engine);
    expect([before.rowsIn, before.accepted, before.rejected]).toEqual([3, 2, 1]);
    await stores.raw.put(
      key,
      csv(row({ shift_id: 'R1' }), row({ shift_id: 'R2', cost_gbp: '111.00' })),
    );
    // Act
    const after = await ingestTestStores(stores, engine);
    // Assess: the new version ingested, and only its rows and report remain.
    expect(after.ingested.map((m) => [m.sourceFile, m.rowsIn, m.accepted])).toEqual([[key, 2, 2]]);
    expect(await stored('changed')).toEqual({
      shifts: [
        ['R1', '38000'],
        ['R2', '11100'],
      ],
      rejects: [],
    });
    const manifests = await readManifests(stores.curated);
    expect(manifests.map((m) => [m.sourceFile, m.rowsIn])).toEqual([[key, 2]]);
    // A run after it finds nothing to do, and the first version back again replaces the second.
    expect((await ingestTestStores(stores, engine)).skipped).toEqual([key]);
    await stores.raw.put(key, first);
    await ingestTestStores(stores, engine);
    expect((await stored('back')).shifts).toEqual([
      ['R1', '38000'],
      ['R2', '38000'],
    ]);
    expect((await readManifests(stores.curated)).map((m) => m.rowsIn)).toEqual([3]);
  });

  it('drops the earlier version when the name now holds another upload’s bytes', async () => {
    // Prepare: two files ingested; then a.csv is overwritten with b.csv's bytes.
    const a = `${FOLDER}a.csv`;
    const b = `${FOLDER}b.csv`;
    await stores.raw.deletePrefix(FOLDER);
    await stores.raw.put(a, csv(row({ shift_id: 'A1' })));
    await stores.raw.put(b, csv(row({ shift_id: 'B1' })));
    await ingestTestStores(stores, engine);
    await stores.raw.put(a, await stores.raw.get(b));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: a.csv is named as b.csv's content, and its own earlier rows are gone.
    expect(summary.sameContent).toEqual([{ key: a, ingestedAs: b }]);
    const ids = (await stored('same')).shifts.map(([id]) => id);
    expect(ids.filter((id) => id === 'A1' || id === 'B1')).toEqual(['B1']);
  });

  it('keeps a copy’s rows when the file it was a copy of is replaced', async () => {
    // Prepare: c.csv and its byte-for-byte copy z.csv (skipped as the same content); then c.csv
    // is replaced by a later export holding only C3.
    const c = `${FOLDER}c.csv`;
    const z = `${FOLDER}z.csv`;
    await stores.raw.deletePrefix(FOLDER);
    const original = csv(row({ shift_id: 'C1' }), row({ shift_id: 'C2' }));
    await stores.raw.put(c, original);
    await stores.raw.put(z, original);
    const first = await ingestTestStores(stores, engine);
    expect(first.sameContent).toEqual([{ key: z, ingestedAs: c }]);
    await stores.raw.put(c, csv(row({ shift_id: 'C3', exported_at: '2026-11-17 07:00' })));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: z.csv now holds the first version's bytes alone, so it is ingested in this run
    // (before: skipped as c.csv's content while c.csv's earlier rows were retired, so C1 and C2
    // were lost until a later run).
    expect(summary.ingested.map((m) => m.sourceFile).sort()).toEqual([c, z]);
    expect(summary.sameContent).toEqual([]);
    const ids = (await stored('orphan')).shifts.map(([id]) => id);
    expect(ids.filter((id) => id?.startsWith('C'))).toEqual(['C1', 'C2', 'C3']);
    // A further run has nothing to do.
    const again = await ingestTestStores(stores, engine);
    expect([again.ingested.length, again.skipped.length]).toEqual([0, 2]);
  });
});
