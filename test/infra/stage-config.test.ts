/**
 * Per-stage settings: defaults for each stage, overrides from the `config` context value, and
 * zod validation that names the field at fault.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultsFor,
  quotaWarnings,
  STAGES,
  StageConfigSchema,
  stageConfig,
} from '../../infra/stage-config.js';
import { PRODUCTION_READY } from './synthesise.js';

const GIB = 1024 ** 3;

describe('stage defaults', () => {
  it('names the key parameter and the Glue database after the stage', () => {
    for (const stage of STAGES) {
      const config = stageConfig(stage, PRODUCTION_READY);
      expect(config.pseudonymKeyParameter).toBe(`/rotascope/${stage}/pseudonym-key`);
      expect(config.glueDatabase).toBe(`rotascope_${stage}`);
    }
  });

  it('gives publish what a new account allows (3008 MB), reserves no concurrency', () => {
    for (const stage of STAGES) {
      const config = stageConfig(stage, PRODUCTION_READY);
      expect(config.publishMemoryMiB, stage).toBe(3008);
      expect(config.publishReservedConcurrency, stage).toBeUndefined();
      expect(quotaWarnings(config), stage).toEqual([]);
    }
  });

  it('runs the pipeline functions on x86_64 unless a stage asks for arm64 (nothing else)', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage, PRODUCTION_READY).architecture, stage).toBe('x86_64');
    }
    expect(stageConfig('dev', { architecture: 'arm64' }).architecture).toBe('arm64');
    expect(() => stageConfig('dev', { architecture: 'aarch64' })).toThrow(
      'Stage dev setting architecture is invalid',
    );
  });

  it('lets dev run with no alarm or announcement addresses and no custom domain', () => {
    const dev = stageConfig('dev');
    expect(dev.alarmEmails).toEqual([]);
    expect(dev.announcementEmails).toEqual([]);
    expect(dev.siteDomain).toBeUndefined();
  });

  it('caps an Athena query at 1 GB in dev and 10 GB in staging and prod', () => {
    expect(stageConfig('dev').athenaBytesScannedCutoff).toBe(GIB);
    expect(stageConfig('staging', PRODUCTION_READY).athenaBytesScannedCutoff).toBe(10 * GIB);
    expect(stageConfig('prod', PRODUCTION_READY).athenaBytesScannedCutoff).toBe(10 * GIB);
  });

  it('requires MFA to sign in to staging and prod, and makes it optional in dev', () => {
    expect(stageConfig('dev').signInMfa).toBe('optional');
    expect(stageConfig('staging', PRODUCTION_READY).signInMfa).toBe('required');
    expect(stageConfig('prod', PRODUCTION_READY).signInMfa).toBe('required');
  });

  it('names the sign-in domain after the stage, wants 12-character passwords, no Entra ID', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage, PRODUCTION_READY), stage).toMatchObject({
        signInDomainPrefix: `rotascope-${stage}`,
        passwordMinLength: 12,
      });
      expect(stageConfig(stage, PRODUCTION_READY).entraId, stage).toBeUndefined();
    }
  });

  it('deploys every stage to London (eu-west-2), where the data stays', () => {
    for (const stage of STAGES) {
      expect(stageConfig(stage, PRODUCTION_READY).region, stage).toBe('eu-west-2');
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
    const override = { ...PRODUCTION_READY, publishMemoryMiB: 6144 };
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
    expect(stageConfig('prod', { ...PRODUCTION_READY, siteDomain }).siteDomain).toEqual(siteDomain);
  });

  it('accepts an Entra ID tenant, mapping the roles claim unless told otherwise', () => {
    const entraId = {
      tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      clientId: '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
      clientSecretName: 'rotascope/prod/entra-client-secret',
    };
    expect(stageConfig('prod', { ...PRODUCTION_READY, entraId }).entraId).toEqual({
      ...entraId,
      scopeClaim: 'roles',
    });
    const byArn = {
      ...entraId,
      clientSecretName:
        'arn:aws:secretsmanager:eu-west-2:123456789012:secret:rotascope/prod/entra-AbCdEf',
      scopeClaim: 'groups',
    };
    expect(stageConfig('prod', { ...PRODUCTION_READY, entraId: byArn }).entraId).toEqual(byArn);
  });

  it.each([
    [{ alarmEmails: ['not an address'] }, 'Stage dev setting alarmEmails.0 is invalid'],
    [{ pseudonymKeyParameter: 'rotascope/key' }, 'Stage dev setting pseudonymKeyParameter'],
    [{ glueDatabase: 'Rotascope-Dev' }, 'Stage dev setting glueDatabase'],
    [{ athenaBytesScannedCutoff: 1000 }, 'Stage dev setting athenaBytesScannedCutoff'],
    [{ publishMemoryMiB: 20000 }, 'Stage dev setting publishMemoryMiB'],
    [{ ingestMaxConcurrency: 1 }, 'Stage dev setting ingestMaxConcurrency'],
    [{ ingestMaxConcurrency: 1001 }, 'Stage dev setting ingestMaxConcurrency'],
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

  it.each(['staging', 'prod'] as const)(
    'refuses %s without alarm addresses or a custom domain',
    (stage) => {
      expect(() => stageConfig(stage)).toThrow(
        `Stage ${stage} is not safe for production: alarmEmails is empty`,
      );
      expect(() => stageConfig(stage, { alarmEmails: ['ops@example.nhs.uk'] })).toThrow(
        `Stage ${stage} is not safe for production: siteDomain is not set (the *.cloudfront.net name allows TLS 1.0)`,
      );
      expect(stageConfig(stage, PRODUCTION_READY).siteDomain).toEqual(PRODUCTION_READY.siteDomain);
    },
  );

  it('refuses reserved concurrency 0 (which disables publish), accepts 1', () => {
    expect(() => stageConfig('dev', { publishReservedConcurrency: 0 })).toThrow(
      'Stage dev setting publishReservedConcurrency is invalid: at least 1 (0 disables publish)',
    );
    expect(stageConfig('dev', { publishReservedConcurrency: 1 }).publishReservedConcurrency).toBe(
      1,
    );
  });

  it('warns, naming the quota, when a stage asks for more than a new account allows', () => {
    const warnings = quotaWarnings(
      stageConfig('dev', { publishMemoryMiB: 4096, publishReservedConcurrency: 1 }),
    );
    expect(warnings.map((w) => w.id)).toEqual([
      'rotascope:publishMemoryMiB',
      'rotascope:publishReservedConcurrency',
    ]);
    expect(warnings[0]?.message).toContain('new accounts allow at most 3008 MB');
    expect(quotaWarnings(stageConfig('dev', { publishMemoryMiB: 3008 }))).toEqual([]);
  });

  it('rejects a config context value that is not a JSON object', () => {
    expect(() => stageConfig('dev', '{not json')).toThrow(
      'Context value "config" is not valid JSON.',
    );
    expect(() => stageConfig('dev', '[]')).toThrow('must be a JSON object');
  });
});
