/**
 * The pseudonymisation key from SSM Parameter Store (src/ingest/ssm-secrets.ts), with the SSM
 * client's module imported when the key is first asked for rather than when the module that makes
 * the runtime loads: a Lambda handler's cold start pays for it only on the first request that reads
 * the key (docs/performance.md). The key is read once and kept, as SsmSecrets does.
 */
import type { Secrets } from './ingest/pseudonymise.js';

export interface LazySsmSecretsOptions {
  region: string | undefined;
  /** A parameter name, or `/aws/reference/secretsmanager/<secret-name>`. */
  parameterName: string;
}

export class LazySsmSecrets implements Secrets {
  readonly parameterName: string;
  private readonly region: string | undefined;
  private secrets: Promise<Secrets> | undefined;

  constructor(options: LazySsmSecretsOptions) {
    this.region = options.region;
    this.parameterName = options.parameterName;
  }

  async pseudonymKey(): Promise<Uint8Array> {
    this.secrets ??= this.open();
    return (await this.secrets).pseudonymKey();
  }

  private async open(): Promise<Secrets> {
    const [{ SSMClient }, { SsmSecrets }] = await Promise.all([
      import('@aws-sdk/client-ssm'),
      import('./ingest/ssm-secrets.js'),
    ]);
    return new SsmSecrets({
      client: new SSMClient({ region: this.region }),
      parameterName: this.parameterName,
    });
  }
}
