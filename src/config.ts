/**
 * Every setting Rotascope reads, parsed once with zod. The core never reads `process.env`: the
 * CLI and Lambda handlers call `loadConfig(process.env, overrides)` and pass the result down.
 *
 * Environment variables (all optional):
 * | variable                          | default                      | meaning |
 * |-----------------------------------|------------------------------|---------|
 * | ROTASCOPE_DATA_DIR                | ./local                      | local root for raw/, curated/ and keys/ |
 * | ROTASCOPE_RAW                     | <data dir>/raw               | raw exports: a folder or s3://bucket/prefix |
 * | ROTASCOPE_CURATED                 | <data dir>/curated           | curated Parquet: a folder or s3://bucket/prefix |
 * | ROTASCOPE_SITE                    | ./site                       | published site: a folder or s3://bucket/prefix |
 * | ROTASCOPE_SITE_KEEP_VERSIONS      | 3                            | published site versions kept for rollback, the live one included (at least 2: the edge may serve the previous one for seconds after a switch) |
 * | ROTASCOPE_PSEUDONYM_KEY_FILE      | <data dir>/keys/pseudonym.key | local HMAC key, created 0600 on first use |
 * | ROTASCOPE_PSEUDONYM_KEY_PARAMETER | (none)                       | SSM parameter holding the key (AWS) |
 * | ROTASCOPE_REFERENCE_DIR           | <package>/data/reference     | practice -> PCN -> ICB files |
 * | ROTASCOPE_MAPPINGS_DIR            | <package>/mappings           | source mappings and their lookup tables |
 * | ROTASCOPE_EXTENDED_HOURS          | mon-fri 18:30-20:00; sat 09:00-17:00 | session-type rule when a source does not say |
 * | ROTASCOPE_EARLIEST_SHIFT_DATE     | 2015-01-01                   | shifts (and availability weeks) before it are rejected |
 * | ROTASCOPE_MAX_DAYS_AHEAD          | 400                          | shifts more days than this after the export's date are rejected |
 * | ROTASCOPE_EXTRA_NETWORKS          | (none)                       | PCN codes (U + 5 digits) accepted though the reference data does not know them |
 * | ROTASCOPE_MIN_CLINICIANS          | 3                            | k: suppress values from fewer clinicians |
 * | ROTASCOPE_RATE_CAPS_FILE          | (none: built-in examples)    | CSV role,cap_gbp_per_hour |
 * | ROTASCOPE_BUDGETS_FILE            | (none)                       | CSV network_code,financial_year_start,budget_gbp[,agency_budget_gbp][,arrs_allocation_gbp] |
 * | ROTASCOPE_POPULATION_FILE         | (none: registered list sizes) | CSV code,population[,note]: adjusted populations per network or practice |
 * | ROTASCOPE_EA_MINUTES_PER_1000     | 60                           | Enhanced Access minimum: minutes per 1,000 patients per week |
 * | ROTASCOPE_EA_GP_CHECK             | on                           | off: enhanced_access does not count sessions with no GP |
 * | ROTASCOPE_ARRS_RATES_FILE         | <package>/data/arrs/max-reimbursable.csv | CSV financial_year_start,role,max_gbp_per_wte[,source] |
 * | ROTASCOPE_ARRS_WTE_HOURS          | 37.5                         | hours a week that make one whole-time equivalent (ARRS) |
 * | ROTASCOPE_DEMO_SEED               | 20260406                     | demo generator seed |
 * | ROTASCOPE_DEMO_WEEKS              | 14                           | demo weeks (>= 12) |
 * | AWS_REGION                        | eu-west-2                    | region for S3 locations and SSM |
 * | ROTASCOPE_S3_ENDPOINT             | (none)                       | S3-compatible endpoint (tests) |
 * | ROTASCOPE_SITE_URL                | (none)                       | the published site's address, for links in announcements |
 * | ROTASCOPE_ANNOUNCE_TOPIC_ARN      | (none)                       | SNS topic the weekly publish announces each network's report on |
 * | ROTASCOPE_ENGINE                  | duckdb                       | what computes the metric tables: duckdb (in process) or athena |
 * | ROTASCOPE_ATHENA_WORKGROUP        | (none; required for athena)  | Athena workgroup (it sets the results location and scan cutoff) |
 * | ROTASCOPE_ATHENA_DATABASE         | (none; required for athena)  | Glue database holding the curated and metric tables |
 * | ROTASCOPE_ATHENA_TIMEOUT_SECONDS  | 600                          | a query running longer is stopped and the run fails |
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { type DateWindow, DEFAULT_DATE_WINDOW } from './ingest/date-window.js';
import {
  DEFAULT_EXTENDED_HOURS,
  type ExtendedHoursWindow,
  parseExtendedHours,
} from './ingest/session-rule.js';
import { packageRoot } from './package-root.js';

export type Location =
  | { kind: 'local'; root: string }
  | { kind: 's3'; bucket: string; prefix: string };

export type EngineKind = 'duckdb' | 'athena';
export const ENGINE_KINDS: readonly EngineKind[] = ['duckdb', 'athena'];

/** What computes the metric tables (docs/engines.md says when to switch). */
export type EngineConfig =
  | { kind: 'duckdb' }
  | { kind: 'athena'; workGroup: string; database: string; timeoutMs: number };

