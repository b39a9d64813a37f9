/**
 * Catalog: the Glue database and tables that let Athena query the curated bucket in place.
 *
 * Tables are declared here, whole: no crawler, no `MSCK REPAIR TABLE`, no partitions added.
 * Athena finds partitions by partition projection, from the same keys ingest writes
 * (src/curated/curated-layout.ts):
 *
 *   shifts/network_code=U60865/week_start=2026-11-16/<hash>.parquet
 *   availability/network_code=U60865/week_start=2026-11-16/<hash>.parquet
 *   rejects/source_system=generic/<hash>.parquet
 *
 * - `network_code` is `injected`: about 1,250 networks in England, more than an `enum` should
 *   hold (Athena advises a few dozen) and changing every April, so a query names its networks
 *   (`where network_code = 'U60865'` or `in (...)`).
 * - `week_start` is a `date` stepping one week from `firstWeek` (a Monday) to PROJECTED_WEEKS_AHEAD
 *   weeks after now: exactly the Mondays ingest partitions by, the furthest being a shift
 *   ROTASCOPE_MAX_DAYS_AHEAD (400) days after its export.
 * - `source_system` is an `enum` of the source mappings this build ships (`mappings/*.json`): a
 *   new source system is a new mapping file, and so a new deployment.
 *
 * The metric tables (`queries/<table>.sql`) are declared too, unpartitioned, one folder each
 * (`metrics/<table>/<table>.parquet`, rewritten whole by every publish), with the columns listed in
 * src/curated/metric-columns.ts.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { metricFolder } from '../src/curated/curated-layout.js';
import {
  AVAILABILITY_COLUMNS,
  AVAILABILITY_TYPES,
  PARTITION_COLUMNS,
  REJECT_TYPES,
  SHIFT_COLUMNS,
  SHIFT_TYPES,
} from '../src/curated/curated-schema.js';
import { METRIC_COLUMNS } from '../src/curated/metric-columns.js';
import { DEFAULT_DATE_WINDOW } from '../src/ingest/date-window.js';
import { glueType } from './glue-types.js';

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: {
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    parameters: { 'serialization.format': '1' },
  },
};

/** How Athena projects one partition column. */
export type Projection =
  | { type: 'injected' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'weeks'; from: string; weeksAhead: number };

interface PartitionColumn {
  name: string;
  glueType: string;
  projection: Projection;
}

/** A catalog table: its folder, its data columns and its Hive partition columns, in key order. */
export interface CatalogTableSpec {
  name: string;
  folder: string;
  columns: { name: string; type: string }[];
  partitions: PartitionColumn[];
  description: string;
}

export interface CatalogProps {
  readonly curated: IBucket;
  /** Glue database name (stage config). */
  readonly databaseName: string;
  /** The first Monday Athena enumerates for `week_start`. */
  readonly firstWeek: string;
  /** Source systems with a mapping (`mappings/<name>.json`). */
  readonly sourceSystems: readonly string[];
}

export class Catalog extends Construct {
  readonly database: CfnDatabase;
  readonly databaseName: string;
  readonly tables: Record<string, CfnTable> = {};

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: props.databaseName,
        description: 'Rotascope curated data (Parquet in the curated bucket)',
      },
    });

    const specs = [...curatedTableSpecs(props), ...metricTableSpecs()];
    const clash = specs.find((spec, i) => specs.findIndex((s) => s.name === spec.name) !== i);
    if (clash) throw new Error(`Two catalog tables are named ${clash.name}`);
    for (const spec of specs) {
      const location = `s3://${props.curated.bucketName}/${spec.folder}/`;
      const table = new CfnTable(this, tableId(spec.name), {
        catalogId,
        databaseName: props.databaseName,
        tableInput: {
          name: spec.name,
          description: spec.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'parquet',
            ...(spec.partitions.length > 0 ? projectionParameters(location, spec.partitions) : {}),
          },
          partitionKeys: spec.partitions.map((p) => ({ name: p.name, type: p.glueType })),
          storageDescriptor: {
            ...PARQUET,
            location,
            columns: spec.columns,
          },
        },
      });
      table.addResourceDependency(this.database);
      this.tables[spec.name] = table;
    }
  }
}

/** `network_week` -> `NetworkWeekTable` (logical ids are stable: renaming one replaces it). */
function tableId(name: string): string {
  return `${name.replace(/(?:^|_)([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Table`;
}

