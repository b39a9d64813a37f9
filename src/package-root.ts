/**
 * The folder this package is installed in (holds data/reference, mappings/, queries/,
 * dashboards/). Each stage finds its own files from here; config only holds settings.
 *
 * The nearest folder above this module with a package.json: the checkout (from src/), or a Lambda
 * artefact (from bundle/ or, when esbuild split this module into a chunk, bundle/chunks/).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function nearestPackage(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(path.dirname(from), '..');
  }
}

export const packageRoot = nearestPackage(fileURLToPath(import.meta.url));
