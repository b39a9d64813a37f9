/**
 * SignIn: who may read the site. An Amazon Cognito user pool for NHS staff, its hosted sign-in
 * pages, and the one app client the site's edge authoriser signs users in with (authorization
 * code grant with PKCE, S256). The client is public, with no secret: the edge function exchanges
 * the code with the code verifier it kept in the viewer's cookie, so no secret has to be
 * replicated to every edge region. Optionally, staff sign in with their NHS Microsoft Entra ID
 * account instead (OIDC federation, stage config `entraId`).
 *
 * What a user may see travels in their ID token, as codes: every user, Cognito or federated, is
 * in groups named `network-<PCN code>` and `icb-<ICB code>` (e.g. `network-U60865`, `icb-QMF`),
 * which Cognito lists in the `cognito:groups` claim. Only admins put users in groups.
 *
 * A federated user's Entra `roles` claim (or `groups`, by config: app roles named like
 * `network:U60865`) is copied at each sign-in into the custom attribute `custom:rotascope_scope`.
 * That is a hint for admins choosing the user's groups, never a grant: the app client must be
 * able to write a mapped attribute, so a user holding tokens from it can rewrite their own.
 *
 * No group is created here. There are about 1,250 networks and 42 ICBs, the list changes every
 * April, and a group is only needed once someone is in it: an admin creates it with the user
 * (docs/deploying.md, "Sign-in"). Groups in the template would mean a deploy per new network.
 *
 * Nobody signs themselves up: admins invite users (`admin-create-user`), who sign in with their
 * email address (case-insensitive) and a temporary password valid 3 days, then choose their own
 * under the stage's password policy. MFA (stage config `signInMfa`) is TOTP only, with an
 * authenticator app: SMS would need an SNS spending limit and origination identity, costs per
 * message, and a code sent to a phone number can be taken by swapping the SIM. Accounts are
 * recovered by email only, for the same reason. MFA applies to Cognito users; federated users'
 * MFA is their tenant's (Entra Conditional Access).
 *
 * Outside dev the pool has deletion protection and is retained when the stack goes: deleting it
 * would delete every user, their group memberships and their MFA enrolments.
 */
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolEmail,
  UserPoolIdentityProviderOidc,
} from 'aws-cdk-lib/aws-cognito';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { REFRESH_TOKEN_HOURS } from '../src/access/edge-auth.js';
import { CALLBACK_PATH } from '../src/site/site-access.js';
import { acknowledge, cfnOf } from './nag.js';
import type { StageConfig } from './stage-config.js';

/** The custom attribute of a federated user's codes (`network:U60865 icb:QMF`), without `custom:`. */
export const SCOPE_ATTRIBUTE = 'rotascope_scope';

// Where Cognito sends the browser back with the code (under the site URL): the edge authoriser's.
export { CALLBACK_PATH };

/** The name of the Entra ID provider in the pool (federated usernames are `EntraID_<sub>`). */
export const ENTRA_PROVIDER_NAME = 'EntraID';

export const ID_TOKEN_VALIDITY = Duration.hours(1);
export const ACCESS_TOKEN_VALIDITY = Duration.hours(1);
export const REFRESH_TOKEN_VALIDITY = Duration.hours(REFRESH_TOKEN_HOURS);
export const TEMPORARY_PASSWORD_VALIDITY = Duration.days(3);

export interface SignInProps {
  /** The site's address, `https://<domain>` without a trailing slash. */
  readonly siteUrl: string;
  /** The hosted domain is `<domainPrefix>-<account id>` (prefixes are unique per region). */
  readonly domainPrefix: string;
  readonly mfa: StageConfig['signInMfa'];
  readonly passwordMinLength: number;
  readonly entraId?: StageConfig['entraId'];
  /** Deletion protection, and keep the pool when the stack is deleted (every stage but dev). */
  readonly retain: boolean;
  /** Send Cognito's email through SES from this verified identity (stage config). */
  readonly email?: StageConfig['signInEmail'];
  /** A regional WAF web ACL on the pool with this rate limit per IP per 5 minutes. */
  readonly wafRateLimit?: number;
}

const MFA: Record<StageConfig['signInMfa'], Mfa> = {
  required: Mfa.REQUIRED,
  optional: Mfa.OPTIONAL,
  off: Mfa.OFF,
};

