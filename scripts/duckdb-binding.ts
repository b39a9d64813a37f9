/**
 * DuckDB's native binding for the architecture the pipeline functions run on
 * (infra/lambda-architecture.ts), for the Lambda build (scripts/build-lambdas.ts).
 *
 * - x86_64: `@duckdb/node-bindings-linux-x64`, which npm installed into node_modules on this
 *   (linux-x64) machine; package-lock.json pins its integrity and `npm ci` checks it.
 * - arm64: `@duckdb/node-bindings-linux-arm64`, which npm does not install here (it installs only
 *   the host's optional platform package). The build fetches its tarball once with `npm pack`
 *   into a cache folder (`.cache/duckdb-bindings/`, not committed), checks it against the
 *   integrity pinned below (the registry's `dist.integrity`, sha512) before unpacking, and reuses
 *   it while it still matches. Only the build reaches the registry, and only for arm64; synth and
 *   the tests never do.
 *
 * Either way the unpacked package is checked before it is copied into an artefact: its
 * package.json names the package and version expected, for Linux and the CPU asked for, and both
 * native files (`duckdb.node` and `libduckdb.so`, which it loads from its own folder) are 64-bit
 * little-endian ELF for that machine (x86-64 or AArch64).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  duckdbBindingPackage,
  ELF_MACHINE,
  type LambdaArchitecture,
} from '../infra/lambda-architecture.js';

const run = promisify(execFile);

/** A package version fetched from the registry, with the integrity it must have. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  /** Subresource-integrity string, as `npm view <name>@<version> dist.integrity` prints it. */
  readonly integrity: string;
}

/**
 * The arm64 binding, pinned. Its version must be the one `@duckdb/node-bindings` (the loader in
 * node_modules) lists among its optional dependencies: on a DuckDB upgrade, update both fields
 * from `npm view @duckdb/node-bindings-linux-arm64@<version> dist.integrity`.
 */
export const ARM64_BINDING: PinnedPackage = {
  name: '@duckdb/node-bindings-linux-arm64',
  version: '1.5.5-r.5',
  integrity:
    'sha512-CafH2AIvXtpwDynG3KB/4uEOHRGlFoB7auCRMIwH3BKNIobsANV5LSpDJ3tfyRCFIsK6e8AT1eseWVnu2Dv3cw==',
};

/** The native files of a binding package (the `.node` addon loads the library beside it). */
export const NATIVE_FILES = ['duckdb.node', 'libduckdb.so'] as const;

/** `sha512-<base64>` of the bytes (the form npm's `integrity` fields take). */
export function sha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** The ELF header's `e_machine` of a 64-bit little-endian ELF file; throws for anything else. */
export async function elfMachine(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(20);
    const { bytesRead } = await handle.read(header, 0, 20, 0);
    const magic = header.subarray(0, 4).toString('latin1');
    if (bytesRead < 20 || magic !== '\x7fELF') throw new Error(`${file} is not an ELF file`);
    if (header[4] !== 2 || header[5] !== 1) {
      throw new Error(`${file} is not a 64-bit little-endian ELF file`);
    }
    return header.readUInt16LE(18);
  } finally {
    await handle.close();
  }
}

/**
 * Checks that `dir` holds the binding package for `arch` at `version`: its package.json and the
 * ELF machine of its native files. Throws naming what differs.
 */
export async function checkBindingPackage(
  dir: string,
  arch: LambdaArchitecture,
  version: string,
): Promise<void> {
  const name = duckdbBindingPackage(arch);
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
    os?: string[];
    cpu?: string[];
  };
  const cpu = arch === 'arm64' ? 'arm64' : 'x64';
  const found = `${pkg.name}@${pkg.version} (os ${pkg.os}, cpu ${pkg.cpu})`;
  if (
    pkg.name !== name ||
    pkg.version !== version ||
    !pkg.os?.includes('linux') ||
    !pkg.cpu?.includes(cpu)
  ) {
    throw new Error(`${dir} holds ${found}; expected ${name}@${version} for linux ${cpu}.`);
  }
  for (const file of NATIVE_FILES) {
    const machine = await elfMachine(path.join(dir, file));
    if (machine !== ELF_MACHINE[arch]) {
      throw new Error(
        `${path.join(dir, file)} is built for ELF machine ${machine}, not ${arch} ` +
          `(${ELF_MACHINE[arch]}).`,
      );
    }
  }
}

/** Fetches `pinned`'s tarball into `dir` and returns its path (npm pack, from the registry). */
export type TarballFetcher = (pinned: PinnedPackage, dir: string) => Promise<string>;

export const npmPack: TarballFetcher = async (pinned, dir) => {
  const { stdout } = await run(
    'npm',
    ['pack', `${pinned.name}@${pinned.version}`, '--pack-destination', dir, '--json'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${pinned.name}@${pinned.version} packed nothing`);
  return path.join(dir, packed.filename);
};

/** The cached tarball's file name. */
export function tarballName(pinned: PinnedPackage): string {
  return `${pinned.name.replace(/^@/, '').replace('/', '-')}-${pinned.version}.tgz`;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * The path of `pinned`'s tarball in `cacheDir`, fetched with `fetch` unless a copy with the pinned
 * integrity is already there. A fetched tarball whose integrity differs is deleted and refused.
 */
export async function cachedTarball(
  pinned: PinnedPackage,
  cacheDir: string,
  fetch: TarballFetcher = npmPack,
): Promise<string> {
  const target = path.join(cacheDir, tarballName(pinned));
  if (await exists(target)) {
    if (sha512Integrity(await readFile(target)) === pinned.integrity) return target;
    await rm(target); // a partial or replaced download: fetch it again
  }
  await mkdir(cacheDir, { recursive: true });
  const scratch = await mkdtemp(path.join(cacheDir, 'fetch-'));
  try {
    const fetched = await fetch(pinned, scratch);
    const integrity = sha512Integrity(await readFile(fetched));
    if (integrity !== pinned.integrity) {
      throw new Error(
        `${pinned.name}@${pinned.version} from the registry has integrity ${integrity}, not the ` +
          `pinned ${pinned.integrity} (scripts/duckdb-binding.ts): refusing to package it.`,
      );
    }
    await rename(fetched, target);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Unpacks the verified arm64 binding into `dest` (the package's folder, replaced) and checks it.
 * `expectedVersion` is the version the installed loader (`@duckdb/node-bindings`) asks for.
 */
export async function unpackArm64Binding(
  dest: string,
  cacheDir: string,
  expectedVersion: string,
  pinned: PinnedPackage = ARM64_BINDING,
  fetch: TarballFetcher = npmPack,
): Promise<void> {
  if (pinned.version !== expectedVersion) {
    throw new Error(
      `The pinned arm64 binding is ${pinned.name}@${pinned.version} but the installed loader ` +
        `@duckdb/node-bindings wants ${expectedVersion}: update ARM64_BINDING in ` +
        'scripts/duckdb-binding.ts (version and `npm view ... dist.integrity`).',
    );
  }
  const tarball = await cachedTarball(pinned, cacheDir, fetch);
  await rm(dest, { recursive: true, force: true });
  const parent = path.dirname(dest);
  await mkdir(parent, { recursive: true });
  const scratch = await mkdtemp(path.join(parent, '.unpack-'));
  try {
    // npm tarballs hold one folder, `package/`.
    await run('tar', ['-xzf', tarball, '-C', scratch]);
    await rename(path.join(scratch, 'package'), dest);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await checkBindingPackage(dest, 'arm64', expectedVersion);
}
