/**
 * The Glue catalog and the Athena workgroup: tables declared whole (no crawler), Parquet, with
 * partition projection whose location template gives exactly the folders ingest writes to, and
 * columns and types that match the Parquet files ingest writes (a real ingest of the generic
 * fixture, read back with DuckDB's `parquet_schema`).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatedTableSpecs, metricTableSpecs, projectionParameters } from '../../infra/catalog.js';
import { glueType } from '../../infra/glue-types.js';
import { mappedSourceSystems } from '../../infra/rotascope-stack.js';
import { dataKey, metricFolder, rejectsKey } from '../../src/curated/curated-layout.js';
import { PARTITION_COLUMNS } from '../../src/curated/curated-schema.js';
import { tableRows } from '../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../src/engine/duckdb-engine.js';
import { writeMetrics } from '../../src/metrics/compute-metrics.js';
import { metricTableNames } from '../../src/metrics/query-files.js';
import {
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../helpers/stores.js';
import { ofType, PRODUCTION_READY, type Resource, resolveText, synthesise } from './synthesise.js';

const synthesised = synthesise();
const { stack, resources, logicalId } = synthesised;
afterAll(() => synthesised.cleanup());

type TableInput = {
  Name: string;
  TableType: string;
  Parameters: Record<string, unknown>;
  PartitionKeys: { Name: string; Type: string }[];
  StorageDescriptor: {
    Location: unknown;
    Columns: { Name: string; Type: string }[];
    InputFormat: string;
    OutputFormat: string;
    SerdeInfo: { SerializationLibrary: string };
  };
};

const tables = Object.fromEntries(
  Object.values(ofType(resources, 'AWS::Glue::Table')).map((r: Resource) => {
    const input = r.Properties?.TableInput as TableInput;
    return [input.Name, { resource: r, input }];
  }),
);
const curatedId = logicalId(stack.storage.curated);

/** The location template with its bucket as `<CuratedLogicalId>` and values substituted. */
function folderFor(table: string, values: Record<string, string>): string {
  const template = resolveText(tables[table]?.input.Parameters['storage.location.template']);
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for \${${name}}`);
    return value;
  });
}

const folderOf = (key: string) => `s3://<${curatedId}>/${key.slice(0, key.lastIndexOf('/') + 1)}`;

const CURATED = ['availability', 'rejects', 'shifts'];
const METRICS = await metricTableNames();

/** The catalog table a curated key belongs to, and the folder under it the key sits in. */
function tableOfKey(key: string): { table: string; partitionPath: string[] } {
  const parts = key.split('/');
  const [table, ...rest] = parts[0] === 'metrics' ? parts.slice(1) : parts;
  return { table: table ?? '', partitionPath: rest.slice(0, -1) };
}

describe('Glue database and tables', () => {
  it('declares the stage database, the curated tables and every metric table', () => {
    const databases = Object.values(ofType(resources, 'AWS::Glue::Database'));
    expect(databases.map((d) => d.Properties?.DatabaseInput)).toEqual([
      expect.objectContaining({ Name: 'rotascope_dev' }),
    ]);
    expect(Object.keys(tables).sort()).toEqual([...CURATED, ...METRICS].sort());
    expect(METRICS).toContain('network_week');
    for (const { resource } of Object.values(tables)) {
      expect(resource.Properties?.DatabaseName).toBe('rotascope_dev');
      expect(resource.DependsOn).toEqual([logicalId(stack.catalog.database)]);
    }
  });

  it('uses no crawler, classifier or Glue job (tables are declared, partitions projected)', () => {
    const glueTypes = new Set(
      Object.values(resources)
        .map((r) => r.Type)
        .filter((type) => type.startsWith('AWS::Glue::')),
    );
    expect([...glueTypes].sort()).toEqual(['AWS::Glue::Database', 'AWS::Glue::Table']);
  });

  it('reads Parquet with the Hive Parquet SerDe from the table folder', () => {
    for (const [name, { input }] of Object.entries(tables)) {
      expect(input.TableType, name).toBe('EXTERNAL_TABLE');
      expect(input.Parameters.classification, name).toBe('parquet');
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary, name).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      );
      expect(input.StorageDescriptor.InputFormat, name).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      );
      const folder = CURATED.includes(name) ? `${name}/` : metricFolder(name);
      expect(resolveText(input.StorageDescriptor.Location), name).toBe(
        `s3://<${curatedId}>/${folder}`,
      );
    }
  });

  it("projects a shift key's folder exactly as curated-layout builds it", () => {
    // Prepare: a real key, partitioned as ingest partitions (DuckDB's Hive folders).
    const values = { network_code: 'U60865', week_start: '2026-11-16' };
    const partitionPath = PARTITION_COLUMNS.map((c) => `${c}=${values[c]}`).join('/');
    // Act
    const keys = {
      shifts: dataKey('shifts', partitionPath, '0123456789abcdef01234567', 0),
      availability: dataKey('availability', partitionPath, '0123456789abcdef01234567', 2),
    };
    // Assess
    for (const [table, key] of Object.entries(keys)) {
      expect(folderFor(table, values), table).toBe(folderOf(key));
      expect(tables[table]?.input.PartitionKeys.map((k) => k.Name)).toEqual([...PARTITION_COLUMNS]);
    }
  });

  it("projects a rejects key's folder exactly as curated-layout builds it", () => {
    const key = rejectsKey('generic', '0123456789abcdef01234567');
    expect(folderFor('rejects', { source_system: 'generic' })).toBe(folderOf(key));
  });

  it('injects network codes, steps week_start a week at a time from a Monday', () => {
    const parameters = tables.shifts?.input.Parameters;
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.network_code.type': 'injected',
      'projection.week_start.type': 'date',
      'projection.week_start.format': 'yyyy-MM-dd',
      'projection.week_start.range': '2019-07-01,NOW+59WEEKS',
      'projection.week_start.interval': '1',
      'projection.week_start.interval.unit': 'WEEKS',
    });
    const days = (Date.parse('2026-11-16') - Date.parse('2019-07-01')) / 86_400_000;
    expect(days % 7).toBe(0);
    expect(tables.availability?.input.Parameters).toMatchObject(
      Object.fromEntries(Object.entries(parameters ?? {}).filter(([k]) => k.startsWith('proj'))),
    );
  });

  it('enumerates the source systems that have a mapping for rejects', () => {
    const values = String(tables.rejects?.input.Parameters['projection.source_system.values']);
    expect(tables.rejects?.input.Parameters['projection.source_system.type']).toBe('enum');
    expect(values.split(',')).toEqual(mappedSourceSystems());
    expect(values.split(',')).toContain('generic');
  });

  it('leaves the metric tables unpartitioned and unprojected (one file each, rewritten whole)', () => {
    for (const name of METRICS) {
      const input = tables[name]?.input;
      expect(input?.PartitionKeys, name).toEqual([]);
      expect(Object.keys(input?.Parameters ?? {}).sort(), name).toEqual([
        'EXTERNAL',
        'classification',
      ]);
    }
  });

  it('projects every partition column, and nothing else', () => {
    for (const [name, { input }] of Object.entries(tables)) {
      const projected = Object.keys(input.Parameters)
        .map((k) => /^projection\.(\w+)\.type$/.exec(k)?.[1])
        .filter((k) => k !== undefined);
      expect(projected, name).toEqual(input.PartitionKeys.map((k) => k.Name));
    }
  });

  it('refuses an enum projection with no values', () => {
    expect(() =>
      projectionParameters('s3://b/t/', [
        { name: 'source_system', glueType: 'string', projection: { type: 'enum', values: [] } },
      ]),
    ).toThrow('No values to project for source_system');
  });
});