export type PseudonymKeySource =
  | { kind: 'file'; path: string }
  | { kind: 'ssm'; parameterName: string };

export interface Config {
  raw: Location;
  curated: Location;
  site: Location;
  /** Site versions kept after a publish, the live one included (src/site/site-versions.ts). */
  siteKeepVersions: number;
  pseudonymKey: PseudonymKeySource;
  referenceDir: string;
  /** Source mappings (`<name>.json`) and the lookup tables they reference. */
  mappingsDir: string;
  /** Session-type rule for sources that do not say (src/ingest/session-rule.ts). */
  extendedHours: ExtendedHoursWindow[];
  /** Plausible shift dates (src/ingest/date-window.ts). */
  dateWindow: DateWindow;
  /** Allow-list: PCN codes accepted at ingest though the reference data has no such PCN. */
  extraNetworks: string[];
  metrics: {
    /** k for small-number suppression. */
    minClinicians: number;
    rateCapsFile: string | undefined;
    budgetsFile: string | undefined;
    // Enhanced Access and per-patient figures (issue 20).
    /** Adjusted populations (src/metrics/populations.ts); none: registered list sizes. */
    populationFile: string | undefined;
    enhancedAccess: {
      /** The required minimum, minutes per 1,000 patients per week (Network Contract DES: 60). */
      minutesPer1000Patients: number;
      /** Count Enhanced Access sessions with no GP on the rota (`sessions_without_gp`). */
      gpCheck: boolean;
    };
    // ARRS ledger
    /** Maximum reimbursable amounts per role and year (the shipped file unless replaced). */
    arrsRatesFile: string;
    /** Hours a week that make one whole-time equivalent. */
    arrsWteHours: number;
  };
  demo: { seed: number; weeks: number };
  aws: { region: string; endpoint: string | undefined };
  /** Where the site is served from (https://...), for report links; none locally. */
  siteUrl: string | undefined;
  /** SNS topic for weekly announcements; none: nothing is announced. */
  announceTopicArn: string | undefined;
  engine: EngineConfig;
  /** Reporting time zone. Fixed: NHS rotas are in UK local time. */
  timeZone: 'Europe/London';
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** An empty variable is unset (not 0, not an invalid date). */
const blankIsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const EnvSchema = z.object({
  ROTASCOPE_DATA_DIR: optionalText,
  ROTASCOPE_RAW: optionalText,
  ROTASCOPE_CURATED: optionalText,
  ROTASCOPE_SITE: optionalText,
  ROTASCOPE_SITE_KEEP_VERSIONS: z.coerce.number().int().min(2).max(100).optional(),
  ROTASCOPE_PSEUDONYM_KEY_FILE: optionalText,
  ROTASCOPE_PSEUDONYM_KEY_PARAMETER: optionalText,
  ROTASCOPE_REFERENCE_DIR: optionalText,
  ROTASCOPE_MAPPINGS_DIR: optionalText,
  ROTASCOPE_EXTENDED_HOURS: optionalText,
  ROTASCOPE_EARLIEST_SHIFT_DATE: blankIsUnset(z.iso.date('use YYYY-MM-DD, e.g. 2015-01-01')),
  ROTASCOPE_MAX_DAYS_AHEAD: blankIsUnset(z.coerce.number().int().min(0).max(3660)),
  ROTASCOPE_EXTRA_NETWORKS: optionalText,
  ROTASCOPE_MIN_CLINICIANS: z.coerce.number().int().min(1).max(100).optional(),
  ROTASCOPE_RATE_CAPS_FILE: optionalText,
  ROTASCOPE_BUDGETS_FILE: optionalText,
  ROTASCOPE_POPULATION_FILE: optionalText,
  ROTASCOPE_EA_MINUTES_PER_1000: blankIsUnset(z.coerce.number().positive().max(10_080)),
  ROTASCOPE_EA_GP_CHECK: blankIsUnset(z.enum(['on', 'off'])),
  ROTASCOPE_ARRS_RATES_FILE: optionalText,
  ROTASCOPE_ARRS_WTE_HOURS: blankIsUnset(z.coerce.number().positive().max(168)),
  ROTASCOPE_DEMO_SEED: z.coerce.number().int().optional(),
  ROTASCOPE_DEMO_WEEKS: z.coerce.number().int().min(12).max(104).optional(),
  AWS_REGION: optionalText,
  ROTASCOPE_S3_ENDPOINT: z.url().optional(),
  ROTASCOPE_SITE_URL: z.url().optional(),
  ROTASCOPE_ANNOUNCE_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  ROTASCOPE_ENGINE: z.enum(ENGINE_KINDS).optional(),
  ROTASCOPE_ATHENA_WORKGROUP: optionalText,
  ROTASCOPE_ATHENA_DATABASE: optionalText,
  ROTASCOPE_ATHENA_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3600).optional(),
});

