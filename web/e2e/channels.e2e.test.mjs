// End-to-end: the admin's channels page shows the configured mail channel from the config
// file (never a password) and the outbox's state from the database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DESKTOP, PEOPLE, PHONE, apiSession, openPage, screenshot, serverAndBrowser, signIn } from './harness.mjs';
import { threadKeyFile } from './server.mjs';

const env = serverAndBrowser({
  config: `[mail]\naddresses = ["support@demo.redress", "help@demo.redress"]\nfrom_name = "Demo Support"\nthread_key_file = "${threadKeyFile()}"\n\n`
    + '[mail.smtp]\nurl = "smtp://127.0.0.1:2525"\ntls = "none"\nusername = "redress"\n\n'
    // Two mailboxes on a port where nothing listens: their polls and IDLE fail (logged).
    + '[[mail.mailboxes]]\nname = "orders"\nurl = "imap://127.0.0.1:1"\ntls = "none"\npoll_seconds = 86400\nidle = false\n\n'
    + '[[mail.mailboxes]]\nname = "support"\nurl = "imap://127.0.0.1:1"\ntls = "none"\npoll_seconds = 600\n',
});

describe('channels page', () => {
  test('an admin sees the mail configuration and the outbox counts', async () => {
    // One sign-in link queues one mail in the outbox.
    await fetch(`${env.server.baseUrl}/api/v1/auth/link`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: PEOPLE.asha }),
    });
    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(page, 'admin@demo.redress');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('heading', { name: 'Outgoing mail (SMTP)' }).waitFor();
    const text = await page.locator('.channels-page').innerText();
    assert.match(text, /support@demo\.redress, help@demo\.redress/);
    assert.match(text, /smtp:\/\/127\.0\.0\.1:2525/);
    assert.match(text, /Waiting to be sent\s*1/);
    assert.match(text, /orders[\s\S]*New mail\s*Polled every 86400 s/);
    assert.match(text, /support[\s\S]*New mail\s*Watched with IMAP IDLE, and polled every 600 s/);
    await screenshot(page, 'admin-channels-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'admin-channels-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('only admins may read it', async () => {
    const priya = await apiSession(env.server.baseUrl, PEOPLE.priya);
    await assert.rejects(priya.get('/api/v1/admin/channels'), /403/);
    const admin = await apiSession(env.server.baseUrl, 'admin@demo.redress');
    const channels = await admin.get('/api/v1/admin/channels');
    assert.equal(channels.email.smtp.password_configured, false);
    assert.ok(!JSON.stringify(channels).includes('password_file'));
  });
});
