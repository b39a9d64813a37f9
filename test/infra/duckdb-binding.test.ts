/**
 * The Lambda build's DuckDB binding (scripts/duckdb-binding.ts, scripts/build-lambdas.ts): the
 * x86_64 binding copied from node_modules and checked, the arm64 binding's tarball fetched into a
 * cache, checked against its pinned integrity, unpacked and checked (ELF machine AArch64), and the
 * artefact's build.json. Offline: the "registry" is a local tarball made here, whose integrity
 * the test pins; the real pin is checked against the installed loader and shown to be enforced.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTEFACT_MANIFEST } from '../../infra/lambda-architecture.js';
import { addDuckdbBinding, parseBuildArguments } from '../../scripts/build-lambdas.js';
import {
  ARM64_BINDING,
  checkBindingPackage,
  elfMachine,
  type PinnedPackage,
  sha512Integrity,
  type TarballFetcher,
  unpackArm64Binding,
} from '../../scripts/duckdb-binding.js';
import { packageDir } from '../../src/site/site-assets.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'rotascope-binding-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const X64_DIR = packageDir('@duckdb/node-bindings-linux-x64');
const LOADER = JSON.parse(
  readFileSync(path.join(packageDir('@duckdb/node-bindings'), 'package.json'), 'utf8'),
) as { optionalDependencies: Record<string, string> };
const VERSION = '9.9.9-test';

/** 64 bytes of a 64-bit little-endian ELF header with this e_machine. */
function elfHeader(machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // ELFCLASS64
  header[5] = 1; // ELFDATA2LSB
  header.writeUInt16LE(machine, 18);
  return header;
}

let made = 0;
/** An npm-style tarball (`package/...`) of a binding package whose native files have `machine`. */
async function fakeTarball(machine: number, cpu = 'arm64'): Promise<string> {
  const root = path.join(scratch, `tarball-${++made}`);
  mkdirSync(path.join(root, 'package'), { recursive: true });
  const pkg = { name: ARM64_BINDING.name, version: VERSION, os: ['linux'], cpu: [cpu] };
  await writeFile(path.join(root, 'package', 'package.json'), JSON.stringify(pkg));
  for (const file of ['duckdb.node', 'libduckdb.so'])
    await writeFile(path.join(root, 'package', file), elfHeader(machine));
  const tarball = path.join(root, 'binding.tgz');
  execFileSync('tar', ['-czf', tarball, '-C', root, 'package']);
  return tarball;
}

/** A fetcher that copies `tarball` (as npm pack would download it) and counts its calls. */
function localRegistry(tarball: string) {
  const fetcher = {
    calls: 0,
    fetch: (async (_pinned, dir) => {
      fetcher.calls++;
      const file = path.join(dir, 'downloaded.tgz');
      copyFileSync(tarball, file);
      return file;
    }) as TarballFetcher,
  };
  return fetcher;
}

const pinOf = (tarball: string): PinnedPackage => ({
  name: ARM64_BINDING.name,
  version: VERSION,
  integrity: sha512Integrity(readFileSync(tarball)),
});

describe('the installed x86_64 binding', () => {
  it('is a linux-x64 package whose duckdb.node and libduckdb.so are x86-64 ELF', async () => {
    expect(await elfMachine(path.join(X64_DIR, 'duckdb.node'))).toBe(62);
    expect(await elfMachine(path.join(X64_DIR, 'libduckdb.so'))).toBe(62);
    const version = LOADER.optionalDependencies['@duckdb/node-bindings-linux-x64'] as string;
    await expect(checkBindingPackage(X64_DIR, 'x86_64', version)).resolves.toBeUndefined();
    await expect(checkBindingPackage(X64_DIR, 'arm64', version)).rejects.toThrow(
      /holds @duckdb\/node-bindings-linux-x64@.*expected @duckdb\/node-bindings-linux-arm64/,
    );
  });

  it('is copied into the artefact with a build.json naming x86_64 and the binding', async () => {
    const out = path.join(scratch, 'x64-artefact');
    const manifest = await addDuckdbBinding(out);
    const expected = {
      architecture: 'x86_64',
      duckdbBinding: `@duckdb/node-bindings-linux-x64@${LOADER.optionalDependencies['@duckdb/node-bindings-linux-x64']}`,
    };
    expect(manifest).toEqual(expected);
    expect(JSON.parse(readFileSync(path.join(out, ARTEFACT_MANIFEST), 'utf8'))).toEqual(expected);
    const copied = path.join(out, 'node_modules', '@duckdb', 'node-bindings-linux-x64');
    expect(await elfMachine(path.join(copied, 'duckdb.node'))).toBe(62);
  });
});

