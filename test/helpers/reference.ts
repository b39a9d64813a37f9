/**
 * The bundled reference data, loaded once per test file.
 */
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { loadReference, type Reference } from '../../src/reference/organisations.js';

let cached: Promise<Reference> | undefined;

export function bundledReference(): Promise<Reference> {
  cached ??= loadReference(path.join(packageRoot, 'data', 'reference'));
  return cached;
}
