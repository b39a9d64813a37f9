/**
 * Loads the lookups ingest SQL joins against into DuckDB: practices, networks and the canonical
 * roles with their staff groups.
 */
import { STAFF_GROUP_BY_ROLE } from '../domain.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { Reference } from '../reference/organisations.js';

export async function loadReferenceTables(
  engine: DuckDbEngine,
  reference: Reference,
): Promise<void> {
  await engine.loadTextTable(
    'practices',
    ['code', 'network_code', 'icb_code'],
    [...reference.practices.values()].map((p) => [p.code, p.networkCode, p.icbCode]),
  );
  await engine.loadTextTable(
    'networks',
    ['code', 'icb_code'],
    [...reference.networks.values()].map((n) => [n.code, n.icbCode]),
  );
  await engine.loadTextTable(
    'canonical_roles',
    ['role', 'staff_group'],
    Object.entries(STAFF_GROUP_BY_ROLE),
  );
}
