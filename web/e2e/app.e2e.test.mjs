// End-to-end: the agent console and the customer portal in a real Chromium, against the
// real Redress server on a throwaway demo database.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DESKTOP, PEOPLE, PHONE, SCREENSHOT_DIR, apiSession, serverAndBrowser, openPage, screenshot, signIn, unique,
} from './harness.mjs';

const env = serverAndBrowser();

/** Opens a case as Asha through the API and returns it. */
async function ashaOpensCase(subject, body = 'My refund has not arrived after three weeks.') {
  const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
  return asha.post('/api/v1/cases', { subject, body });
}

describe('agent console and customer portal', () => {
  test('a wrong password is explained in words', async () => {
    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, PHONE);
    // The server itself serves the app, under its Content-Security-Policy (any violation
    // would be recorded in `problems`).
    const response = await page.goto('/agent/queues/mine');
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);
    await page.waitForURL('**/login?next=%2Fagent%2Fqueues%2Fmine');
    await page.getByLabel('Email address').fill(PEOPLE.priya);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /email address and password do not match/);
    await screenshot(page, 'login-error-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an agent replies and the customer sees it', async () => {
    const subject = unique('Refund missing for order');
    const replyText = unique('We have found your refund; it reaches your bank tomorrow. Ref');

    // The customer opens a case through the portal form, on a phone.
    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.getByRole('heading', { name: 'My cases' }).waitFor();
    await screenshot(customer.page, 'portal-my-cases-phone');
    await customer.page.getByRole('link', { name: 'Open a new case' }).click();
    await customer.page.getByLabel('Subject').fill(subject);
    await customer.page.getByLabel('What happened?').fill('Returned the shoes on 2 Nov; no refund yet.');
    await screenshot(customer.page, 'portal-new-case-phone');
    await customer.page.getByRole('button', { name: 'Open case' }).click();
    await customer.page.waitForURL(/\/portal\/cases\/\d+$/);
    const caseId = Number(new URL(customer.page.url()).pathname.split('/').pop());
    await customer.page.getByRole('heading', { name: subject }).waitFor();

    // The agent finds it in the unassigned queue and replies.
    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.getByRole('link', { name: /^Unassigned/ }).click();
    await agent.page.getByRole('link', { name: new RegExp(subject) }).waitFor();
    await screenshot(agent.page, 'agent-queue-unassigned-desktop');
    await agent.page.getByRole('link', { name: new RegExp(subject) }).click();
    await agent.page.waitForURL(`**/agent/cases/${caseId}`);
    assert.ok(await agent.page.getByLabel('Public reply').isChecked(), 'the composer starts on a public reply');
    await agent.page.getByLabel(/Reply — the customer will see this/).fill(replyText);
    await agent.page.getByRole('button', { name: 'Send reply to customer' }).click();
    await agent.page.locator('.entry-reply', { hasText: replyText }).waitFor();
    await agent.page.getByText('Reply sent to the customer.').waitFor();

    // The customer sees the reply after reloading their case.
    await customer.page.reload();
    const reply = customer.page.locator('.entry', { hasText: replyText });
    await reply.waitFor();
    assert.match(await reply.innerText(), /Priya Nair \(L1 Customer care\) replied/);
    await screenshot(customer.page, 'portal-case-with-reply-phone');

    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context.close();
    await customer.context.close();
  });

  test('an internal note never appears on the customer page', async () => {
    const subject = unique('Store refused the return');
    const created = await ashaOpensCase(subject);
    const publicReply = unique('We are checking with the store. Ref');
    const noteText = unique('INTERNAL ONLY: store manager says the receipt looks altered. Ref');

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${created.id}`);
    await agent.page.getByRole('heading', { name: subject }).waitFor();
    // A public reply and an internal note, so the customer's page has something to show.
    await agent.page.getByLabel(/Reply — the customer will see this/).fill(publicReply);
    await agent.page.getByRole('button', { name: 'Send reply to customer' }).click();
    await agent.page.locator('.entry-reply', { hasText: publicReply }).waitFor();
    await agent.page.getByLabel('Internal note', { exact: true }).check();
    await agent.page.getByLabel(/Internal note — only staff will see this/).fill(noteText);
    await agent.page.getByRole('button', { name: 'Add internal note' }).click();
    const note = agent.page.locator('.entry-internal', { hasText: noteText });
    await note.waitFor();
    assert.match(await note.innerText(), /^Internal/i, 'the note carries the Internal label');
    await screenshot(agent.page, 'agent-case-desktop');
    await agent.page.setViewportSize(PHONE);
    await screenshot(agent.page, 'agent-case-phone');

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.goto(`/portal/cases/${created.id}`);
    await customer.page.locator('.entry', { hasText: publicReply }).waitFor();
    const text = await customer.page.locator('body').innerText();
    assert.ok(!text.includes(noteText), 'the note text is not on the page');
    assert.ok(!text.includes('INTERNAL ONLY'), 'no part of the note is on the page');
    assert.equal(await customer.page.locator('.entry-internal, .internal-label').count(), 0);
    // Nor did the browser receive it: ask the API with the customer's own session.
    const events = await customer.page.evaluate(async (id) =>
      (await (await fetch(`/api/v1/cases/${id}/events`)).json()).items, created.id);
    assert.ok(events.length >= 2);
    assert.ok(events.every((e) => e.visibility === 'public'));
    assert.ok(!JSON.stringify(events).includes(noteText));
    await screenshot(customer.page, 'portal-case-phone');
    await customer.page.setViewportSize(DESKTOP);
    await screenshot(customer.page, 'portal-case-desktop');

    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context.close();
    await customer.context.close();
  });

  test('a customer cannot open another customer case by changing the URL', async () => {
    const subject = unique('Private matter of Asha');
    const created = await ashaOpensCase(subject, 'My address and order details.');

    const seeta = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(seeta.page, PEOPLE.seeta);
    await seeta.page.goto(`/portal/cases/${created.id}`);
    await seeta.page.getByRole('heading', { name: 'Not found' }).waitFor();
    const text = await seeta.page.locator('body').innerText();
    assert.ok(!text.includes(subject), "Asha's subject is not shown to Seeta");
    assert.ok(!text.includes('My address'), "Asha's message is not shown to Seeta");
    await screenshot(seeta.page, 'portal-not-found-phone');
    // Her own list does not show it either.
    await seeta.page.getByRole('link', { name: 'Back to my cases' }).click();
    await seeta.page.getByRole('heading', { name: 'My cases' }).waitFor();
    assert.ok(!(await seeta.page.locator('body').innerText()).includes(subject));
    // An agent URL is not a customer's either.
    await seeta.page.goto(`/agent/cases/${created.id}`);
    await seeta.page.getByRole('heading', { name: 'Not found' }).waitFor();
    assert.deepEqual(seeta.problems, []);
    await seeta.context.close();
  });

  test('keyboard shortcuts move through the queue and open the composer', async () => {
    const subject = unique('Keyboard case');
    const created = await ashaOpensCase(subject);

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto('/agent/queues/unassigned');
    await agent.page.locator('.case-row').first().waitFor();
    // Newest update first: the case just opened is at the top; j selects it, Enter opens it.
    await agent.page.keyboard.press('j');
    assert.equal(await agent.page.locator('.case-row.selected').count(), 1);
    assert.match(await agent.page.locator('.case-row.selected').innerText(), new RegExp(subject));
    await agent.page.keyboard.press('Enter');
    await agent.page.waitForURL(`**/agent/cases/${created.id}`);
    await agent.page.getByRole('heading', { name: subject }).waitFor();

    await agent.page.keyboard.press('n');
    assert.ok(await agent.page.getByLabel('Internal note', { exact: true }).isChecked());
    assert.equal(await agent.page.evaluate(() => document.activeElement?.id), 'composer-text');
    // Typing in the box is typing, not a shortcut.
    await agent.page.keyboard.type('r');
    assert.ok(await agent.page.getByLabel('Internal note', { exact: true }).isChecked());
    await agent.page.locator('#composer-text').fill('');
    await agent.page.locator('#composer-text').blur();

    await agent.page.keyboard.press('r');
    assert.ok(await agent.page.getByLabel('Public reply').isChecked());
    assert.equal(await agent.page.evaluate(() => document.activeElement?.id), 'composer-text');
    // Ctrl+Enter sends what is written.
    const replyText = unique('Sent from the keyboard');
    await agent.page.keyboard.type(replyText);
    await agent.page.keyboard.press('Control+Enter');
    await agent.page.locator('.entry-reply', { hasText: replyText }).waitFor();
    await agent.page.locator('#composer-text').blur();

    await agent.page.keyboard.press('?');
    await agent.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(agent.page, 'agent-shortcuts-help-desktop');
    await agent.page.keyboard.press('Escape');
    assert.equal(await agent.page.getByRole('dialog').count(), 0);
    assert.deepEqual(agent.problems, []);
    await agent.context.close();
  });

  test('the agent console loads quickly on the demo data (measured, reported)', async () => {
    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    // Cold: a new browser with an empty cache, until the sign-in form can be used.
    let start = performance.now();
    await agent.page.goto('/login');
    await agent.page.getByLabel('Email address').waitFor();
    const coldMs = performance.now() - start;
    await agent.page.getByLabel('Email address').fill(PEOPLE.priya);
    await agent.page.getByLabel('Password').fill('redress-demo');
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.waitForURL('**/agent/queues/mine');
    // Signed in: a full page load of the all-open queue until its rows are drawn
    // (the document, the bundle, /me and the three queue listings).
    start = performance.now();
    await agent.page.goto('/agent/queues/open');
    await agent.page.locator('.case-row').first().waitFor();
    const queueMs = performance.now() - start;
    const rows = await agent.page.locator('.case-row').count();
    await screenshot(agent.page, 'agent-queue-open-desktop');
    await agent.page.setViewportSize(PHONE);
    await screenshot(agent.page, 'agent-queue-open-phone');
    const line = `first load: sign-in page ${coldMs.toFixed(0)} ms (empty cache); ` +
      `agent queue with ${rows} cases ${queueMs.toFixed(0)} ms (full page load)`;
    console.log(`# ${line}`);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await writeFile(join(SCREENSHOT_DIR, 'first-load.txt'), `${line}\n`);
    assert.ok(rows > 0);
    assert.deepEqual(agent.problems, []);
    await agent.context.close();
  });
});
