/**
 * A stand-in for `dist/lambdas/`: one folder per function with a handler that does nothing, so
 * infra tests synthesise without building the real Lambdas. Ingest and publish get
 * `bundle/index.mjs`; the edge authoriser gets `bundle/index.js` (CommonJS, as Lambda@Edge runs
 * it), which passes every request on, and an empty `network-icbs.json`. Ingest and publish also
 * get the `build.json` the build writes, naming `architecture` (x86_64 unless given).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import {
  ARTEFACT_MANIFEST,
  type ArtefactManifest,
  duckdbBindingPackage,
  type LambdaArchitecture,
} from '../../infra/lambda-architecture.js';

export const FUNCTION_NAMES = ['ingest', 'publish'] as const;

/** The fake edge authoriser's handler. */
export const FAKE_EDGE_HANDLER = 'exports.handler = async (e) => e.Records[0].cf.request;\n';

/** Makes the folder in a new folder under the project's scratch folder (scratch-setup.ts) and returns its path. */
export function makeFakeArtefacts(architecture: LambdaArchitecture = 'x86_64'): string {
  const dir = mkdtempSync(join(inject('infraScratch'), 'artefacts-'));
  const manifest: ArtefactManifest = {
    architecture,
    duckdbBinding: `${duckdbBindingPackage(architecture)}@0.0.0-fake`,
  };
  for (const name of FUNCTION_NAMES) {
    mkdirSync(join(dir, name, 'bundle'), { recursive: true });
    writeFileSync(
      join(dir, name, 'bundle', 'index.mjs'),
      'export const handler = async () => ({});\n',
    );
    writeFileSync(join(dir, name, ARTEFACT_MANIFEST), `${JSON.stringify(manifest)}\n`);
  }
  mkdirSync(join(dir, 'edge-auth', 'bundle'), { recursive: true });
  writeFileSync(join(dir, 'edge-auth', 'bundle', 'index.js'), FAKE_EDGE_HANDLER);
  writeFileSync(join(dir, 'edge-auth', 'network-icbs.json'), '{}\n');
  return dir;
}
