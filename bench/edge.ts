/**
 * `npm run bench:edge`: build the Lambda@Edge authoriser (scripts/build-lambdas.ts) and print its
 * size zipped (limit 1 MB) and its module load: the bundle required in a fresh Node process, the
 * time from before `require` to after it, median and worst of `runs` processes (default 21). The
 * load is the part of a cold start the bundle decides; Node's own start is not in it.
 *
 *   npm run bench:edge -- [runs]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildEdgeArtefact, deflatedBytes } from '../scripts/build-lambdas.js';

const runs = Number(process.argv[2] ?? 21);
const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-edge-'));
try {
  await buildEdgeArtefact(dir);
  // What the stack adds at synth (infra/edge-auth.ts); the handler reads it at load.
  const files = { parameterName: '/rotascope/edge', parameterRegion: 'eu-west-2' };
  await writeFile(path.join(dir, 'edge-config.json'), JSON.stringify(files));
  const bundle = path.join(dir, 'bundle', 'index.js');
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(
      Number(
        execFileSync(process.execPath, ['-e', probe], {
          env: { ...process.env, LAMBDA_TASK_ROOT: dir },
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .toString()
          .trim(),
      ),
    );
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(`edge-auth: ${((await deflatedBytes(dir)) / 1e3).toFixed(0)} kB zipped (limit 1 MB)`);
  console.log(
    `edge-auth module load: median ${median.toFixed(1)} ms, worst ${times.at(-1)?.toFixed(1)} ms over ${runs} fresh processes`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
