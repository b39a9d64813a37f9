/**
 * Weekly publish Lambda (EventBridge Scheduler on Monday 06:00 Europe/London, or on demand with
 * `{"week":"2026-W46"}`, optionally `"engine":"athena"`): compute the metric tables from curated
 * data (with the stage's engine, ROTASCOPE_ENGINE, unless the event names one), publish the site to the
 * site bucket with that week's weekly reports (default: each network's own latest complete week;
 * a week not over yet, or that no network's data covers, is refused), and, when
 * ROTASCOPE_ANNOUNCE_TOPIC_ARN is set, post one message per network about its report (once: a
 * retried run skips those already sent, recorded under `announced/` in curated, announce.ts). A run that
 * publishes writes its business metrics (duration of metrics and publish, networks and files
 * published) as one EMF line (business-metrics.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SNSClient } from '@aws-sdk/client-sns';
import { systemClock } from '../src/clock.js';
import { type EngineKind, loadConfig } from '../src/config.js';
import {
  metrics,
  openRuntime,
  publish,
  type Runtime,
  requestedReportWeek,
} from '../src/pipeline.js';
import { addPublishMetrics, businessMetrics } from './business-metrics.js';
import { PublishEventSchema } from './events.js';

const logger = new Logger({ serviceName: 'rotascope-publish' });
/** The business metrics, written as EMF (business-metrics.ts). */
const emf = businessMetrics('rotascope-publish');

/** Kept for the container's life (one per engine asked for): one key read, one set of clients. */
const runtimes = new Map<string, Runtime>();
let sns: SNSClient | undefined;

function runtimeFor(engine: EngineKind | undefined): Runtime {
  const key = engine ?? 'stage';
  let rt = runtimes.get(key);
  if (!rt) {
    const config = loadConfig(process.env, { engine });
    rt = openRuntime(config, systemClock, (message) => logger.info(message));
    runtimes.set(key, rt);
  }
  return rt;
}

/** What the handler uses of the Lambda context (aws-lambda's Context). */
export interface PublishContext {
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/**
 * What the publish lock records of this run: when it is certainly over (the function's timeout,
 * which it cannot run past), so that the retry of a run that timed out takes the lock over at once
 * (src/site/site-versions.ts), and the request id, to name it in a refusal.
 */
export function lockHolder(context: PublishContext | undefined, now: Date) {
  return context === undefined
    ? {}
    : {
        deadline: new Date(now.getTime() + context.getRemainingTimeInMillis()),
        holder: `Lambda request ${context.awsRequestId}`,
      };
}

export async function handler(event: unknown, context?: PublishContext) {
  const { week, engine } = PublishEventSchema.parse(event ?? {});
  const rt = runtimeFor(engine);
  const lock = lockHolder(context, rt.clock.now());
  const reportWeek = week ? requestedReportWeek(week, rt.clock.now()) : undefined;
  const started = performance.now();
  const result = await publish(rt, await metrics(rt), {
    ...(reportWeek ? { reportWeek } : {}),
    lock,
  });
  addPublishMetrics(emf, result, performance.now() - started);
  emf.publishStoredMetrics();
  let announced = 0;
  const topic = rt.config.announceTopicArn;
  if (topic && result.announcements.length > 0) {
    // The SNS client loads when there is something to announce, not with the handler (cold start).
    const { postAnnouncements, SNSClient } = await import('./announce.js');
    sns ??= new SNSClient({ region: rt.config.aws.region });
    const posted = await postAnnouncements(sns, topic, result.announcements, rt.curated);
    announced = posted.posted;
    if (posted.failed.length > 0)
      throw new Error(`${posted.failed.length} announcement(s) refused: ${posted.failed[0]}`);
  }
  logger.info('published', { files: result.files, networks: result.networks, announced });
  return {
    files: result.files,
    networks: result.networks,
    weeks: result.weeks,
    reportWeek: result.reportWeek,
    announced,
  };
}
