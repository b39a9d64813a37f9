/**
 * CSV and JSON exports a ninth-session audit found read wrong without a word: rows lost inside a
 * quote that closed too late, people merged by rounding, values Excel wraps to keep as text. Each
 * case checks rows in = accepted + rejected and what was accepted. Real DuckDB, a folder store,
 * the shipped mappings.
 */
import { describe, expect, it } from 'vitest';
import { manifestIn, useIngestedStores } from '../../helpers/curated-rows.js';
import { rotaCloudShift } from '../../helpers/generic-shift-row.js';
import { ingestTestStores } from '../../helpers/stores.js';

const { stores, engine, curatedRows } = useIngestedStores();

describe('hostile CSV and JSON exports', () => {
  it('keeps whole numbers beyond 2^53 exact in JSON however they are written, so two people stay two', async () => {
    // Prepare: RotaCloud shifts whose users (and ids) are 20-digit numbers one apart, written
    // with a fraction of zeros or an exponent, as exporters that go through a decimal type do.
    const KEY = 'rotacloud/U60865/shifts/';
    const json = [
      '[',
      [
        rotaCloudShift({ id: 'J1', user: 'U1' }),
        rotaCloudShift({ id: 'J2', user: 'U2' }),
        rotaCloudShift({ id: 'J3', user: 'U3' }),
        rotaCloudShift({ id: 'J4', user: 'U4' }),
      ]
        .map((s) => JSON.stringify(s))
        .join(',\n'),
      ']',
    ]
      .join('\n')
      .replace('"J1"', '1.2345678901234567890e19')
      .replace('"J2"', '1.2345678901234567891e19')
      .replace('"J3"', '5103')
      .replace('"J4"', '5104.0')
      .replace('"U1"', '12345678901234567890.0')
      .replace('"U2"', '12345678901234567891.0')
      .replace('"U3"', '1234567890123456789e1')
      .replace('"U4"', '12345678901234567891');
    await stores().raw.put(`${KEY}big-2026-11-16T0700.json`, json);
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: 4 rows, 4 accepted; the ids as their exact digits; users U1 and U3 one person
    // (12345678901234567890), U2 and U4 another: 2 people (before: the two ids were one,
    // 12345678901234567000, its second row a duplicate_shift_id; all four users one person).
    const m = manifestIn(summary, KEY, 'big-2026-11-16T0700.json');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 4, {}]);
    const shifts = await curatedRows('shifts', 'shift_id, clinician_key');
    expect(shifts.map((s) => s.shift_id)).toEqual([
      '12345678901234567890',
      '12345678901234567891',
      '5103',
      '5104',
    ]);
    const keyOf = (id: string) => shifts.find((s) => s.shift_id === id)?.clinician_key;
    expect(new Set(shifts.map((s) => s.clinician_key)).size).toBe(2);
    expect(keyOf('12345678901234567890')).toBe(keyOf('5103'));
    expect(keyOf('12345678901234567891')).toBe(keyOf('5104'));
  });
});
