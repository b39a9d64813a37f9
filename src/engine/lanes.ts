/**
 * Run jobs side by side on a few lanes (DuckDB connections or engines, each single-threaded): each
 * lane takes the next job when it is free. Used where DuckDB's own threads cost more than they
 * give, or would make the output depend on their timing: compacting small partitions
 * (src/metrics/compact-curated.ts) and writing a large export's groups of partitions
 * (src/ingest/write-curated.ts). What a job writes must not depend on its lane.
 */

/**
 * Run `work` for every job on `lanes` at once. The first failure stops new jobs from starting and
 * is thrown once the running ones have ended.
 */
export async function runInLanes<L, T>(
  lanes: readonly L[],
  jobs: readonly T[],
  work: (lane: L, job: T, laneIndex: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const ended = await Promise.allSettled(
    lanes.map(async (lane, laneIndex) => {
      while (!failed && next < jobs.length) {
        const job = jobs[next++] as T;
        try {
          await work(lane, job, laneIndex);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
  const failure = ended.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