describe('Glue columns against the Parquet ingest and metrics write', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let written: string[] = [];

  beforeAll(async () => {
    // Prepare
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    await putU60865Exports(stores, ['shifts', 'availability']);
    // Act
    await ingestTestStores(stores, engine);
    await writeMetrics({ engine, curated: stores.curated });
    written = (await stores.curated.list()).map((o) => o.key).filter((k) => k.endsWith('.parquet'));
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  async function parquetColumns(key: string) {
    const file = path.join(stores.dir, 'curated', key);
    const rows = tableRows<{ column_name: string; column_type: string }>(
      await engine.query(
        `describe select * from read_parquet(${sqlString(file)}, hive_partitioning = false)`,
      ),
    );
    return rows.map((r) => ({ Name: r.column_name, Type: glueType(r.column_type) }));
  }

  it('writes files into every table the catalog declares', () => {
    for (const table of Object.keys(tables)) {
      expect(
        written.some((k) => tableOfKey(k).table === table),
        table,
      ).toBe(true);
    }
  });

  it('declares exactly the columns and types of every written file, partition columns aside', async () => {
    for (const key of written.filter((k) => !k.startsWith('compacted/'))) {
      const { table } = tableOfKey(key);
      const input = tables[table]?.input;
      expect(input, key).toBeDefined();
      const partitions = new Set(input?.PartitionKeys.map((k) => k.Name));
      const inFile = (await parquetColumns(key)).filter((c) => !partitions.has(c.Name));
      expect(input?.StorageDescriptor.Columns, key).toEqual(inFile);
    }
  });

  it('finds every written file under its projected folder', () => {
    for (const key of written.filter((k) => !k.startsWith('compacted/'))) {
      const { table, partitionPath } = tableOfKey(key);
      const input = tables[table]?.input;
      const names = input?.PartitionKeys.map((k) => k.Name) ?? [];
      const values = Object.fromEntries(
        partitionPath.map((part) => part.split('=') as [string, string]),
      );
      expect(Object.keys(values), key).toEqual(names);
      const folder =
        names.length > 0
          ? folderFor(table, values)
          : resolveText(input?.StorageDescriptor.Location);
      expect(folder, key).toBe(folderOf(key));
    }
  });

  it('matches the specs the catalog was built from', () => {
    const specs = [
      ...curatedTableSpecs({ firstWeek: '2019-07-01', sourceSystems: ['generic'] }),
      ...metricTableSpecs(),
    ];
    expect(specs.map((s) => s.name).sort()).toEqual(Object.keys(tables).sort());
    for (const spec of specs) {
      expect(tables[spec.name]?.input.StorageDescriptor.Columns).toEqual(
        spec.columns.map((c) => ({ Name: c.name, Type: c.type })),
      );
    }
  });
});

describe('Athena workgroup', () => {
  const workGroups = Object.values(ofType(resources, 'AWS::Athena::WorkGroup'));
  const properties = workGroups[0]?.Properties as Record<string, unknown>;

  it('enforces its settings: encrypted results in the results bucket, a scan cutoff, metrics', () => {
    expect(workGroups).toHaveLength(1);
    expect(properties.Name).toBe('rotascope-dev');
    expect(properties.WorkGroupConfiguration).toEqual({
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      BytesScannedCutoffPerQuery: 1024 ** 3,
      EngineVersion: { SelectedEngineVersion: 'AUTO' },
      ResultConfiguration: {
        OutputLocation: {
          'Fn::Join': ['', ['s3://', { Ref: logicalId(stack.storage.athenaResults) }, '/']],
        },
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
      },
    });
  });

  it('takes the cutoff from the stage config (10 GB outside dev)', () => {
    const prod = synthesise({ stage: 'prod', config: PRODUCTION_READY });
    const [workGroup] = Object.values(ofType(prod.resources, 'AWS::Athena::WorkGroup'));
    expect(workGroup?.Properties?.WorkGroupConfiguration).toMatchObject({
      BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
    });
    prod.cleanup();
  });
});
