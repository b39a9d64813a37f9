/**
 * Sign-in (infra/sign-in.ts): the Cognito user pool of the site's users, its hosted domain, the
 * site's app client and the optional Entra ID federation, in the synthesised template of each
 * kind of stage, and the cdk-nag findings it leaves.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ofType,
  PRODUCTION_READY,
  propertiesOf,
  type Resource,
  resolveText,
  synthesise,
} from './synthesise.js';

const ENTRA = {
  tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  clientId: '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
  clientSecretName: 'rotascope/prod/entra-client-secret',
};

// Prepare: dev as it ships, prod as it ships, prod with Entra ID, and dev with every sign-in
// setting overridden.
const dev = synthesise();
const prod = synthesise({ stage: 'prod', config: PRODUCTION_READY });
const federated = synthesise({
  stage: 'prod',
  config: JSON.stringify({ ...PRODUCTION_READY, entraId: ENTRA }),
});
const overridden = synthesise({
  config: JSON.stringify({
    signInMfa: 'off',
    passwordMinLength: 16,
    signInDomainPrefix: 'pcn-dashboards',
    entraId: { ...ENTRA, scopeClaim: 'groups' },
  }),
});
afterAll(() => {
  for (const synthesised of [dev, prod, federated, overridden]) synthesised.cleanup();
});

type Synthesised = typeof dev;

function only(synthesised: Synthesised, type: string): [string, Resource] {
  const found = Object.entries(ofType(synthesised.resources, type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
}
const poolOf = (s: Synthesised) => only(s, 'AWS::Cognito::UserPool')[1];
const poolProps = (s: Synthesised) => poolOf(s).Properties as Record<string, unknown>;
const clientProps = (s: Synthesised) =>
  propertiesOf(s.resources, s.logicalId(s.stack.signIn.client));
const outputs = (s: Synthesised) =>
  s.template.toJSON().Outputs as Record<string, { Value: unknown }>;

describe('the user pool', () => {
  it('lets only admins create users, who sign in with their email address in any case', () => {
    expect(poolProps(dev)).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('keeps only the email address (required) and the mutable custom:rotascope_scope', () => {
    expect(poolProps(dev).Schema).toEqual([
      { Name: 'email', Required: true, Mutable: true },
      {
        Name: 'rotascope_scope',
        AttributeDataType: 'String',
        Mutable: true,
        StringAttributeConstraints: { MaxLength: '2048' },
      },
    ]);
  });

  it('requires 12 characters with upper, lower, digit and symbol; temporary passwords last 3 days', () => {
    expect(poolProps(dev).Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
      },
    });
    expect(poolProps(overridden).Policies).toMatchObject({
      PasswordPolicy: { MinimumLength: 16 },
    });
  });

  it('requires MFA in prod, by authenticator app (TOTP) only', () => {
    expect(poolProps(prod).MfaConfiguration).toBe('ON');
    expect(poolProps(prod).EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(poolProps(prod)).not.toHaveProperty('SmsConfiguration');
  });

  it('makes MFA optional in dev (TOTP only), and off when the stage config says so', () => {
    expect(poolProps(dev).MfaConfiguration).toBe('OPTIONAL');
    expect(poolProps(dev).EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(poolProps(overridden).MfaConfiguration).toBe('OFF');
    expect(poolProps(overridden).EnabledMfas).toBeUndefined();
  });

  it('recovers accounts by verified email only', () => {
    expect(poolProps(dev).AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  it('is on the Essentials plan, without threat protection add-ons', () => {
    expect(poolProps(prod).UserPoolTier).toBe('ESSENTIALS');
    expect(poolProps(prod)).not.toHaveProperty('UserPoolAddOns');
  });

  it('is protected from deletion and retained outside dev, and deleted with a dev stack', () => {
    expect(poolOf(prod)).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtection: 'ACTIVE' },
    });
    expect(poolOf(dev)).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { DeletionProtection: 'INACTIVE' },
    });
  });

  it('invites users by email, naming the site', () => {
    const template = poolProps(dev).AdminCreateUserConfig as {
      InviteMessageTemplate: { EmailSubject: string; EmailMessage: unknown };
    };
    const distribution = dev.logicalId(dev.stack.site.distribution);
    expect(template.InviteMessageTemplate.EmailSubject).toBe('Your Rotascope account');
    const message = resolveText(template.InviteMessageTemplate.EmailMessage);
    expect(message).toContain(`Sign in at https://<${distribution}.DomainName> within 3 days`);
    expect(message).toContain('{username}');
    expect(message).toContain('{####}');
  });

  it('creates no groups: admins create network-<code> and icb-<code> groups as needed', () => {
    for (const synthesised of [dev, prod, federated]) {
      expect(ofType(synthesised.resources, 'AWS::Cognito::UserPoolGroup')).toEqual({});
    }
  });
});

describe('the hosted sign-in domain', () => {
  it('is rotascope-<stage>-<account id> by default, <signInDomainPrefix>-<account id> if set', () => {
    const domainOf = (s: Synthesised) =>
      resolveText(only(s, 'AWS::Cognito::UserPoolDomain')[1].Properties?.Domain);
    expect(domainOf(dev)).toBe('rotascope-dev-<AWS::AccountId>');
    expect(domainOf(prod)).toBe('rotascope-prod-<AWS::AccountId>');
    expect(domainOf(overridden)).toBe('pcn-dashboards-<AWS::AccountId>');
  });

  it('gives the hosted UI base URL and the issuer of the tokens', () => {
    const { signIn } = dev.stack;
    const domain = dev.logicalId(signIn.domain);
    const pool = dev.logicalId(signIn.userPool);
    // In the stack's region (stage config `region`, eu-west-2 unless set), without a trailing /.
    expect(resolveText(dev.stack.resolve(signIn.signInUrl))).toBe(
      `https://<${domain}>.auth.eu-west-2.amazoncognito.com`,
    );
    expect(resolveText(dev.stack.resolve(signIn.issuer))).toBe(
      `https://cognito-idp.eu-west-2.amazonaws.com/<${pool}>`,
    );
  });
});

describe("the site's app client", () => {
  it('allows the authorization code grant only, for openid, email and profile', () => {
    expect(clientProps(dev)).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
    });
  });

  it('redirects only to <site>/_auth/callback and, after sign-out, to <site>/', () => {
    const distribution = dev.logicalId(dev.stack.site.distribution);
    const client = clientProps(dev);
    expect((client.CallbackURLs as unknown[]).map(resolveText)).toEqual([
      `https://<${distribution}.DomainName>/_auth/callback`,
    ]);
    expect((client.LogoutURLs as unknown[]).map(resolveText)).toEqual([
      `https://<${distribution}.DomainName>/`,
    ]);
  });

  it('is a public client, with no secret (the edge exchanges the code with PKCE)', () => {
    for (const synthesised of [dev, prod, federated]) {
      expect(clientProps(synthesised).GenerateSecret ?? false).toBe(false);
    }
  });

  it('issues ID and access tokens for 1 hour and refresh tokens for 12 hours, revocable', () => {
    expect(clientProps(dev)).toMatchObject({
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
    });
  });

  it('does not reveal whether a user exists, and signs in by SRP and refresh token only', () => {
    expect(clientProps(dev)).toMatchObject({
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('reads the email address and custom:rotascope_scope, and writes only those', () => {
    expect(clientProps(dev)).toMatchObject({
      ReadAttributes: ['custom:rotascope_scope', 'email', 'email_verified'],
      WriteAttributes: ['custom:rotascope_scope', 'email'],
    });
  });

  it('offers Cognito users only, unless Entra ID is configured', () => {
    expect(clientProps(dev).SupportedIdentityProviders).toEqual(['COGNITO']);
    const entraId = federated.stack.signIn.entraId;
    if (!entraId) throw new Error('no Entra ID provider');
    const provider = federated.logicalId(entraId);
    expect(clientProps(federated).SupportedIdentityProviders).toEqual([
      'COGNITO',
      { Ref: provider },
    ]);
  });
});

describe('Entra ID federation', () => {
  it('is absent by default', () => {
    for (const synthesised of [dev, prod]) {
      expect(ofType(synthesised.resources, 'AWS::Cognito::UserPoolIdentityProvider')).toEqual({});
      expect(synthesised.stack.signIn.entraId).toBeUndefined();
    }
  });

  it("signs in through the tenant's v2.0 issuer, mapping email and the roles claim", () => {
    const [, provider] = only(federated, 'AWS::Cognito::UserPoolIdentityProvider');
    expect(provider.Properties).toEqual({
      UserPoolId: { Ref: federated.logicalId(federated.stack.signIn.userPool) },
      ProviderName: 'EntraID',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: ENTRA.clientId,
        client_secret: `{{resolve:secretsmanager:${ENTRA.clientSecretName}:SecretString:::}}`,
        authorize_scopes: 'openid email profile',
        attributes_request_method: 'GET',
        oidc_issuer: `https://login.microsoftonline.com/${ENTRA.tenantId}/v2.0`,
      },
      AttributeMapping: { email: 'email', 'custom:rotascope_scope': 'roles' },
    });
  });

  it('maps the groups claim instead when the stage config says so', () => {
    const [, provider] = only(overridden, 'AWS::Cognito::UserPoolIdentityProvider');
    expect(provider.Properties?.AttributeMapping).toEqual({
      email: 'email',
      'custom:rotascope_scope': 'groups',
    });
  });

  it('leaves the client secret out of the template: only a Secrets Manager reference', () => {
    const text = JSON.stringify(federated.template.toJSON());
    expect(text).toContain('{{resolve:secretsmanager:rotascope/prod/entra-client-secret:');
    expect(text.match(/client_secret/g)).toHaveLength(1);
    expect(text).not.toMatch(/"client_secret":"(?!\{\{resolve:secretsmanager:)/);
  });
});

describe('outputs', () => {
  it('name the user pool, the app client and the hosted sign-in domain', () => {
    const { signIn } = dev.stack;
    const found = outputs(dev);
    expect(found.UserPoolId?.Value).toEqual({ Ref: dev.logicalId(signIn.userPool) });
    expect(found.UserPoolClientId?.Value).toEqual({ Ref: dev.logicalId(signIn.client) });
    expect(resolveText(found.SignInDomain?.Value)).toBe(
      `https://<${dev.logicalId(signIn.domain)}>.auth.eu-west-2.amazoncognito.com`,
    );
  });
});

describe('cdk-nag', () => {
  const acknowledgedOnPool = (s: Synthesised) => {
    const metadata = poolOf(s).Metadata as {
      cdk_nag: { rules_to_suppress: { id: string; reason: string }[] };
    };
    return metadata.cdk_nag.rules_to_suppress;
  };

  it('finds nothing unacknowledged in prod with Entra ID, or with MFA off', () => {
    for (const synthesised of [federated, overridden]) {
      const report = new AwsSolutionsChecks().validateScope(synthesised.app);
      expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    }
  });

  it('acknowledges the Plus plan (COG8) on every stage, and MFA (COG2) only where not required', () => {
    expect(acknowledgedOnPool(prod).map((a) => a.id)).toEqual(['AwsSolutions-COG8']);
    expect(acknowledgedOnPool(dev).map((a) => a.id)).toEqual([
      'AwsSolutions-COG8',
      'AwsSolutions-COG2',
    ]);
    const off = acknowledgedOnPool(overridden).find((a) => a.id === 'AwsSolutions-COG2');
    expect(off?.reason).toContain('signInMfa "off"');
  });
});

describe('email and WAF options', () => {
  it('sends through Cognito by default, with no web ACL on the pool', () => {
    expect(poolProps(dev).EmailConfiguration).toBeUndefined();
    expect(ofType(dev.resources, 'AWS::WAFv2::WebACL')).toEqual({});
  });

  it('sends through SES and puts common rules and a rate limit on the pool when configured', () => {
    const guarded = synthesise({
      config: {
        signInEmail: {
          fromEmail: 'rotascope@example.nhs.uk',
          sesVerifiedDomain: 'example.nhs.uk',
          sesRegion: 'eu-west-2',
        },
        signInWafRateLimit: 300,
      },
    });
    const email = poolProps(guarded).EmailConfiguration as Record<string, unknown>;
    expect(email.EmailSendingAccount).toBe('DEVELOPER');
    expect(email.From).toBe('Rotascope <rotascope@example.nhs.uk>');
    expect(resolveText(email.SourceArn)).toBe(
      'arn:aws:ses:eu-west-2:<AWS::AccountId>:identity/example.nhs.uk',
    );
    const [acl] = Object.values(ofType(guarded.resources, 'AWS::WAFv2::WebACL'));
    const rules = ((acl?.Properties?.Rules ?? []) as Record<string, unknown>[]).map((r) => [
      r.Name,
      r.Statement,
    ]);
    expect(acl?.Properties?.Scope).toBe('REGIONAL');
    expect(rules).toEqual([
      [
        'aws-common-rules',
        { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
      ],
      ['rate-limit-per-ip', { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } }],
    ]);
    const [association] = Object.values(ofType(guarded.resources, 'AWS::WAFv2::WebACLAssociation'));
    expect(association?.Properties?.ResourceArn).toEqual({
      'Fn::GetAtt': [guarded.logicalId(guarded.stack.signIn.userPool), 'Arn'],
    });
    guarded.cleanup();
  });
});
