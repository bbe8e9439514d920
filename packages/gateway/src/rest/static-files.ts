import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyReply } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a single-page application's built files from `root`: an existing file as itself (hashed files under
 * `/assets/` cached for a year), any other path as `index.html`, so that the app's own routes survive a reload.
 * Paths never leave `root`.
 */
export function staticFiles(root: string): (pathname: string, reply: FastifyReply) => Promise<FastifyReply> {
  const base = normalize(root);
  return async (pathname, reply) => {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      relative = '/';
    }
    let file = normalize(join(base, relative));
    if (!file.startsWith(base + sep) || !(await isFile(file))) file = join(base, 'index.html');
    const body = await readFile(file);
    // Node leaves the body out of the answer to a HEAD.
    return reply
      .code(200)
      .headers({
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      })
      .send(body);
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
