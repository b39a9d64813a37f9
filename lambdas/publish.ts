/**
 * Weekly publish Lambda (EventBridge Scheduler, or on demand): compute the metric tables from
 * curated data and publish the site to the site bucket.
 */
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { metrics, openRuntime, publish, type Runtime } from '../src/pipeline.js';
import { PublishEventSchema } from './events.js';

/** Kept for the container's life: one key read and one set of clients per container. */
let rt: Runtime | undefined;

export async function handler(event: unknown) {
  PublishEventSchema.parse(event ?? {});
  rt ??= openRuntime(loadConfig(process.env), systemClock, (message) => console.log(message));
  const result = await publish(rt, await metrics(rt));
  return { files: result.files, networks: result.networks, weeks: result.weeks };
}
