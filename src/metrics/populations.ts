/**
 * The population each network's per-patient figures divide by: registered patients summed from
 * the list-size extract (src/reference/list-sizes.ts), unless the deployment supplies its own
 * (weighted or otherwise adjusted) figures in `ROTASCOPE_POPULATION_FILE`:
 *
 *   code,population[,note]     e.g. U60865,55120,weighted 2026/27   or   F84698,15002
 *
 * A network code sets that network's population outright; a practice code replaces that practice's
 * list size before the network's practices are summed. Every population says what it is
 * (`basis`), as of when, and how many of the network's practices it lacks: a practice with no
 * list size is never counted as 0 patients, and the pages say "unknown for N practices".
 */
import { ConfigError } from '../errors.js';
import { parseCsvRecords } from '../reference/csv.js';
import type { Reference } from '../reference/organisations.js';
import { inlineTable } from './inline-table.js';

export interface PopulationOverride {
  code: string;
  population: number;
  note: string;
}

export interface NetworkPopulation {
  networkCode: string;
  patients: number;
  /** Practices of the network with no list size (then `patients` is a lower bound). */
  practicesMissing: number;
  /** `registered` (the NHS Digital extract) or `adjusted` (any figure from the population file). */
  basis: 'registered' | 'adjusted';
  /** The extract's date, or the population file's note for an adjusted figure. */
  source: string;
}

/** Read a population file's text; every problem names the file and line. */
export function readPopulationFile(
  file: string,
  text: string,
  reference: Reference,
): PopulationOverride[] {
  const rows = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const first = rows[0];
  if (first && !('code' in first && 'population' in first))
    throw new ConfigError(`${file} has no column code and population (code,population[,note])`);
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const line = i + 2;
    const code = (r.code ?? '').trim().toUpperCase();
    const value = (r.population ?? '').replace(/[,\s]/g, '');
    if (!reference.networks.has(code) && !reference.practices.has(code))
      throw new ConfigError(
        `${file} line ${line}: "${code}" is not a known network or practice code`,
      );
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
      throw new ConfigError(
        `${file} line ${line}: population "${r.population ?? ''}" is not a positive number`,
      );
    if (seen.has(code)) throw new ConfigError(`${file} line ${line}: ${code} appears twice`);
    seen.add(code);
    return { code, population: Number(value), note: (r.note ?? '').trim() };
  });
}

/** Every network's population: registered list sizes, with the overrides applied. */
export function networkPopulations(
  reference: Reference,
  overrides: readonly PopulationOverride[] = [],
): NetworkPopulation[] {
  const byCode = new Map(overrides.map((o) => [o.code, o]));
  const registered = reference.listSizes;
  const asOf = registered ? `registered patients, ${registered.asOf}` : '';
  const out: NetworkPopulation[] = [];
  for (const network of reference.networks.values()) {
    const whole = byCode.get(network.code);
    if (whole) {
      out.push({
        networkCode: network.code,
        patients: Math.round(whole.population),
        practicesMissing: 0,
        basis: 'adjusted',
        source: whole.note || 'population file',
      });
      continue;
    }
    let patients = 0;
    let missing = 0;
    let adjusted = false;
    for (const practice of network.practiceCodes) {
      const override = byCode.get(practice);
      const n = override?.population ?? registered?.patients.get(practice);
      if (override) adjusted = true;
      if (n === undefined) missing += 1;
      else patients += n;
    }
    if (!registered && !adjusted) continue;
    out.push({
      networkCode: network.code,
      patients: Math.round(patients),
      practicesMissing: missing,
      basis: adjusted ? 'adjusted' : 'registered',
      source: adjusted
        ? `${asOf ? `${asOf}, ` : ''}with practice figures from the population file`
        : asOf,
    });
  }
  return out;
}

/**
 * The `{{populations}}` inline table: network_code, patients, practices_missing, basis. Only the
 * networks named are listed (the ones with data), so the SQL stays small for a national run.
 */
export function populationsSql(populations: readonly NetworkPopulation[]): string {
  return inlineTable(
    [
      { name: 'network_code', type: 'varchar' },
      { name: 'patients', type: 'bigint' },
      { name: 'practices_missing', type: 'bigint' },
      { name: 'basis', type: 'varchar' },
    ],
    populations.map((p) => [p.networkCode, p.patients, p.practicesMissing, p.basis]),
  );
}
