/**
 * Whole files an eighth-session audit found mishandled or explained badly (UTF-16 padding, an
 * export in the other kind's folder, JSON that is not one document), each checked for the rules:
 * rows in = accepted + rejected, and a refused file gets one message that says what it is. Real
 * DuckDB, a folder store, the generic mapping unless a case says otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { curatedReader, manifestIn } from '../../helpers/curated-rows.js';
import { GENERIC_SHIFT_HEADER, genericShiftLine } from '../../helpers/generic-shift-row.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

const KEY = 'generic/U60865/shifts/';
const { curatedRows } = curatedReader(
  () => stores,
  () => engine,
);

describe('hostile files', () => {
  it('reads UTF-16 exports padded after the last line, with or without a byte-order mark', async () => {
    // Prepare: two shifts in UTF-16 (as Excel's "Unicode text" saves), padded after the last
    // line with NULs or a DOS Ctrl-Z, as a fixed-size block writer leaves them.
    const text = [
      GENERIC_SHIFT_HEADER,
      genericShiftLine({ shift_id: 'U-1' }),
      genericShiftLine({ shift_id: 'U-2' }),
    ]
      .map((line) => `${line}\r\n`)
      .join('');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(text, 'utf16le').swap16();
    const files: Record<string, Buffer> = {
      'le-bom-nul.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.alloc(4)]),
      'le-bom-ctrlz.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.from([0x1a, 0])]),
      'be-bom-ctrlz.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), be, Buffer.from([0, 0x1a])]),
      'le-nobom-nul.csv': Buffer.concat([le, Buffer.alloc(4)]),
    };
    for (const [file, body] of Object.entries(files)) {
      await stores.raw.put(`${KEY}${file}`, new Uint8Array(body));
    }
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each file 2 rows in, 2 accepted (before: a phantom malformed third row with a
    // mark; the file refused as binary data without one).
    expect(summary.failed.map((f) => f.reason)).toEqual([]);
    for (const file of Object.keys(files)) {
      const m = manifestIn(summary, KEY, file);
      expect([file, m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([file, 2, 2, {}]);
    }
    const ids = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => id.startsWith('U-'))).toEqual(
      [...'1111', ...'2222'].map((n) => `U-${n}`),
    );
  });
});
