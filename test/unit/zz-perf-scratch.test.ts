import { it } from 'vitest';
import { quoteLongIntegers } from '/work/main/src/ingest/read-json.js';
it('perf', () => {
  const row = { id: 12345678901234567891, practice: 'F84698', role: 'gp', start: '2026-11-16T08:30:00Z', end: '2026-11-16T12:30:00Z', status: 'filled', cost: 38000, note: 'some text with "quotes" and \\ backslashes' };
  const one = JSON.stringify({ ...row, id: 'X' }).replace('"X"', '12345678901234567891');
  const text = `[${Array.from({ length: 300000 }, () => one).join(',')}]`;
  let t = performance.now(); const out = quoteLongIntegers(text); const q = performance.now() - t;
  t = performance.now(); JSON.parse(out); const p = performance.now() - t;
  console.log('MB', (text.length / 1e6).toFixed(1), 'quote ms', q.toFixed(0), 'parse ms', p.toFixed(0));
});
