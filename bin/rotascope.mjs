#!/usr/bin/env node
// Entry point of the `rotascope` command: loads the TypeScript sources through tsx, then runs the
// CLI (src/cli/main.ts). Exit code 0 on success, 1 on failure, 2 on a usage error.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
// Ctrl-C or a kill during ingest: remove the scratch copies of exports before exiting.
const { installSignalCleanup } = await import('../src/ingest/temp-dirs.ts');
installSignalCleanup();
const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
process.exitCode = code;
