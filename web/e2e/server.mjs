// Starts the real Redress server on a throwaway database loaded with the demo data, and
// stops it afterwards. The binary comes from REDRESS_BINARY (the Makefile sets it to the
// build under test); the built front end from WEB_DIST (default: web/dist).
//
// The server serves the front end itself with `--web-root`. A server built before that flag
// existed is fronted by static-proxy.mjs instead (same CSP, same SPA fallback), so the
// suite still drives the real API; the log line says which one is in use.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startStaticProxy } from './static-proxy.mjs';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;

export const DEMO_PASSWORD = 'redress-demo';

function binary() {
  const path = process.env.REDRESS_BINARY;
  if (!path) {
    throw new Error('REDRESS_BINARY is not set: point it at the built redress binary ' +
      '(make test sets it to build/test/src/redress)');
  }
  return resolve(path);
}

async function waitFor(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function supportsWebRoot(bin) {
  const { stdout } = await run(bin, ['serve', '--help']);
  return stdout.includes('--web-root');
}

/** Starts a server; returns { baseUrl, stop, log }. */
export async function startRedress() {
  const bin = binary();
  const webRoot = resolve(process.env.WEB_DIST ?? join(here, '..', 'dist'));
  const dir = await mkdtemp(join(tmpdir(), 'redress-e2e-'));
  const db = join(dir, 'redress.db');
  const portFile = join(dir, 'port');
  await run(bin, ['demo', '--db', db]);

  const direct = await supportsWebRoot(bin);
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile];
  if (direct) args.push('--web-root', webRoot);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.once('exit', r));

  try {
    const port = await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`redress serve exited: ${log}`);
      const text = (await readFile(portFile, 'utf8')).trim();
      return /^\d+$/.test(text) ? text : null;
    }, 'the port file');
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${apiUrl}/readyz`)).ok, '/readyz');

    let baseUrl = apiUrl;
    let proxy = null;
    if (!direct) {
      proxy = await startStaticProxy({ root: webRoot, apiUrl });
      baseUrl = proxy.url;
    }
    console.log(`# e2e: redress at ${apiUrl}; pages from ${direct ? 'redress --web-root' : `static-proxy at ${baseUrl}`}`);

    return {
      baseUrl,
      apiUrl,
      servesWebRootItself: direct,
      log: () => log,
      async stop() {
        await proxy?.close();
        child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