export type Env = Record<string, string | undefined>;

/** Settings given on the command line win over the environment. */
export interface ConfigOverrides {
  dataDir?: string | undefined;
  site?: string | undefined;
  seed?: number | undefined;
  weeks?: number | undefined;
  engine?: EngineKind | undefined;
}

/** `s3://bucket/some/prefix` or a folder path (resolved against `cwd`). */
export function parseLocation(value: string, cwd: string): Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (match) {
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    return { kind: 's3', bucket: match[1] as string, prefix: prefix === '' ? '' : `${prefix}/` };
  }
  if (value.startsWith('s3:')) throw new ConfigError(`Not a valid S3 location: ${value}`);
  return { kind: 'local', root: path.resolve(cwd, value) };
}

export function loadConfig(env: Env, overrides: ConfigOverrides = {}, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Environment variable ${name} is invalid: ${issue?.message ?? ''}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, overrides.dataDir ?? e.ROTASCOPE_DATA_DIR ?? 'local');
  const keyParameter = e.ROTASCOPE_PSEUDONYM_KEY_PARAMETER;
  const seed = overrides.seed ?? e.ROTASCOPE_DEMO_SEED ?? 20260406;
  const weeks = overrides.weeks ?? e.ROTASCOPE_DEMO_WEEKS ?? 14;
  if (!Number.isInteger(weeks) || weeks < 12 || weeks > 104) {
    throw new ConfigError(`Demo weeks must be a whole number from 12 to 104, got ${weeks}`);
  }
  const config: Config = {
    raw: parseLocation(
      overrides.dataDir
        ? path.join(dataDir, 'raw')
        : (e.ROTASCOPE_RAW ?? path.join(dataDir, 'raw')),
      cwd,
    ),
    curated: parseLocation(
      overrides.dataDir
        ? path.join(dataDir, 'curated')
        : (e.ROTASCOPE_CURATED ?? path.join(dataDir, 'curated')),
      cwd,
    ),
    site: parseLocation(overrides.site ?? e.ROTASCOPE_SITE ?? 'site', cwd),
    siteKeepVersions: e.ROTASCOPE_SITE_KEEP_VERSIONS ?? 3,
    pseudonymKey: keyParameter
      ? { kind: 'ssm', parameterName: keyParameter }
      : {
          kind: 'file',
          path: path.resolve(
            cwd,
            e.ROTASCOPE_PSEUDONYM_KEY_FILE ?? path.join(dataDir, 'keys', 'pseudonym.key'),
          ),
        },
    referenceDir: path.resolve(
      cwd,
      e.ROTASCOPE_REFERENCE_DIR ?? path.join(packageRoot, 'data', 'reference'),
    ),
    mappingsDir: path.resolve(cwd, e.ROTASCOPE_MAPPINGS_DIR ?? path.join(packageRoot, 'mappings')),
    extendedHours: parseExtendedHours(e.ROTASCOPE_EXTENDED_HOURS ?? DEFAULT_EXTENDED_HOURS),
    dateWindow: {
      earliest: e.ROTASCOPE_EARLIEST_SHIFT_DATE ?? DEFAULT_DATE_WINDOW.earliest,
      maxDaysAhead: e.ROTASCOPE_MAX_DAYS_AHEAD ?? DEFAULT_DATE_WINDOW.maxDaysAhead,
    },
    extraNetworks: parseNetworkList(e.ROTASCOPE_EXTRA_NETWORKS),
    metrics: {
      minClinicians: e.ROTASCOPE_MIN_CLINICIANS ?? 3,
      rateCapsFile: e.ROTASCOPE_RATE_CAPS_FILE && path.resolve(cwd, e.ROTASCOPE_RATE_CAPS_FILE),
      budgetsFile: e.ROTASCOPE_BUDGETS_FILE && path.resolve(cwd, e.ROTASCOPE_BUDGETS_FILE),
      populationFile: e.ROTASCOPE_POPULATION_FILE && path.resolve(cwd, e.ROTASCOPE_POPULATION_FILE),
      enhancedAccess: {
        minutesPer1000Patients: e.ROTASCOPE_EA_MINUTES_PER_1000 ?? 60,
        gpCheck: (e.ROTASCOPE_EA_GP_CHECK ?? 'on') === 'on',
      },
      // ARRS ledger
      arrsRatesFile: path.resolve(
        cwd,
        e.ROTASCOPE_ARRS_RATES_FILE ??
          path.join(packageRoot, 'data', 'arrs', 'max-reimbursable.csv'),
      ),
      arrsWteHours: e.ROTASCOPE_ARRS_WTE_HOURS ?? 37.5,
    },
    demo: { seed, weeks },
    aws: { region: e.AWS_REGION ?? 'eu-west-2', endpoint: e.ROTASCOPE_S3_ENDPOINT },
    siteUrl: e.ROTASCOPE_SITE_URL?.replace(/\/+$/, ''),
    announceTopicArn: e.ROTASCOPE_ANNOUNCE_TOPIC_ARN,
    engine: engineConfig(overrides.engine ?? e.ROTASCOPE_ENGINE ?? 'duckdb', e),
    timeZone: 'Europe/London',
  };
  if (config.engine.kind === 'athena' && config.curated.kind !== 's3') {
    throw new ConfigError(
      'The Athena engine reads curated data where the Glue catalog says it is, in S3: set ' +
        `ROTASCOPE_CURATED to the stack's curated bucket (s3://...), not ${describeLocation(config.curated)}`,
    );
  }
  return config;
}

