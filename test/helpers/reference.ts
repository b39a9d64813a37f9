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

/**
 * A small hand-made reference of one ICB (QMF): each network's practices with their registered
 * patients, `null` for a practice the list-size extract lacks. Without `listSizes`, no extract at
 * all. Names are the codes.
 */
export function smallReference(
  networks: Readonly<Record<string, Readonly<Record<string, number | null>>>>,
  options: { listSizes?: boolean } = {},
): Reference {
  const icbCode = 'QMF';
  const entries = Object.entries(networks);
  const practices = entries.flatMap(([networkCode, sizes]) =>
    Object.keys(sizes).map((code) => ({ code, name: code, postcode: null, networkCode, icbCode })),
  );
  const patients = new Map(
    entries.flatMap(([, sizes]) =>
      Object.entries(sizes).filter((e): e is [string, number] => e[1] !== null),
    ),
  );
  return {
    practices: new Map(practices.map((p) => [p.code, p])),
    networks: new Map(
      entries.map(([code, sizes]) => [
        code,
        { code, name: code, icbCode, practiceCodes: Object.keys(sizes) },
      ]),
    ),
    icbs: new Map([[icbCode, { code: icbCode, name: 'ICB' }]]),
    ...(options.listSizes === false
      ? {}
      : { listSizes: { asOf: '2026-04-01', source: 'gp-reg-pat-prac-all_2026-04.csv', patients } }),
  };
}
