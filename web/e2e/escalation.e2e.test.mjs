// End-to-end tests of the escalation UI: a customer escalates with a photo, a promise
// shows on both sides.
//
// Time is moved with the server's test clock (`--test-clock`), never by sleeping.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DESKTOP, PEOPLE, PHONE, apiSession, photoPng, serverAndBrowser, openPage, screenshot, signIn, unique,
} from './harness.mjs';

const env = serverAndBrowser({ testClock: true });

/** Moves the test clock an hour at a time until `ready()` says yes (at most `maxHours`). */
async function advanceUntil(admin, ready, maxHours = 24 * 14) {
  for (let hour = 0; hour < maxHours; hour++) {
    if (await ready()) return hour;
    await admin.post('/api/v1/test-clock', { advance_seconds: 3600 });
  }
  throw new Error(`still not ready after ${maxHours} hours of test clock`);
}

const mayEscalate = (view) => {
  const e = view.escalation;
  return Boolean(e && (e.ladder ? e.ladder.may_escalate_now : e.may_escalate_now));
};

describe('escalation in the browser', () => {
  test('a customer escalates with a photo and the agent console shows the new level live', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const priya = await apiSession(env.server.baseUrl, PEOPLE.priya);
    const admin = await apiSession(env.server.baseUrl, 'admin@demo.redress');
    const subject = unique('Return rejected twice for technical reasons');
    const created = await asha.post('/api/v1/cases', { subject, body: 'The store refused my return again.' });
    await priya.post(`/api/v1/cases/${created.id}/assign`, { owner_id: priya.principal.id });
    await priya.post(`/api/v1/cases/${created.id}/messages`, { body: 'We are looking into it.' });

    // Before the window opens, the customer sees from when they may escalate.
    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.goto(`/portal/cases/${created.id}`);
    await customer.page.getByRole('heading', { name: 'Where your case stands' }).waitFor();
    const before = await asha.get(`/api/v1/cases/${created.id}`);
    if (!mayEscalate(before)) {
      assert.ok(await customer.page.getByRole('button', { name: 'Escalate' }).isDisabled());
      await customer.page.locator('.escalate-from').waitFor();
      await screenshot(customer.page, 'portal-case-escalate-later-phone');
    }
    await advanceUntil(admin, async () => mayEscalate(await asha.get(`/api/v1/cases/${created.id}`)));
    const levelBefore = (await priya.get(`/api/v1/cases/${created.id}`)).level;

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${created.id}`);
    await agent.page.locator(`.escalation-panel .current-level[data-level="${levelBefore}"]`).waitFor();
    await agent.page.locator('.live-indicator', { hasText: 'Live' }).waitFor();

    await customer.page.reload();
    const escalate = customer.page.getByRole('button', { name: 'Escalate', exact: true });
    await escalate.click();
    const reason = unique('Refused twice, receipt attached. Ref');
    await customer.page.getByLabel('What went wrong?').fill(reason);
    await customer.page.getByLabel(/A photo as evidence/).setInputFiles({
      name: 'receipt.png', mimeType: 'image/png', buffer: photoPng(),
    });
    await screenshot(customer.page, 'portal-escalate-dialog-phone');
    await customer.page.getByRole('dialog').getByRole('button', { name: 'Escalate' }).click();
    await customer.page.locator(`.escalation-summary .current-level[data-level="${levelBefore + 1}"]`).waitFor();
    await customer.page.locator('.entry-escalation', { hasText: reason }).waitFor();
    const evidence = customer.page.locator('.entry-escalation img.evidence-photo');
    await evidence.waitFor();
    // The photo was uploaded and is named by reference; it loads from the attachment route.
    assert.match(await evidence.getAttribute('src'), /^\/api\/v1\/attachments\/\d+$/);
    await customer.page.waitForFunction(() => {
      const img = document.querySelector('.entry-escalation img.evidence-photo');
      return img && img.complete && img.naturalWidth > 0;
    });
    await screenshot(customer.page, 'portal-case-escalated-phone');

    // The agent's page, never reloaded, shows the new level and the escalation.
    await agent.page.locator(`.escalation-panel .current-level[data-level="${levelBefore + 1}"]`).waitFor({ timeout: 10000 });
    await agent.page.locator('.entry-escalation', { hasText: reason }).waitFor();
    await agent.page.waitForFunction(() => {
      const img = document.querySelector('.entry-escalation img.evidence-photo');
      return img && img.complete && img.naturalWidth > 0;
    });
    await screenshot(agent.page, 'agent-case-escalated-desktop');

    assert.deepEqual(customer.problems, []);
    assert.deepEqual(agent.problems, []);
    await customer.context.close();
    await agent.context.close();
  });

  test('a promise shows on both sides', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const subject = unique('Cashback promised on the phone');
    const created = await asha.post('/api/v1/cases', { subject, body: 'I was promised cashback within 7 days.' });
    const what = unique('Cashback of ₹500 credited to your wallet. Ref');

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.goto(`/portal/cases/${created.id}`);
    await customer.page.getByRole('heading', { name: 'Promises to you' }).waitFor();
    await customer.page.locator('.live-indicator', { hasText: 'Live' }).waitFor();

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${created.id}`);
    await agent.page.getByRole('button', { name: 'Make a promise…' }).click();
    await agent.page.getByLabel('What will be done').fill(what);
    // Promises are due within a year (the domain refuses later ones): 30 days from now.
    const due = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, '0');
    const dueInput = `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}T17:00`;
    const dueShown = new RegExp(`${due.getDate()} ${due.toLocaleString('en-GB', { month: 'short' })} ${due.getFullYear()}`);
    await agent.page.getByLabel(/By when/).fill(dueInput);
    await screenshot(agent.page, 'agent-promise-dialog-desktop');
    await agent.page.getByRole('dialog').getByRole('button', { name: 'Promise' }).click();
    const agentPromise = agent.page.locator('.promises-panel .promise-open', { hasText: what });
    await agentPromise.waitFor();
    assert.match(await agentPromise.innerText(), dueShown);

    // The customer sees it without reloading, with its due time in their zone.
    const customerPromise = customer.page.locator('.escalation-summary .promise-open', { hasText: what });
    await customerPromise.waitFor({ timeout: 10000 });
    assert.match(await customerPromise.innerText(), /Open/);
    assert.match(await customerPromise.innerText(), dueShown);
    await screenshot(customer.page, 'portal-case-promise-phone');

    // Kept: both sides say so.
    await agent.page.getByRole('button', { name: `Mark kept: ${what}` }).click();
    await agent.page.locator('.promises-panel .promise-kept', { hasText: what }).waitFor();
    await customer.page.locator('.escalation-summary .promise-kept', { hasText: what }).waitFor({ timeout: 10000 });
    await screenshot(agent.page, 'agent-case-promises-desktop');

    assert.deepEqual(customer.problems, []);
    assert.deepEqual(agent.problems, []);
    await customer.context.close();
    await agent.context.close();
  });
});
