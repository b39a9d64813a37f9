/**
 * A stand-in for what the edge authoriser calls, on 127.0.0.1 (Cognito and SSM cannot run here):
 *
 * - `GET /pool/.well-known/jwks.json`: the stand-in pool's keys (test/helpers/id-tokens.ts);
 * - `POST /oauth2/token`: the authorization-code grant as Cognito's token endpoint answers it.
 *   A code is issued by `issueCode(challenge, token)`, with the PKCE challenge the authorize
 *   redirect carried; it is good once, for this client, with a verifier whose S256 hash is that
 *   challenge; otherwise 400 `invalid_grant`. Its answer carries a refresh token, good (until
 *   the stand-in closes, or `POST /oauth2/revoke` revokes it) for new ID tokens: `refreshes`
 *   says which token each one gives;
 * - `POST /` with `X-Amz-Target: AmazonSSM.GetParameter`: SSM's JSON protocol, one parameter.
 *
 * Every request is recorded (path, target, form or JSON body) for the tests to check.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_ID, POOL_KEYS } from './id-tokens.js';

export interface StandInCognito {
  url: string;
  /** `<url>/pool`: the issuer the stand-in's tokens should carry. */
  issuer: string;
  requests: { method: string; path: string; target?: string; body: string }[];
  /** Refresh token -> the ID token a refresh grant with it returns. */
  refreshes: Map<string, string>;
  /** The SSM parameters it serves, by name. */
  parameters: Map<string, string>;
  issueCode(challenge: string, idToken: string): string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStandInCognito(): Promise<StandInCognito> {
  const codes = new Map<string, { challenge: string; idToken: string }>();
  const requests: StandInCognito['requests'] = [];
  const parameters = new Map<string, string>();
  const refreshes = new Map<string, string>();
  let issued = 0;

  const server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const path = request.url ?? '';
    const target = request.headers['x-amz-target'] as string | undefined;
    requests.push({ method: request.method ?? '', path, target, body });
    const send = (status: number, value: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(JSON.stringify(value));
    };
    if (request.method === 'GET' && path === '/pool/.well-known/jwks.json') {
      return send(200, { keys: POOL_KEYS });
    }
    if (request.method === 'POST' && path === '/oauth2/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') === 'refresh_token') {
        const idToken = refreshes.get(form.get('refresh_token') ?? '');
        if (!idToken || form.get('client_id') !== CLIENT_ID) {
          return send(400, { error: 'invalid_grant' });
        }
        return send(200, { id_token: idToken, access_token: 'stand-in-access', expires_in: 3600 });
      }
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const good =
        code &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === CLIENT_ID &&
        createHash('sha256').update(verifier).digest('base64url') === code.challenge;
      if (!good) return send(400, { error: 'invalid_grant' });
      const refreshToken = `refresh-${form.get('code')}`;
      refreshes.set(refreshToken, code.idToken);
      return send(200, {
        id_token: code.idToken,
        access_token: 'stand-in-access',
        refresh_token: refreshToken,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    if (request.method === 'POST' && path === '/oauth2/revoke') {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== CLIENT_ID) return send(400, { error: 'invalid_client' });
      refreshes.delete(form.get('token') ?? '');
      return send(200, {});
    }
    if (request.method === 'POST' && path === '/' && target === 'AmazonSSM.GetParameter') {
      const { Name } = JSON.parse(body) as { Name: string };
      const value = parameters.get(Name);
      if (value === undefined) {
        return send(
          400,
          { __type: 'ParameterNotFound', message: '' },
          'application/x-amz-json-1.1',
        );
      }
      return send(
        200,
        { Parameter: { Name, Type: 'String', Value: value, Version: 1 } },
        'application/x-amz-json-1.1',
      );
    }
    send(404, { error: 'no such stand-in endpoint' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    issuer: `${url}/pool`,
    requests,
    parameters,
    refreshes,
    issueCode(challenge, idToken) {
      issued += 1;
      const code = `code-${issued}`;
      codes.set(code, { challenge, idToken });
      return code;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
