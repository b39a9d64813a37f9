/**
 * Lambda@Edge viewer-request function in front of the site (infra/edge-auth.ts): who may open
 * which page (docs/access.md). Lambda@Edge has no environment variables, so what it needs to know
 * is in files beside the bundle, read once per container:
 *
 *   edge-config.json     {"parameterName", "parameterRegion"}: written at synth by the stack
 *   network-icbs.json    network -> ICB code, from data/reference/ at build time
 *
 * and the settings themselves (user pool, app client, sign-in domain, site address) are the SSM
 * parameter it names, in the stack's region. Everything else is src/access/edge-handler.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

const handle = createEdgeHandler({
  files,
  readParameter: async (name) => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }), {
      abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!Parameter?.Value) throw new Error(`SSM parameter ${name} has no value`);
    return Parameter.Value;
  },
});

export const handler = (event: CloudFrontRequestEvent) => handle(event);
