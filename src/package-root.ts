/**
 * The folder this package is installed in (holds data/reference, mappings/, queries/,
 * dashboards/). Each stage finds its own files from here; config only holds settings.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
