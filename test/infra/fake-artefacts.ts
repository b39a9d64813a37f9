/**
 * A stand-in for `dist/lambdas/`: one folder per function with a `bundle/index.mjs` that exports
 * a handler, so infra tests synthesise without building the real Lambdas.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FUNCTION_NAMES = ['ingest', 'publish'] as const;

/** Makes the folder in a new temp folder and returns its path. */
export function makeFakeArtefacts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rotascope-artefacts-'));
  for (const name of FUNCTION_NAMES) {
    mkdirSync(join(dir, name, 'bundle'), { recursive: true });
    writeFileSync(
      join(dir, name, 'bundle', 'index.mjs'),
      'export const handler = async () => ({});\n',
    );
  }
  return dir;
}
