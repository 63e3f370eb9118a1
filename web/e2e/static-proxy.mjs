// Stand-in for `redress serve --web-root` on servers built before that flag: serves dist/
// with the server's Content-Security-Policy and SPA fallback, and passes /api, /healthz,
// /readyz and /metrics through to the real Redress server unchanged.
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

export const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

function isApi(path) {
  return path.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(path);
}

export function startStaticProxy({ root, apiUrl }) {
  const api = new URL(apiUrl);
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (isApi(path)) {
      const upstream = request({
        host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers,
      }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
      return;
    }
    const file = normalize(join(root, decodeURIComponent(path)));
    let body;
    let type;
    if (file.startsWith(root) && extname(file) !== '') {
      body = await readFile(file).catch(() => null);
      type = TYPES[extname(file)] ?? 'application/octet-stream';
    }
    if (!body) {
      body = await readFile(join(root, 'index.html'));
      type = TYPES['.html'];
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': CSP });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
