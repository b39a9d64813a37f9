/**
 * A minimal static file server for a built site, on 127.0.0.1 and a free port, for browser tests.
 * GET and HEAD only; `/` and folders serve their `index.html`; paths that resolve outside the
 * folder (`..`, encoded `%2e%2e%2f`, symlinks pointing out) get 404 like any missing file.
 * `headers` are added to every file response (e.g. the Content-Security-Policy CloudFront sends).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
// The content types the site is published with (build-site.ts), so tests serve what S3 would.
import { contentType } from '../../src/site/build-site.js';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  close(): Promise<void>;
}

type Resolved = { file: string } | { redirect: string } | undefined;

/** What a URL path names inside `root` (a real path); undefined if nothing may be served. */
async function resolvePath(root: string, urlPath: string): Promise<Resolved> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  let file = path.resolve(root, `.${pathname}`);
  const inside = (f: string) => f.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
  if (pathname.includes('\0') || (file !== root && !inside(file))) return undefined;
  try {
    if ((await stat(file)).isDirectory()) {
      // A folder without its trailing slash: redirect, so relative links resolve inside it.
      if (!pathname.endsWith('/'))
        return { redirect: `${new URL(urlPath, 'http://localhost').pathname}/` };
      file = path.join(file, 'index.html');
    }
    file = await realpath(file);
    if (!(await stat(file)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return inside(file) ? { file } : undefined;
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

export async function startStaticServer(
  folder: string,
  options: { headers?: Readonly<Record<string, string>> } = {},
): Promise<StaticServer> {
  const root = await realpath(folder);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed');
    }
    const resolved = await resolvePath(root, req.url ?? '/');
    if (!resolved) return send(res, 404, 'Not found');
    if ('redirect' in resolved) {
      res.writeHead(301, { location: resolved.redirect }).end();
      return;
    }
    const { file } = resolved;
    res.writeHead(200, {
      ...options.headers,
      'content-type': contentType(file),
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
