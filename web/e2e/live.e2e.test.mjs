// End-to-end: live updates over the server-sent-events feed, and "Download my record".
// The customer's page is never reloaded here: what it shows arrives through /api/v1/changes.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import {
  DESKTOP, PEOPLE, PHONE, apiSession, serverAndBrowser, openPage, screenshot, signIn, unique,
} from './harness.mjs';

const env = serverAndBrowser();


describe('live updates and the record', () => {
  test('an agent replies and the customer sees it live, without reloading; a note never arrives', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const subject = unique('Parcel marked delivered but never came');
    const created = await asha.post('/api/v1/cases', { subject, body: 'The courier says delivered; nothing here.' });
    const replyText = unique('The courier has been asked for the proof of delivery. Ref');
    const noteText = unique('INTERNAL ONLY: courier has a history of false deliveries. Ref');

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.goto(`/portal/cases/${created.id}`);
    await customer.page.getByRole('heading', { name: subject }).waitFor();
    await customer.page.locator('.live-indicator', { hasText: 'Live' }).waitFor();
    // A marker in the page's memory: a reload would wipe it.
    await customer.page.evaluate(() => { window.__sameDocument = 'yes'; });

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${created.id}`);
    await agent.page.getByRole('heading', { name: subject }).waitFor();
    await agent.page.getByLabel('Internal note', { exact: true }).check();
    await agent.page.getByLabel(/Internal note — only staff will see this/).fill(noteText);
    await agent.page.getByRole('button', { name: 'Add internal note' }).click();
    await agent.page.locator('.entry-internal', { hasText: noteText }).waitFor();
    await agent.page.getByLabel('Public reply').check();
    await agent.page.getByLabel(/Reply — the customer will see this/).fill(replyText);
    await agent.page.getByRole('button', { name: 'Send reply to customer' }).click();
    await agent.page.locator('.entry-reply', { hasText: replyText }).waitFor();

    // The reply appears on the customer's open page by itself.
    const reply = customer.page.locator('.entry', { hasText: replyText });
    await reply.waitFor({ timeout: 10000 });
    assert.match(await reply.innerText(), /replied/);
    assert.equal(await customer.page.evaluate(() => window.__sameDocument), 'yes', 'the page was not reloaded');
    await customer.page.locator('.live-updated').waitFor();
    const text = await customer.page.locator('body').innerText();
    assert.ok(!text.includes(noteText), 'the internal note is not on the customer page');
    assert.ok(!text.includes('INTERNAL ONLY'));
    await screenshot(customer.page, 'portal-case-live-update-phone');

    // The customer answers; the agent's open page shows it live too.
    const answer = unique('Thank you, I will wait for the proof. Ref');
    await customer.page.getByLabel('Your message').fill(answer);
    await customer.page.getByRole('button', { name: 'Send message' }).click();
    await agent.page.locator('.entry-customer', { hasText: answer }).waitFor({ timeout: 10000 });

    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context.close();
    await customer.context.close();
  });

  test('the agent queue shows a new case live', async () => {
    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto('/agent/queues/unassigned');
    await agent.page.locator('.case-row').first().waitFor();
    await agent.page.locator('.live-indicator', { hasText: 'Live' }).waitFor();
    const subject = unique('Cashback promised on the phone never came');
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    await asha.post('/api/v1/cases', { subject, body: 'Promised within 7 days, 20 days ago.' });
    await agent.page.getByRole('link', { name: new RegExp(subject) }).waitFor({ timeout: 10000 });
    assert.deepEqual(agent.problems, []);
    await agent.context.close();
  });

  test('Download my record gives the customer their case with public events only', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const priya = await apiSession(env.server.baseUrl, PEOPLE.priya);
    const subject = unique('Refund to a closed card');
    const created = await asha.post('/api/v1/cases', { subject, body: 'My card was closed; where does the refund go?' });
    const noteText = unique('INTERNAL ONLY: finance says two weeks. Ref');
    const replyText = unique('The bank will pass it to your new card. Ref');
    await priya.post(`/api/v1/cases/${created.id}/notes`, { body: noteText });
    await priya.post(`/api/v1/cases/${created.id}/messages`, { body: replyText });

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.goto(`/portal/cases/${created.id}`);
    await customer.page.locator('.entry', { hasText: replyText }).waitFor();
    const [download] = await Promise.all([
      customer.page.waitForEvent('download'),
      customer.page.getByRole('link', { name: 'Download my record' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `case-${created.id}-record.json`);
    const record = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(record.format, 'redress-case-record-v1');
    assert.equal(record.case.id, created.id);
    assert.ok(record.events.length >= 2);
    assert.ok(record.events.every((e) => e.visibility === 'public'), 'only public events');
    assert.ok(record.events.some((e) => JSON.stringify(e).includes(replyText)), 'the reply is in it');
    assert.ok(!JSON.stringify(record).includes(noteText), 'the note is not in it');
    assert.equal(record.complete_chain, false, 'it says an internal event was left out');

    // The agent's copy has everything, the note included.
    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${created.id}`);
    await agent.page.locator('.entry-internal', { hasText: noteText }).waitFor();
    const [staffDownload] = await Promise.all([
      agent.page.waitForEvent('download'),
      agent.page.getByRole('link', { name: 'Download the record' }).click(),
    ]);
    const staffRecord = JSON.parse(await readFile(await staffDownload.path(), 'utf8'));
    assert.ok(JSON.stringify(staffRecord).includes(noteText));
    assert.equal(staffRecord.complete_chain, true);

    assert.deepEqual(customer.problems, []);
    assert.deepEqual(agent.problems, []);
    await customer.context.close();
    await agent.context.close();
  });
});
