/**
 * The pseudonymisation key on AWS, read with SSM `GetParameter` (decrypted) over an injected
 * SSMClient. `parameterName` is either
 * - an SSM SecureString parameter, such as `/rotascope/prod/pseudonym-key`; or
 * - a Secrets Manager secret through SSM's reference path,
 *   `/aws/reference/secretsmanager/<secret-name>`, the secret stored as plain text (not as
 *   key/value JSON).
 * Either way the value is the key as hex, at least 64 characters (`keyFromHex`). The caller's role
 * needs `ssm:GetParameter` on the parameter and `kms:Decrypt` on its KMS key, and for a Secrets
 * Manager reference also `secretsmanager:GetSecretValue` on the secret.
 *
 * The key is read once and kept for the life of the object: one Runtime per Lambda container means
 * one SSM call per container. A failed read is not kept, so the next call tries again. Error
 * messages name the parameter, never its value.
 */
import {
  AccessDeniedException,
  GetParameterCommand,
  InvalidKeyId,
  ParameterNotFound,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { ConfigError } from '../errors.js';
import { keyFromHex, type Secrets } from './pseudonymise.js';

export interface SsmSecretsOptions {
  client: SSMClient;
  /** A parameter name, or `/aws/reference/secretsmanager/<secret-name>`. */
  parameterName: string;
}

export class SsmSecrets implements Secrets {
  readonly parameterName: string;
  private readonly client: SSMClient;
  private cached: Promise<Uint8Array> | undefined;

  constructor(options: SsmSecretsOptions) {
    this.client = options.client;
    this.parameterName = options.parameterName;
  }

  pseudonymKey(): Promise<Uint8Array> {
    this.cached ??= this.read().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async read(): Promise<Uint8Array> {
    const what = `Pseudonymisation key parameter ${this.parameterName}`;
    let value: string | undefined;
    try {
      const output = await this.client.send(
        new GetParameterCommand({ Name: this.parameterName, WithDecryption: true }),
      );
      value = output.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound) {
        throw new ConfigError(
          `${what} was not found in SSM: check ROTASCOPE_PSEUDONYM_KEY_PARAMETER and AWS_REGION`,
          { cause: error },
        );
      }
      if (error instanceof AccessDeniedException) {
        throw new ConfigError(
          `${what} cannot be read: access denied (the role needs ssm:GetParameter, kms:Decrypt and, for a Secrets Manager reference, secretsmanager:GetSecretValue)`,
          { cause: error },
        );
      }
      if (error instanceof InvalidKeyId) {
        throw new ConfigError(`${what} cannot be decrypted: its KMS key is not usable`, {
          cause: error,
        });
      }
      throw error;
    }
    return keyFromHex(value ?? '', what);
  }
}
