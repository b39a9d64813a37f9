/**
 * Ingest's scratch folders hold a copy of the export with raw person ids: none may outlive its
 * run. A killed run's folder is removed by the next run; a run still going keeps its own; the
 * command line removes its folders on SIGTERM or SIGINT before it exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIngestTempDir, removeIngestTempDir } from '../../../src/ingest/temp-dirs.js';
import { packageRoot } from '../../../src/package-root.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rotascope-tempdirs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('ingest scratch folders', () => {
  it('removes the folders of ended runs and keeps those of runs still going', async () => {
    const dead = path.join(root, `rotascope-ingest-${await deadPid()}-abc123`);
    const running = path.join(root, `rotascope-ingest-${process.ppid}-def456`);
    for (const dir of [dead, running]) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'export.csv'), 'person_id\nGMC-7000001\n');
    }
    const mine = await makeIngestTempDir(root);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(path.basename(mine)).toMatch(new RegExp(`^rotascope-ingest-${process.pid}-`));
    await removeIngestTempDir(mine);
    expect(existsSync(mine)).toBe(false);
    await rm(running, { recursive: true });
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'are removed when the command line gets %s',
    async (signal, exitCode) => {
      const script = `
      import { register } from 'tsx/esm/api';
      import { writeFileSync } from 'node:fs';
      register();
      const t = await import(${JSON.stringify(path.join(packageRoot, 'src', 'ingest', 'temp-dirs.ts'))});
      t.installSignalCleanup();
      const dir = await t.makeIngestTempDir(${JSON.stringify(root)});
      writeFileSync(dir + '/export.csv', 'person_id\\nGMC-7000001\\n');
      console.log(dir);
      setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const dir = await new Promise<string>((resolve) =>
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
      );
      expect(existsSync(path.join(dir, 'export.csv'))).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill(signal);
      expect(await exited).toBe(exitCode);
      expect(existsSync(dir)).toBe(false);
      expect((await readdir(root)).filter((n) => n.startsWith('rotascope-ingest-'))).toEqual([]);
    },
    30_000,
  );
});