/** The curated tables, with the columns ingest writes (partition columns are in the key only). */
export function curatedTableSpecs(props: {
  firstWeek: string;
  sourceSystems: readonly string[];
}): CatalogTableSpec[] {
  const byNetworkAndWeek: PartitionColumn[] = PARTITION_COLUMNS.map((name) =>
    name === 'network_code'
      ? { name, glueType: 'string', projection: { type: 'injected' } }
      : {
          name,
          glueType: 'date',
          projection: { type: 'weeks', from: props.firstWeek, weeksAhead: PROJECTED_WEEKS_AHEAD },
        },
  );
  const partitionNames = new Set<string>(PARTITION_COLUMNS);
  const dataColumns = (types: Record<string, string>, columns: readonly string[]) =>
    columns
      .filter((name) => !partitionNames.has(name))
      .map((name) => ({ name, type: glueType(types[name] as string) }));
  return [
    {
      name: 'shifts',
      folder: 'shifts',
      description: 'Canonical shifts, every version as exported (DESIGN §3.1)',
      columns: dataColumns(SHIFT_TYPES, SHIFT_COLUMNS),
      partitions: byNetworkAndWeek,
    },
    {
      name: 'availability',
      folder: 'availability',
      description: 'Clinician availability, every version as exported (DESIGN §3.2)',
      columns: dataColumns(AVAILABILITY_TYPES, AVAILABILITY_COLUMNS),
      partitions: byNetworkAndWeek,
    },
    {
      name: 'rejects',
      folder: 'rejects',
      description: 'Rejected export rows with reason codes, one file per export with rejects',
      columns: Object.entries(REJECT_TYPES)
        .filter(([name]) => name !== 'source_system')
        .map(([name, type]) => ({ name, type: glueType(type) })),
      partitions: [
        {
          name: 'source_system',
          glueType: 'string',
          projection: { type: 'enum', values: props.sourceSystems },
        },
      ],
    },
  ];
}

/**
 * The metric tables, unpartitioned: each is one Parquet file in its own folder, rewritten whole by
 * every publish (src/curated/curated-layout.ts `metricFolder`).
 */
export function metricTableSpecs(): CatalogTableSpec[] {
  return Object.entries(METRIC_COLUMNS).map(([name, columns]) => ({
    name,
    folder: metricFolder(name).replace(/\/$/, ''),
    description: `Metric table ${name} (queries/${name}.sql, docs/metrics.md)`,
    columns: Object.entries(columns).map(([column, type]) => ({
      name: column,
      type: glueType(type),
    })),
    partitions: [],
  }));
}

/**
 * How far past now the week_start projection reaches: every week ingest accepts a shift in (at
 * most DEFAULT_DATE_WINDOW.maxDaysAhead days after its export's date, src/ingest/date-window.ts),
 * and one more. A deployment that raises ROTASCOPE_MAX_DAYS_AHEAD must raise this with it.
 */
export const PROJECTED_WEEKS_AHEAD = Math.ceil(DEFAULT_DATE_WINDOW.maxDaysAhead / 7) + 1;

/** Athena partition-projection table properties for Hive-style `name=value/` folders. */
export function projectionParameters(
  location: string,
  partitions: readonly PartitionColumn[],
): Record<string, string> {
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const { name, projection } of partitions) {
    const key = `projection.${name}`;
    if (projection.type === 'injected') {
      parameters[`${key}.type`] = 'injected';
    } else if (projection.type === 'enum') {
      if (projection.values.length === 0) throw new Error(`No values to project for ${name}`);
      parameters[`${key}.type`] = 'enum';
      parameters[`${key}.values`] = projection.values.join(',');
    } else {
      parameters[`${key}.type`] = 'date';
      parameters[`${key}.format`] = 'yyyy-MM-dd';
      // Athena's relative end (NOW+<n>WEEKS): the rota is published weeks ahead, and a range
      // ending at NOW would hide every future week from every query (open shifts next week).
      parameters[`${key}.range`] = `${projection.from},NOW+${projection.weeksAhead}WEEKS`;
      parameters[`${key}.interval`] = '1';
      parameters[`${key}.interval.unit`] = 'WEEKS';
    }
  }
  parameters['storage.location.template'] =
    location + partitions.map(({ name }) => `${name}=\${${name}}/`).join('');
  return parameters;
}