export class SignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly entraId?: UserPoolIdentityProviderOidc;
  /** The regional web ACL on the pool, when the stage asks for one. */
  webAcl?: CfnWebACL;
  /** The hosted sign-in pages and OAuth endpoints: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly signInUrl: string;
  /** The `iss` of the pool's tokens; its keys are at `<issuer>/.well-known/jwks.json`. */
  readonly issuer: string;
  /** `<siteUrl>/_auth/callback`: the only redirect URI the client accepts. */
  readonly callbackUrl: string;
  /** `<siteUrl>/`: where `/logout` may send the browser afterwards. */
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.userPool = new UserPool(this, 'UserPool', {
      // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan,
      // which has no free tier and costs $0.02 per monthly active user; Essentials is free for
      // the first 10,000 and keeps managed login. See the AwsSolutions-COG8 acknowledgement.
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      // Federated sign-ins rewrite mapped attributes each time, so both stay mutable.
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        [SCOPE_ATTRIBUTE]: new StringAttribute({ mutable: true, maxLen: 2048 }),
      },
      passwordPolicy: {
        minLength: props.passwordMinLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: TEMPORARY_PASSWORD_VALIDITY,
      },
      mfa: MFA[props.mfa],
      mfaSecondFactor: { otp: true, sms: false, email: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your Rotascope account',
        emailBody:
          'You have been given access to Rotascope, the primary care workforce dashboards. ' +
          `Sign in at ${props.siteUrl} within 3 days with your email address {username} and ` +
          'the temporary password {####} then choose your own password' +
          (props.mfa === 'required' ? ' and set up an authenticator app.' : '.'),
      },
      ...(props.email
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: props.email.fromEmail,
              fromName: 'Rotascope',
              sesRegion: props.email.sesRegion,
              sesVerifiedDomain: props.email.sesVerifiedDomain,
            }),
          }
        : {}),
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (props.wafRateLimit !== undefined) this.protect(props.wafRateLimit);

    if (props.entraId) {
      this.entraId = this.entraIdProvider(props.entraId);
    }

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `${props.domainPrefix}-${stack.account}` },
    });
    this.signInUrl = this.domain.baseUrl();
    this.issuer = `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.callbackUrl = `${props.siteUrl}${CALLBACK_PATH}`;
    this.logoutUrl = `${props.siteUrl}/`;

    this.client = this.userPool.addClient('SiteClient', {
      // Public client: the edge authoriser exchanges the code with its PKCE verifier (S256), so
      // no client secret has to reach Lambda@Edge (which has no secure place to keep one).
      generateSecret: false,
      // Hosted pages sign in with SRP; no password, admin or custom (Lambda) flows by API.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.callbackUrl],
        logoutUrls: [this.logoutUrl],
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(this.entraId ? [UserPoolClientIdentityProvider.custom(this.entraId.providerName)] : []),
      ],
      idTokenValidity: ID_TOKEN_VALIDITY,
      accessTokenValidity: ACCESS_TOKEN_VALIDITY,
      refreshTokenValidity: REFRESH_TOKEN_VALIDITY,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      // Cognito writes a federated user's mapped attributes through the client, so it must be
      // able to write them, and then so can the user (their own, through Cognito's API with the
      // public client). Hence the authoriser grants from groups only (`tokenGrants` in
      // src/access/edge-auth.ts), never from custom:rotascope_scope.
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(SCOPE_ATTRIBUTE),
      writeAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes(SCOPE_ATTRIBUTE),
    });

    this.acknowledgeFindings(props.mfa);
  }

  /**
   * Entra ID over OIDC. The client secret stays in Secrets Manager: the template holds only a
   * `{{resolve:secretsmanager:<name>}}` reference, which CloudFormation resolves at deploy time.
   */
  private entraIdProvider(
    entra: NonNullable<StageConfig['entraId']>,
  ): UserPoolIdentityProviderOidc {
    return new UserPoolIdentityProviderOidc(this, 'EntraId', {
      userPool: this.userPool,
      name: ENTRA_PROVIDER_NAME,
      issuerUrl: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`,
      clientId: entra.clientId,
      clientSecret: SecretValue.secretsManager(entra.clientSecretName).unsafeUnwrap(),
      scopes: ['openid', 'email', 'profile'],
      attributeMapping: {
        email: ProviderAttribute.other('email'),
        custom: { [`custom:${SCOPE_ATTRIBUTE}`]: ProviderAttribute.other(entra.scopeClaim) },
      },
    });
  }

  /**
   * A regional web ACL on the pool (its hosted sign-in pages and API): AWS managed common rules
   * and a per-IP rate limit, blocking above it; metrics and sampled requests on.
   */
  private protect(rateLimit: number): void {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('rotascope-sign-in'),
      rules: [
        {
          name: 'aws-common-rules',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
          visibilityConfig: visibility('aws-common-rules'),
        },
        {
          name: 'rate-limit-per-ip',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.userPool.userPoolArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  private acknowledgeFindings(mfa: StageConfig['signInMfa']): void {
    const pool = cfnOf(this.userPool);
    acknowledge(
      pool,
      'AwsSolutions-COG8',
      'Essentials plan, not Plus: threat protection (Plus) has no free tier and costs $0.02 per ' +
        'monthly active user, $200 a month for 10,000 staff against about $17 for the rest of ' +
        'the stack; users are invited only, TOTP MFA is required outside dev, passwords are ' +
        'long and sign-in does not reveal whether an account exists.',
    );
    if (mfa !== 'required') {
      acknowledge(
        pool,
        'AwsSolutions-COG2',
        mfa === 'optional'
          ? 'MFA is optional on this stage (stage config signInMfa "optional", the dev default ' +
              'so testers need no authenticator); staging and prod require TOTP.'
          : 'MFA is off on this stage by an explicit stage config setting (signInMfa "off"), ' +
              'e.g. a stage whose only users are federated and get MFA from Entra ID.',
      );
    }
  }
}
