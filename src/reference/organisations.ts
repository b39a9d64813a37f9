/**
 * Practice -> PCN (network) -> ICB lookups from NHS Digital mapping files (data/reference/).
 * Accepts the 2022 layout (CCG_*, STP_*), the 2023+ layout (SUB_ICB_LOCATION_*, ICB_*) and
 * practice -> ICB overlays. `PCN_CODE=U` means "unallocated": a practice in no network.
 * Registered list sizes come from the same folder (list-sizes.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCsvRecords } from './csv.js';
import { isListSizeFile, type ListSizes, readListSizes } from './list-sizes.js';

export interface Practice {
  code: string;
  name: string;
  postcode: string | null;
  networkCode: string | null;
  icbCode: string | null;
}
export interface Network {
  code: string;
  name: string;
  /**
   * The network's one ICB: that of most of its practices (a few PCNs have practices in two
   * ICBs, e.g. U41591 in Devon and Cornwall); on a tie, the ICB with more registered patients,
   * then the lower code. Every figure of the network counts in this ICB (networkIcbOverrides).
   */
  icbCode: string | null;
  practiceCodes: string[];
}
export interface Icb {
  code: string;
  name: string;
}
export interface Reference {
  practices: Map<string, Practice>;
  networks: Map<string, Network>;
  icbs: Map<string, Icb>;
  /** Registered patients per practice from the newest list-size extract, if one is present. */
  listSizes?: ListSizes;
}

export type Layout = 'pcn-2022' | 'pcn-2023' | 'icb-overlay';

/** Which layout a file uses, from its header; throws naming the file when none fits. */
export function detectLayout(columns: readonly string[], fileName: string): Layout {
  const has = (c: string) => columns.includes(c);
  if (!has('PRACTICE_CODE'))
    throw new Error(
      `${fileName}: no PRACTICE_CODE column (nor CODE and NUMBER_OF_PATIENTS, a list-size extract)`,
    );
  if (has('PCN_CODE') && has('STP_CODE')) return 'pcn-2022';
  if (has('PCN_CODE') && has('ICB_CODE')) return 'pcn-2023';
  if (has('ICB_CODE')) return 'icb-overlay';
  throw new Error(
    `${fileName}: not a known practice mapping layout (need PCN_CODE with STP_CODE or ICB_CODE, or ICB_CODE)`,
  );
}

const UNALLOCATED = new Set(['U', '']);

/**
 * Merge reference files (already parsed, oldest first). Mapping files: for each column a later
 * file has, it wins. List-size extracts (`CODE`, `NUMBER_OF_PATIENTS`): the newest one is used
 * whole, not merged, so a practice closed since an older extract does not keep its old count.
 */
export function buildReference(
  files: { name: string; records: Record<string, string>[] }[],
): Reference {
  const practices = new Map<string, Practice>();
  const networkNames = new Map<string, string>();
  const icbNames = new Map<string, string>();
  let listSizes: ListSizes | undefined;
  for (const { name, records } of files) {
    const first = records[0];
    if (!first) continue;
    if (isListSizeFile(Object.keys(first))) {
      listSizes = readListSizes(name, records);
      continue;
    }
    const layout = detectLayout(Object.keys(first), name);
    for (const r of records) {
      const code = (r.PRACTICE_CODE ?? '').trim().toUpperCase();
      if (code === '') continue;
      const practice = practices.get(code) ?? {
        code,
        name: code,
        postcode: null,
        networkCode: null,
        icbCode: null,
      };
      if (layout !== 'icb-overlay') {
        const pcn = (r.PCN_CODE ?? '').trim().toUpperCase();
        practice.name = (r.PRACTICE_NAME ?? '').trim() || code;
        practice.postcode = (r.PRACTICE_POSTCODE ?? '').trim() || null;
        practice.networkCode = UNALLOCATED.has(pcn) ? null : pcn;
        if (practice.networkCode)
          networkNames.set(practice.networkCode, (r.PCN_NAME ?? '').trim() || pcn);
      }
      const icbCode = (layout === 'pcn-2022' ? r.STP_CODE : r.ICB_CODE)?.trim().toUpperCase();
      if (icbCode) {
        practice.icbCode = icbCode;
        icbNames.set(icbCode, (layout === 'pcn-2022' ? r.STP_NAME : r.ICB_NAME)?.trim() || icbCode);
      }
      practices.set(code, practice);
    }
  }
  const reference = assemble(practices, networkNames, icbNames, listSizes);
  return listSizes ? { ...reference, listSizes } : reference;
}

