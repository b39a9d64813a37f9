/**
 * Per-stage settings: defaults for each stage, overrides from the `config` context value, and
 * zod validation that names the field at fault.
 */
import { describe, expect, it } from 'vitest';
import { defaultsFor, STAGES, StageConfigSchema, stageConfig } from '../../infra/stage-config.js';

const GIB = 1024 ** 3;

describe('stage defaults', () => {
  it('names the key parameter and the Glue database after the stage', () => {
    for (const stage of STAGES) {
      const config = stageConfig(stage);
      expect(config.pseudonymKeyParameter).toBe(`/rotascope/${stage}/pseudonym-key`);
      expect(config.glueDatabase).toBe(`rotascope_${stage}`);
    }
  });

  it('gives publish 4096 MB, no alarm or announcement addresses and no custom domain', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage), stage).toMatchObject({
        publishMemoryMiB: 4096,
        alarmEmails: [],
        announcementEmails: [],
      });
      expect(stageConfig(stage).siteDomain, stage).toBeUndefined();
    }
  });

  it('caps an Athena query at 1 GB in dev and 10 GB in staging and prod', () => {
    expect(stageConfig('dev').athenaBytesScannedCutoff).toBe(GIB);
    expect(stageConfig('staging').athenaBytesScannedCutoff).toBe(10 * GIB);
    expect(stageConfig('prod').athenaBytesScannedCutoff).toBe(10 * GIB);
  });

  it('requires MFA to sign in to staging and prod, and makes it optional in dev', () => {
    expect(stageConfig('dev').signInMfa).toBe('optional');
    expect(stageConfig('staging').signInMfa).toBe('required');
    expect(stageConfig('prod').signInMfa).toBe('required');
  });

  it('names the sign-in domain after the stage, wants 12-character passwords, no Entra ID', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage), stage).toMatchObject({
        signInDomainPrefix: `rotascope-${stage}`,
        passwordMinLength: 12,
      });
      expect(stageConfig(stage).entraId, stage).toBeUndefined();
    }
  });

  it('deploys every stage to London (eu-west-2), where the data stays', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage).region, stage).toBe('eu-west-2');
    }
  });

  it('validates its own defaults', () => {
    for (const stage of STAGES) {
      expect(StageConfigSchema.safeParse(defaultsFor(stage)).success, stage).toBe(true);
    }
  });
});

describe('stage overrides', () => {
  it('takes an object or its JSON text', () => {
    const override = { alarmEmails: ['ops@example.nhs.uk'], publishMemoryMiB: 6144 };
    expect(stageConfig('prod', override)).toMatchObject(override);
    expect(stageConfig('prod', JSON.stringify(override))).toMatchObject(override);
  });

  it('accepts another AWS region', () => {
    expect(stageConfig('dev', { region: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(stageConfig('dev', { region: 'us-gov-west-1' }).region).toBe('us-gov-west-1');
  });

  it('accepts a custom domain with a us-east-1 certificate', () => {
    const siteDomain = {
      domainName: 'rotascope.example.nhs.uk',
      certificateArn:
        'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
    };
    expect(stageConfig('prod', { siteDomain }).siteDomain).toEqual(siteDomain);
  });

  it('accepts an Entra ID tenant, mapping the roles claim unless told otherwise', () => {
    const entraId = {
      tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      clientId: '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
      clientSecretName: 'rotascope/prod/entra-client-secret',
    };
    expect(stageConfig('prod', { entraId }).entraId).toEqual({ ...entraId, scopeClaim: 'roles' });
    const byArn = {
      ...entraId,
      clientSecretName:
        'arn:aws:secretsmanager:eu-west-2:123456789012:secret:rotascope/prod/entra-AbCdEf',
      scopeClaim: 'groups',
    };
    expect(stageConfig('prod', { entraId: byArn }).entraId).toEqual(byArn);
  });

  it.each([
    [{ alarmEmails: ['not an address'] }, 'Stage dev setting alarmEmails.0 is invalid'],
    [{ pseudonymKeyParameter: 'rotascope/key' }, 'Stage dev setting pseudonymKeyParameter'],
    [{ glueDatabase: 'Rotascope-Dev' }, 'Stage dev setting glueDatabase'],
    [{ athenaBytesScannedCutoff: 1000 }, 'Stage dev setting athenaBytesScannedCutoff'],
    [{ publishMemoryMiB: 20000 }, 'Stage dev setting publishMemoryMiB'],
    [{ firstWeek: '2019-07-02' }, 'Stage dev setting firstWeek is invalid: must be a Monday'],
    [
      {
        siteDomain: {
          domainName: 'a.example.org',
          certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/x',
        },
      },
      'Stage dev setting siteDomain.certificateArn is invalid: an ACM certificate ARN in us-east-1',
    ],
    [{ alarmEmail: 'typo@example.nhs.uk' }, 'Stage dev setting (config) is invalid'],
    [
      { region: 'London' },
      'Stage dev setting region is invalid: an AWS region name, e.g. eu-west-2',
    ],
    [{ region: 'euw2' }, 'Stage dev setting region is invalid'],
    [{ region: 'eu-west-2 ' }, 'Stage dev setting region is invalid'],
    [{ signInMfa: 'sms' }, 'Stage dev setting signInMfa is invalid'],
    [{ passwordMinLength: 7 }, 'Stage dev setting passwordMinLength'],
    [{ passwordMinLength: 100 }, 'Stage dev setting passwordMinLength'],
    [{ signInDomainPrefix: 'Rotascope' }, 'Stage dev setting signInDomainPrefix'],
    [{ signInDomainPrefix: 'rotascope-' }, 'Stage dev setting signInDomainPrefix'],
    [
      { signInDomainPrefix: 'rotascope-on-aws' },
      'Stage dev setting signInDomainPrefix is invalid: Cognito forbids aws, amazon and cognito',
    ],
    [{ signInDomainPrefix: 'a'.repeat(51) }, 'Stage dev setting signInDomainPrefix'],
    [
      { entraId: { tenantId: 'nhs', clientId: 'x', clientSecretName: 's' } },
      'Stage dev setting entraId.tenantId is invalid: the directory (tenant) id, a GUID',
    ],
    [
      {
        entraId: {
          tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          clientId: '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
          clientSecret: 'the-secret-itself',
        },
      },
      'Stage dev setting entraId.clientSecretName is invalid',
    ],
    [
      {
        entraId: {
          tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          clientId: '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
          clientSecretName: 'rotascope/prod/entra-client-secret',
          clientSecret: 'the-secret-itself',
        },
      },
      'Stage dev setting entraId is invalid',
    ],
  ])('rejects %j with the field at fault', (override, message) => {
    expect(() => stageConfig('dev', override)).toThrow(message);
  });

  it('rejects a config context value that is not a JSON object', () => {
    expect(() => stageConfig('dev', '{not json')).toThrow(
      'Context value "config" is not valid JSON.',
    );
    expect(() => stageConfig('dev', '[]')).toThrow('must be a JSON object');
  });
});
