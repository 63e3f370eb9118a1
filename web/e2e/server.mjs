// Starts the real Redress server on a throwaway database loaded with the demo data, serving
// the built front end itself (`--web-root`, with its Content-Security-Policy and SPA
// fallback), and stops it afterwards. The binary comes from REDRESS_BINARY (the Makefile
// sets it to the build under test); the built front end from WEB_DIST (default: web/dist).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;

export const DEMO_PASSWORD = 'redress-demo';

/** A throwaway thread-token key file ([mail] thread_key_file), for configs with [mail]. */
export function threadKeyFile() {
  const path = join(mkdtempSync(join(tmpdir(), 'redress-key-')), 'thread.key');
  writeFileSync(path, randomBytes(32).toString('hex'));
  return path;
}

function binary() {
  const path = process.env.REDRESS_BINARY;
  if (!path) {
    throw new Error('REDRESS_BINARY is not set: point it at the built redress binary ' +
      '(make test sets it to build/test/src/redress)');
  }
  return resolve(path);
}

/** Polls `check` until it gives a value; `gaveUp` names a reason to stop early (or null). */
async function waitFor(check, what, gaveUp, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a server; returns { baseUrl, db, stop, log }. `testClock: true` starts it with
 * `--test-clock`, so a test can move time forward (POST /api/v1/test-clock as an admin).
 * `config` is the text of a TOML configuration file to start it with (e.g. a [mail] section).
 */
export async function startRedress({ testClock = false, config = '' } = {}) {
  const bin = binary();
  const webRoot = resolve(process.env.WEB_DIST ?? join(here, '..', 'dist'));
  const dir = await mkdtemp(join(tmpdir(), 'redress-e2e-'));
  const db = join(dir, 'redress.db');
  const portFile = join(dir, 'port');
  await run(bin, ['demo', '--db', db]);

  const configArgs = [];
  if (config) {
    const configFile = join(dir, 'redress.toml');
    await writeFile(configFile, config);
    configArgs.push('--config', configFile);
  }
  const args = [...configArgs, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--web-root', webRoot, ...(testClock ? ['--test-clock'] : [])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.once('exit', r));

  try {
    const died = () => (child.exitCode !== null ? `redress serve exited: ${log}` : null);
    const port = await waitFor(async () => {
      const text = (await readFile(portFile, 'utf8')).trim();
      return /^\d+$/.test(text) ? text : null;
    }, 'the port file', died);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${baseUrl}/readyz`)).ok, '/readyz', died);

    return {
      baseUrl,
      db,
      log: () => log,
      async stop() {
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
