import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  clinicianKey,
  KeyFileSecrets,
  normalisePersonId,
  pseudonymTable,
} from '../../../src/ingest/pseudonymise.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pseudonymisation', () => {
  it('normalises person ids before hashing', () => {
    expect(normalisePersonId('  th-n1  001 ')).toBe('TH-N1 001');
    expect(clinicianKey(KEY_A, ' th-n1-001')).toBe(clinicianKey(KEY_A, 'TH-N1-001'));
  });

  it('gives 128-bit hex keys that depend on the key and reveal nothing of the id', () => {
    const a = clinicianKey(KEY_A, 'TH-N1-001');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toContain('001');
    expect(clinicianKey(KEY_B, 'TH-N1-001')).not.toBe(a);
    expect(clinicianKey(KEY_A, 'TH-N1-002')).not.toBe(a);
  });

  it('keys each distinct id as given, hashing it once; blank ids have no key', () => {
    // The ids come normalised by SQL (normalise_person_id); the table is keyed by that text, and
    // the key is the same as for the id JavaScript would normalise it to ('STRAßE' -> 'STRASSE').
    expect(pseudonymTable(KEY_A, ['A', 'A', 'STRAßE', '', '  '])).toEqual([
      ['A', clinicianKey(KEY_A, 'A')],
      ['STRAßE', clinicianKey(KEY_A, 'STRASSE')],
    ]);
  });

  it('creates the key file on first use, readable by the owner only, and reuses it', async () => {
    const file = path.join(dir, 'keys', 'pseudonym.key');
    const first = await new KeyFileSecrets(file).pseudonymKey();
    expect(first).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await new KeyFileSecrets(file).pseudonymKey()).toEqual(first);
    expect((await readFile(file, 'utf8')).trim()).toBe(Buffer.from(first).toString('hex'));
  });

  it('refuses a key file that is not a long enough hex key', async () => {
    const file = path.join(dir, 'short.key');
    await writeFile(file, 'abc123\n');
    await expect(new KeyFileSecrets(file).pseudonymKey()).rejects.toThrow(ConfigError);
  });
});
