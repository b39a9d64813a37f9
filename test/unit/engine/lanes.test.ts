import { describe, expect, it } from 'vitest';
import { runInLanes } from '../../../src/engine/lanes.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runInLanes', () => {
  it('runs every job once, on lanes side by side', async () => {
    const done: number[] = [];
    const byLane = new Map<string, number>();
    let running = 0;
    let most = 0;
    await runInLanes(['a', 'b'], [0, 1, 2, 3, 4], async (lane, job) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      done.push(job);
      byLane.set(lane, (byLane.get(lane) ?? 0) + 1);
      running -= 1;
    });
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect([...byLane.keys()].sort()).toEqual(['a', 'b']);
  });

  it('stops taking jobs after a failure and throws it once the running ones end', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = runInLanes(['a', 'b'], [0, 1, 2, 3, 4, 5], async (_lane, job) => {
      started.push(job);
      await tick();
      if (job === 1) throw new Error('job 1 failed');
      ended.push(job);
    });
    await expect(run).rejects.toThrow('job 1 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(ended).toEqual([0, 2]);
  });
});
