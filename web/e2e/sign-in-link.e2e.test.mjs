// End-to-end: a customer without a password signs in with a one-time link. The test reads
// the queued mail from the database, as the customer would read it in their inbox, opens
// the link in the browser and lands in "My cases"; the same link a second time is refused
// in words. An agent can send a customer a link from the customer panel.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DESKTOP, PEOPLE, PHONE, apiSession, openPage, screenshot, serverAndBrowser, signIn, unique } from './harness.mjs';
import { threadKeyFile } from './server.mjs';

const run = promisify(execFile);
const env = serverAndBrowser({ config: `[mail]\naddresses = ["support@demo.redress"]\nfrom_name = "Demo Support"\nthread_key_file = "${threadKeyFile()}"\n` });

/** The newest queued sign-in mail to `address`: its link, with soft line breaks undone. */
async function latestLinkMail(address) {
  const { stdout } = await run('sqlite3', ['-readonly', env.server.db,
    `SELECT hex(bytes), case_id IS NULL FROM mail_outbox WHERE purpose = 'sign_in_link' AND recipients = '${address}' ORDER BY id DESC LIMIT 1`]);
  const [hex, noCase] = stdout.trim().split('|');
  assert.ok(hex, `no sign-in mail queued for ${address}`);
  const text = Buffer.from(hex, 'hex').toString('utf8').replace(/=\r\n/g, '');
  const link = /https?:\/\/\S+\/login\/link#rdl_[A-Za-z0-9_-]{43}/.exec(text);
  assert.ok(link, `no link in the mail:\n${text}`);
  return { text, link: new URL(link[0]), noCase: noCase === '1' };
}

async function countLinkMails() {
  const { stdout } = await run('sqlite3', ['-readonly', env.server.db, "SELECT count(*) FROM mail_outbox WHERE purpose = 'sign_in_link'"]);
  return Number(stdout.trim());
}

describe('one-time sign-in link', () => {
  test('a customer asks for a link, opens it and lands in my cases; the link works once', async () => {
    const before = await countLinkMails();
    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, PHONE);
    await page.goto('/login');
    // An address nobody has gets the same answer, and no mail.
    await page.getByLabel('Your email', { exact: true }).fill('nobody@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const status = page.getByText(/If an account uses this email address/);
    await status.waitFor();
    const anonymousAnswer = await status.innerText();
    assert.equal(await countLinkMails(), before);

    await page.getByLabel('Your email', { exact: true }).fill(PEOPLE.seeta);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    for (let i = 0; i < 100 && await countLinkMails() === before; i += 1) await new Promise((r) => setTimeout(r, 50));
    await status.waitFor();
    assert.equal(await status.innerText(), anonymousAnswer, 'the same words whether or not the account exists');
    await screenshot(page, 'login-link-requested-phone');
    assert.equal(await countLinkMails(), before + 1);

    const mail = await latestLinkMail(PEOPLE.seeta);
    assert.ok(mail.noCase, 'account mail has no case');
    assert.match(mail.text, /^Subject: Your sign-in link/m);
    assert.match(mail.text, /^To: .*seeta@example\.net/m);
    const path = mail.link.pathname + mail.link.hash;
    await page.goto(path);
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/portal');
    assert.equal(new URL(page.url()).hash, '', 'the secret leaves the address bar');
    await screenshot(page, 'portal-after-link-phone');
    assert.deepEqual(problems, []);
    await context.close();

    // The same link again, in a fresh browser: refused, in words.
    const again = await openPage(env.browser, env.server.baseUrl, PHONE);
    await again.page.goto(path);
    const alert = again.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /already used/);
    await screenshot(again.page, 'login-link-used-phone');
    await again.context.close();
  });

  test('an agent sends a customer a sign-in link from the customer panel', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const opened = await asha.post('/api/v1/cases', { subject: unique('Cannot remember my password'), body: 'Please help me sign in.' });
    const before = await countLinkMails();
    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(page, PEOPLE.priya);
    await page.goto(`/agent/cases/${opened.id}`);
    await page.getByRole('button', { name: 'Email a sign-in link' }).click();
    await page.getByText(`Sign-in link sent to ${PEOPLE.asha}.`).waitFor();
    assert.equal(await countLinkMails(), before + 1);
    const mail = await latestLinkMail(PEOPLE.asha);
    assert.match(mail.text, /Hello Asha Rao/);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