describe('the arm64 binding', () => {
  it('is pinned at the version the installed loader loads on linux-arm64', () => {
    expect(ARM64_BINDING.version).toBe(
      LOADER.optionalDependencies['@duckdb/node-bindings-linux-arm64'],
    );
    expect(ARM64_BINDING.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it('is fetched once into the cache, checked and unpacked as an AArch64 package', async () => {
    const tarball = await fakeTarball(183);
    const registry = localRegistry(tarball);
    const cache = path.join(scratch, 'cache-ok');
    const dest = path.join(
      scratch,
      'arm-ok',
      'node_modules',
      '@duckdb',
      'node-bindings-linux-arm64',
    );
    await unpackArm64Binding(dest, cache, VERSION, pinOf(tarball), registry.fetch);
    expect(await elfMachine(path.join(dest, 'duckdb.node'))).toBe(183);
    expect(await elfMachine(path.join(dest, 'libduckdb.so'))).toBe(183);
    expect(registry.calls).toBe(1);
    // Built again: the cached tarball still matches its pin, so the registry is not asked.
    await unpackArm64Binding(dest, cache, VERSION, pinOf(tarball), registry.fetch);
    expect(registry.calls).toBe(1);
    expect(await elfMachine(path.join(dest, 'duckdb.node'))).toBe(183);
  });

  it('is refused, and not cached, when the tarball differs from the pinned integrity', async () => {
    const tarball = await fakeTarball(183);
    const cache = path.join(scratch, 'cache-tampered');
    const dest = path.join(scratch, 'arm-tampered', 'node-bindings-linux-arm64');
    const pin = { ...pinOf(tarball), integrity: sha512Integrity(Buffer.from('another tarball')) };
    await expect(
      unpackArm64Binding(dest, cache, VERSION, pin, localRegistry(tarball).fetch),
    ).rejects.toThrow(/has integrity sha512-.*not the pinned .*refusing to package it/);
    expect(existsSync(dest)).toBe(false);
    expect(execFileSync('ls', ['-A', cache], { encoding: 'utf8' })).toBe('');
  });

  it('is refused when its native files are not AArch64, even with a matching integrity', async () => {
    const tarball = await fakeTarball(62);
    const dest = path.join(scratch, 'arm-x86', 'node-bindings-linux-arm64');
    await expect(
      unpackArm64Binding(
        dest,
        path.join(scratch, 'cache-x86'),
        VERSION,
        pinOf(tarball),
        localRegistry(tarball).fetch,
      ),
    ).rejects.toThrow(/duckdb.node is built for ELF machine 62, not arm64 \(183\)/);
  });

  it('is refused when the pin is not the version the installed loader wants', async () => {
    const tarball = await fakeTarball(183);
    await expect(
      unpackArm64Binding(
        path.join(scratch, 'arm-version', 'pkg'),
        path.join(scratch, 'cache-version'),
        '1.0.0',
        pinOf(tarball),
        localRegistry(tarball).fetch,
      ),
    ).rejects.toThrow(/pinned arm64 binding is .*@9\.9\.9-test but .* wants 1\.0\.0/);
  });

  it('is checked against the real pin by the build (a tarball that is not the registry one fails)', async () => {
    const tarball = await fakeTarball(183);
    const registry = localRegistry(tarball);
    await expect(
      addDuckdbBinding(path.join(scratch, 'arm-build'), {
        architecture: 'arm64',
        bindingCache: path.join(scratch, 'cache-build'),
        fetchTarball: registry.fetch,
      }),
    ).rejects.toThrow(`not the pinned ${ARM64_BINDING.integrity}`);
    expect(registry.calls).toBe(1);
    expect(existsSync(path.join(scratch, 'arm-build', ARTEFACT_MANIFEST))).toBe(false);
  });
});

describe('npm run build:lambdas arguments', () => {
  it('take an output folder and --architecture, and refuse anything else', () => {
    expect(parseBuildArguments([])).toEqual({ outDir: undefined, options: {} });
    expect(parseBuildArguments(['out', '--architecture', 'arm64'])).toEqual({
      outDir: 'out',
      options: { architecture: 'arm64' },
    });
    expect(parseBuildArguments(['--architecture=x86_64'])).toEqual({
      outDir: undefined,
      options: { architecture: 'x86_64' },
    });
    expect(() => parseBuildArguments(['--architecture', 'aarch64'])).toThrow(
      '--architecture: the architecture must be one of x86_64, arm64',
    );
    expect(() => parseBuildArguments(['a', 'b'])).toThrow('Unexpected argument b');
  });

  it("take the architecture from a stage's config JSON, as the deploy workflow passes it", () => {
    expect(parseBuildArguments(['--stage-config', '{"architecture":"arm64"}'])).toEqual({
      outDir: undefined,
      options: { architecture: 'arm64' },
    });
    expect(parseBuildArguments(['--stage-config={"alarmEmails":[]}'])).toEqual({
      outDir: undefined,
      options: { architecture: 'x86_64' },
    });
    expect(() => parseBuildArguments(['--stage-config', '{"architecture":"arm"}'])).toThrow(
      '--stage-config: the architecture must be one of x86_64, arm64',
    );
    expect(() => parseBuildArguments(['--stage-config', 'not json'])).toThrow(
      '--stage-config must be the stage configuration as JSON',
    );
  });
});
