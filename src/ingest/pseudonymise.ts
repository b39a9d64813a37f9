/**
 * Pseudonymisation of clinician identifiers at ingest (DESIGN §3.1). A `clinician_key` is the
 * keyed HMAC-SHA256 of the normalised source person id, hex, truncated to 128 bits. Without the
 * key nobody can go from a key back to an id, or test a guessed id. The key comes from a
 * `Secrets` source: locally a file created on first use with 0600 permissions
 * (`KeyFileSecrets`); on AWS an SSM SecureString parameter or a Secrets Manager secret
 * (`SsmSecrets`, `src/ingest/ssm-secrets.ts`). Both hold the key as hex, checked by `keyFromHex`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export interface Secrets {
  /** The pseudonymisation key, at least 32 bytes. */
  pseudonymKey(): Promise<Uint8Array>;
}

const KEY_BYTES = 32;

/**
 * The key from its hex text (surrounding whitespace ignored): at least 64 hex characters, so at
 * least 32 bytes. `source` names where the text came from; the message never repeats the text.
 */
export function keyFromHex(text: string, source: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-f]{64,}$/i.test(hex)) {
    throw new ConfigError(`${source} must hold at least 64 hex characters`);
  }
  return Buffer.from(hex, 'hex');
}

/** Person ids compare case- and spacing-insensitively: ` th-n1-001 ` is `TH-N1-001`. */
export function normalisePersonId(id: string): string {
  return id.trim().replace(/\s+/g, ' ').toUpperCase();
}

export function clinicianKey(key: Uint8Array, personId: string): string {
  return createHmac('sha256', key)
    .update(normalisePersonId(personId), 'utf8')
    .digest('hex')
    .slice(0, 32);
}

/** A key file: 64 hex characters; created with 0600 permissions when missing. */
export class KeyFileSecrets implements Secrets {
  private cached: Uint8Array | undefined;

  constructor(readonly file: string) {}

  async pseudonymKey(): Promise<Uint8Array> {
    if (this.cached) return this.cached;
    let text: string | undefined;
    try {
      text = (await readFile(this.file, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) {
      text = randomBytes(KEY_BYTES).toString('hex');
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFile(this.file, `${text}\n`, { mode: 0o600, flag: 'wx' });
      await chmod(this.file, 0o600);
    }
    this.cached = keyFromHex(text, `Pseudonymisation key file ${this.file}`);
    return this.cached;
  }
}

/**
 * Each distinct id as given (the SQL join's form of it, `normalise_person_id`) with its key,
 * hashing each id once: the table is keyed by the very text the join looks up, so an id the two
 * normalisations treat differently (a tab, ß) still finds its key.
 */
export function pseudonymTable(key: Uint8Array, personIds: Iterable<string>): [string, string][] {
  const out = new Map<string, string>();
  for (const id of personIds) {
    if (normalisePersonId(id) !== '' && !out.has(id)) out.set(id, clinicianKey(key, id));
  }
  return [...out];
}
