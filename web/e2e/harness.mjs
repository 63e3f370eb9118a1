// Browser and API helpers for the end-to-end suite: Debian's Chromium driven by
// playwright-core, a page per person (its own cookies), screenshots under the build folder,
// and a small API session for seeding cases without clicking through the UI.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, startRedress } from './server.mjs';

const here = new URL('.', import.meta.url).pathname;
export const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR ?? join(here, '..', '..', 'build', 'test', 'screenshots'));

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };

export const PEOPLE = {
  priya: 'priya@demo.redress',
  asha: 'asha.rao@example.com',
  seeta: 'seeta@example.net',
};

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // The extra flags keep Chromium from calling home, which this machine's closed network refuses.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page in its own browser context. Every console error, failed request and CSP
 * violation is recorded in `problems`, so a test can assert the page ran cleanly.
 */
export async function openPage(browser, baseUrl, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl, timezoneId: 'Asia/Kolkata', locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('console', (m) => {
    // 4xx answers the app expects (a wrong password, another customer's case, a refused
    // input) are logged by Chromium as resource errors; they are checked through what the
    // page shows instead.
    if (m.type() === 'error' && !/status of 4(0[1349]|22)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, context, problems };
}

export async function signIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/agent') || url.pathname.startsWith('/portal'));
}

/**
 * Saves a full-page screenshot, after checking that the page fits its width: a page wider
 * than the viewport (a phone's 375 px) scrolls sideways, which is a layout bug.
 */
export async function screenshot(page, name) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) {
    throw new Error(`${name}: the page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);
  }
  // Every form control has a name a screen reader can say.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 80)));
  if (unlabelled.length > 0) throw new Error(`${name}: controls without a label: ${unlabelled.join(', ')}`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A signed-in API session from Node, for seeding. */
export async function apiSession(apiUrl, email) {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login of ${email} failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf, principal } = await login.json();
  const call = async (method, path, body) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        Cookie: cookie, 'X-CSRF-Token': csrf,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    principal,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    del: (path) => call('DELETE', path),
  };
}

export function unique(prefix) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/// One throwaway server (startRedress(options)) and one browser for a test file: started
/// before its tests, stopped after them. Read `env.server` and `env.browser` inside tests.
export function serverAndBrowser(options) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startRedress(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** A small real PNG (a red and blue checker), for photos customers attach. */
export function photoPng(side = 16) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < side; y++) {
    const row = [0];
    for (let x = 0; x < side; x++) row.push(...((x + y) % 2 ? [200, 30, 30] : [30, 30, 200]));
    rows.push(Buffer.from(row));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
