/**
 * Lambda@Edge viewer-request function in front of the site (infra/edge-auth.ts): who may open
 * which page (docs/access.md). Lambda@Edge has no environment variables, so what it needs to know
 * is in files beside the bundle, read once per container:
 *
 *   edge-config.json     {"parameterName", "parameterRegion"}: written at synth by the stack
 *   network-icbs.json    network -> ICB code, from data/reference/ at build time
 *
 * and the settings themselves (user pool, app client, sign-in domain, site address, site bucket)
 * are the SSM parameter it names, in the stack's region. The live version of the site is the
 * pointer object `current.json` in the site bucket (src/site/site-versions.ts). Everything else is src/access/edge-handler.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { CloudFrontRequestEvent } from '../src/access/cloudfront-event.js';
import { createEdgeHandler, type EdgeFiles } from '../src/access/edge-handler.js';
import { CALL_TIMEOUT_MS } from '../src/access/edge-services.js';

/** The function's folder: Lambda sets LAMBDA_TASK_ROOT (tests point it at a built artefact). */
const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const readJson = (name: string) => JSON.parse(readFileSync(path.join(root, name), 'utf8'));

const config = readJson('edge-config.json') as Omit<EdgeFiles, 'networkIcbs'>;
const files: EdgeFiles = { ...config, networkIcbs: readJson('network-icbs.json') };
// One try within CALL_TIMEOUT_MS: a viewer request has 5 s in all (edge-services.ts).
const ssm = new SSMClient({ region: files.parameterRegion, maxAttempts: 1 });

const s3Clients = new Map<string, S3Client>();

const handle = createEdgeHandler({
  files,
  readParameter: async (name) => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }), {
      abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!Parameter?.Value) throw new Error(`SSM parameter ${name} has no value`);
    return Parameter.Value;
  },
  // The live version's pointer in the site bucket (src/site/site-versions.ts); none yet: undefined.
  readPointer: async (bucket, region) => {
    let s3 = s3Clients.get(region);
    if (!s3) {
      s3 = new S3Client({ region, maxAttempts: 1 });
      s3Clients.set(region, s3);
    }
    try {
      const { Body } = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'current.json' }),
        {
          abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        },
      );
      return Body ? await Body.transformToString() : undefined;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  },
});

export const handler = (event: CloudFrontRequestEvent) => handle(event);