function engineConfig(kind: EngineKind, e: z.infer<typeof EnvSchema>): EngineConfig {
  if (kind === 'duckdb') return { kind };
  const workGroup = e.ROTASCOPE_ATHENA_WORKGROUP;
  const database = e.ROTASCOPE_ATHENA_DATABASE;
  if (!workGroup || !database) {
    throw new ConfigError(
      'The Athena engine needs ROTASCOPE_ATHENA_WORKGROUP and ROTASCOPE_ATHENA_DATABASE ' +
        '(the stack outputs them; docs/engines.md)',
    );
  }
  if (!/^[a-z0-9_]+$/.test(database)) {
    throw new ConfigError(
      `ROTASCOPE_ATHENA_DATABASE must be a Glue database name (a-z, 0-9, _), got "${database}"`,
    );
  }
  return {
    kind,
    workGroup,
    database,
    timeoutMs: (e.ROTASCOPE_ATHENA_TIMEOUT_SECONDS ?? 600) * 1000,
  };
}

/**
 * `ROTASCOPE_EXTRA_NETWORKS`: PCN codes separated by commas, semicolons or spaces, each an ODS PCN
 * code (U and five digits, any case). Anything else is refused, so a typo is not silently a
 * network of its own.
 */
export function parseNetworkList(value: string | undefined): string[] {
  const codes = (value ?? '')
    .split(/[\s,;]+/)
    .filter((code) => code !== '')
    .map((code) => code.toUpperCase());
  const bad = codes.filter((code) => !/^U\d{5}$/.test(code));
  if (bad.length > 0) {
    throw new ConfigError(
      `ROTASCOPE_EXTRA_NETWORKS must list PCN codes like U60865, got ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    );
  }
  return [...new Set(codes)].sort();
}

export function describeLocation(location: Location): string {
  return location.kind === 'local' ? location.root : `s3://${location.bucket}/${location.prefix}`;
}
