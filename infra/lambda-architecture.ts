/**
 * The instruction set the pipeline functions (ingest, publish) run on, shared by the Lambda build
 * (scripts/build-lambdas.ts), which packages DuckDB's native binding for it, and the stack
 * (infra/pipeline-function.ts), which deploys the artefacts on it. No dependencies, so the build
 * can import it without loading the CDK.
 *
 * The build writes `build.json` (ARTEFACT_MANIFEST) into each pipeline artefact naming the
 * architecture its binding was packaged for; synth refuses an artefact built for another one
 * (an x86_64 `duckdb.node` on arm64 fails only at the first import, in AWS).
 */

/** Lambda's names for the two architectures (what CloudFormation's `Architectures` holds). */
export const LAMBDA_ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/**
 * The default: x86_64, the architecture whose binding npm installs here and in CI, and whose
 * artefacts the integration tests run. arm64 is built and checked statically but has never run
 * in this repository's tests (docs/deploying.md, "Runtime and architecture").
 */
export const DEFAULT_LAMBDA_ARCHITECTURE: LambdaArchitecture = 'x86_64';

/** The file in each pipeline artefact that records what the build packaged. */
export const ARTEFACT_MANIFEST = 'build.json';

export interface ArtefactManifest {
  readonly architecture: LambdaArchitecture;
  /** The DuckDB binding package packaged, as `<name>@<version>`. */
  readonly duckdbBinding: string;
}

/** The npm package of DuckDB's native binding (glibc: Lambda's Amazon Linux 2023) for `arch`. */
export function duckdbBindingPackage(arch: LambdaArchitecture): string {
  return arch === 'arm64' ? '@duckdb/node-bindings-linux-arm64' : '@duckdb/node-bindings-linux-x64';
}

/** The ELF `e_machine` a native binary for `arch` must have: 62 is x86-64, 183 is AArch64. */
export const ELF_MACHINE: Record<LambdaArchitecture, number> = { x86_64: 62, arm64: 183 };

export function isLambdaArchitecture(value: unknown): value is LambdaArchitecture {
  return typeof value === 'string' && (LAMBDA_ARCHITECTURES as readonly string[]).includes(value);
}
