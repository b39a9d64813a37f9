/** Source mappings made for a test from the shipped ones (a decimal comma, a cost column). */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** A mapping file's JSON, loosely typed for a test to change. */
// biome-ignore lint/suspicious/noExplicitAny: a test edits the mapping JSON freely.
type MappingJson = any;

/**
 * A new temporary folder holding the shipped mappings plus, per entry, a mapping `name` made
 * from the shipped mapping `from` and changed by `edit`. The caller removes the folder.
 */
export async function mappingsWithVariants(
  variants: Record<string, { from: string; edit: (mapping: MappingJson) => void }>,
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-mappings-'));
  await cp(path.join(packageRoot, 'mappings'), dir, { recursive: true });
  for (const [name, { from, edit }] of Object.entries(variants)) {
    const mapping = JSON.parse(await readFile(path.join(dir, `${from}.json`), 'utf8'));
    mapping.name = name;
    edit(mapping);
    await writeFile(path.join(dir, `${name}.json`), JSON.stringify(mapping));
  }
  return dir;
}

/** The generic mapping reading cost and break with a decimal comma (`1.234,50`). */
export const EUROCSV = {
  from: 'generic',
  edit: (mapping: MappingJson) => {
    mapping.shifts.fields.cost.decimal = ',';
    mapping.shifts.fields.break.decimal = ',';
  },
};