function assemble(
  all: Map<string, Practice>,
  networkNames: Map<string, string>,
  icbNames: Map<string, string>,
  listSizes: ListSizes | undefined,
): Reference {
  const practices = new Map<string, Practice>();
  const networks = new Map<string, Network>();
  const icbs = new Map<string, Icb>();
  for (const [code, practice] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    practices.set(code, practice);
    if (practice.icbCode)
      icbs.set(practice.icbCode, {
        code: practice.icbCode,
        name: icbNames.get(practice.icbCode) ?? practice.icbCode,
      });
    if (practice.networkCode) {
      const network = networks.get(practice.networkCode) ?? {
        code: practice.networkCode,
        name: networkNames.get(practice.networkCode) ?? practice.networkCode,
        icbCode: practice.icbCode,
        practiceCodes: [],
      };
      network.practiceCodes.push(code);
      networks.set(practice.networkCode, network);
    }
  }
  for (const network of networks.values())
    network.icbCode = majorityIcb(
      network.practiceCodes.map((code) => practices.get(code) as Practice),
      listSizes,
    );
  return { practices, networks, icbs };
}

/** The ICB of most of the practices; ties by registered patients, then by code. */
function majorityIcb(practices: readonly Practice[], listSizes?: ListSizes): string | null {
  const tally = new Map<string, { practices: number; patients: number }>();
  for (const p of practices) {
    if (!p.icbCode) continue;
    const t = tally.get(p.icbCode) ?? { practices: 0, patients: 0 };
    t.practices += 1;
    t.patients += listSizes?.patients.get(p.code) ?? 0;
    tally.set(p.icbCode, t);
  }
  const ranked = [...tally].sort(
    ([a, x], [b, y]) => y.practices - x.practices || y.patients - x.patients || a.localeCompare(b),
  );
  return ranked[0]?.[0] ?? null;
}

/**
 * The networks with practices in more than one ICB, each with its one ICB (Network.icbCode): the
 * metric queries count all of such a network's shifts in that ICB (`{{network_icbs}}`), where
 * each shift carries its practice's ICB from ingest.
 */
export function networkIcbOverrides(
  reference: Reference,
): { networkCode: string; icbCode: string }[] {
  const out: { networkCode: string; icbCode: string }[] = [];
  for (const network of reference.networks.values()) {
    const icbs = new Set(network.practiceCodes.map((c) => reference.practices.get(c)?.icbCode));
    if (network.icbCode && icbs.size > 1)
      out.push({ networkCode: network.code, icbCode: network.icbCode });
  }
  return out;
}

/** The `YYYY-MM` period in a reference file's name, used to apply files oldest first. */
export function periodOf(fileName: string): string {
  return /_(\d{4}-\d{2})/.exec(fileName)?.[1] ?? '0000-00';
}

/** Load every `*.csv` in a folder, oldest period first. */
export async function loadReference(dir: string): Promise<Reference> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.csv'));
  if (names.length === 0) throw new Error(`No reference files (*.csv) in ${dir}`);
  names.sort((a, b) => periodOf(a).localeCompare(periodOf(b)) || a.localeCompare(b));
  const files = await Promise.all(
    names.map(async (name) => ({
      name,
      records: parseCsvRecords(await readFile(path.join(dir, name), 'utf8')),
    })),
  );
  return buildReference(files);
}
