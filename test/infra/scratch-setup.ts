/**
 * Global set-up of the infra project: one scratch folder for its fake Lambda artefacts
 * (fake-artefacts.ts) and every cloud assembly its apps synthesise (synthesise.ts `assemblyDir`),
 * removed when the run ends, whatever a test file forgot to clean up. An App given no `outdir`
 * makes a new /tmp/cdk.outXXXXXX with a copy of every asset, and nothing removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    infraScratch: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rotascope-infra-'));
  project.provide('infraScratch', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
