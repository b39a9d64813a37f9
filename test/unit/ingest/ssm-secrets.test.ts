/**
 * SsmSecrets over a mocked SSMClient (aws-sdk-client-mock): SSM's API cannot run here.
 */
import {
  AccessDeniedException,
  GetParameterCommand,
  ParameterNotFound,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { SsmSecrets } from '../../../src/ingest/ssm-secrets.js';

const PARAMETER = '/rotascope/test/pseudonym-key';
const KEY_HEX = '0123456789abcdef'.repeat(4);

const client = new SSMClient({ region: 'eu-west-2' });
const ssm = mockClient(client);
afterEach(() => {
  ssm.reset();
});

function secrets(): SsmSecrets {
  return new SsmSecrets({ client, parameterName: PARAMETER });
}

function answer(value: string) {
  return { Parameter: { Name: PARAMETER, Type: 'SecureString' as const, Value: value } };
}

describe('SsmSecrets', () => {
  it('reads the decrypted key once and keeps it', async () => {
    ssm.on(GetParameterCommand).resolves(answer(`${KEY_HEX}\n`));
    const source = secrets();
    const first = await source.pseudonymKey();
    const second = await source.pseudonymKey();
    expect(Buffer.from(first).toString('hex')).toBe(KEY_HEX);
    expect(first).toHaveLength(32);
    expect(second).toBe(first);
    const calls = ssm.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
  });

  it('names the parameter when it does not exist, and tries again on the next call', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: '', $metadata: {} }))
      .resolves(answer(KEY_HEX));
    const source = secrets();
    const error = await source.pseudonymKey().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `Pseudonymisation key parameter ${PARAMETER} was not found in SSM: check ROTASCOPE_PSEUDONYM_KEY_PARAMETER and AWS_REGION`,
    );
    expect(await source.pseudonymKey()).toHaveLength(32);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('names the parameter when access is denied', async () => {
    ssm.on(GetParameterCommand).rejects(
      new AccessDeniedException({
        message: 'not authorized',
        Message: 'not authorized',
        $metadata: {},
      }),
    );
    const error = await secrets()
      .pseudonymKey()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Pseudonymisation key parameter ${PARAMETER} cannot be read: access denied`),
    );
  });

  it.each([
    ['too short', 'deadbeef1234'],
    ['not hex', `${'q7'.repeat(32)}`],
    ['empty', ''],
  ])('refuses a value that is %s, without repeating it', async (_case, value) => {
    ssm.on(GetParameterCommand).resolves(answer(value));
    const error = await secrets()
      .pseudonymKey()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toBe(
      `Pseudonymisation key parameter ${PARAMETER} must hold at least 64 hex characters`,
    );
    if (value !== '') expect(message).not.toContain(value);
  });
});
