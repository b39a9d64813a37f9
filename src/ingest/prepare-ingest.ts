/**
 * Gets a DuckDB engine ready for ingest: the shared parsing macros (queries/ingest/functions.sql)
 * and the lookups the mappings join against: practices, networks and the canonical roles with
 * their staff groups. `networks` holds the reference PCNs plus the allow-list of PCN codes the
 * reference data does not know yet (config `extraNetworks`, ICB unknown); a network code that is
 * in neither is `unknown_network`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { STAFF_GROUP_BY_ROLE } from '../domain.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { packageRoot } from '../package-root.js';
import type { Reference } from '../reference/organisations.js';

export async function prepareIngest(
  engine: DuckDbEngine,
  reference: Reference,
  extraNetworks: readonly string[] = [],
): Promise<void> {
  await engine.run(
    await readFile(path.join(packageRoot, 'queries', 'ingest', 'functions.sql'), 'utf8'),
  );
  await engine.loadTextTable(
    'practices',
    ['code', 'network_code', 'icb_code'],
    [...reference.practices.values()].map((p) => [p.code, p.networkCode, p.icbCode]),
  );
  await engine.loadTextTable(
    'networks',
    ['code', 'icb_code'],
    [
      ...[...reference.networks.values()].map((n) => [n.code, n.icbCode]),
      ...[...new Set(extraNetworks)]
        .filter((code) => !reference.networks.has(code))
        .map((code) => [code, null]),
    ],
  );
  await engine.loadTextTable(
    'canonical_roles',
    ['role', 'staff_group'],
    Object.entries(STAFF_GROUP_BY_ROLE),
  );
}
