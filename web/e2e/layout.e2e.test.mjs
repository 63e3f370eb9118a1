// Phone layout at 390 px (a current mid-size phone): the agent's case page with every
// panel, the customer's portal and the sign-in page fit the width (screenshot() fails on
// sideways scrolling and on unlabelled controls) and are saved for a person to look at.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PEOPLE, apiSession, openPage, screenshot, serverAndBrowser, signIn, unique } from './harness.mjs';

const PHONE_390 = { width: 390, height: 844 };
const env = serverAndBrowser();

describe('phone layout at 390 px', () => {
  test('agent case page, portal and sign-in fit a 390 px phone', async () => {
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const priya = await apiSession(env.server.baseUrl, PEOPLE.priya);
    const opened = await asha.post('/api/v1/cases', {
      subject: unique('A rather long subject about a refund owed by the store for an online order'),
      body: 'The store says the web shop owes me; the web shop says the store does. https://example.com/a/very/long/url/that/should/wrap/instead/of/overflowing',
    });
    await priya.post(`/api/v1/cases/${opened.id}/assign`, { owner_id: priya.principal.id });
    await priya.post(`/api/v1/cases/${opened.id}/messages`, { body: 'We are looking into it.' });
    const due = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    await priya.post(`/api/v1/cases/${opened.id}/promises`, { what: 'Call the store manager and confirm the refund', due_at: due });
    // A promise on another case of the same customer shows in the customer panel too.
    const other = await asha.post('/api/v1/cases', { subject: unique('Pickup missed'), body: 'The courier came while I was at work.' });
    await priya.post(`/api/v1/cases/${other.id}/assign`, { owner_id: priya.principal.id });
    await priya.post(`/api/v1/cases/${other.id}/promises`, { what: 'Book a pickup after 15:00', due_at: due });
    const listed = await priya.get(`/api/v1/customers/${opened.customer_id}/promises`);
    assert.deepEqual(listed.items.filter((p) => [opened.id, other.id].includes(p.case_id)).map((p) => p.what).sort(),
      ['Book a pickup after 15:00', 'Call the store manager and confirm the refund']);
    await assert.rejects(asha.get(`/api/v1/customers/${opened.customer_id}/promises`), /403/);

    const login = await openPage(env.browser, env.server.baseUrl, PHONE_390);
    await login.page.goto('/login');
    await login.page.getByRole('button', { name: 'Email me a sign-in link' }).waitFor();
    await screenshot(login.page, 'login-390');
    await login.context.close();

    const agent = await openPage(env.browser, env.server.baseUrl, PHONE_390);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${opened.id}`);
    await agent.page.getByRole('heading', { name: 'Open promises on all cases' }).waitFor();
    await agent.page.getByText('Call the store manager and confirm the refund').first().waitFor();
    const panel = agent.page.locator('.customer-promises');
    await panel.getByText('Book a pickup after 15:00').waitFor();
    assert.ok(await panel.getByRole('link', { name: new RegExp(`#${other.id} `) }).isVisible(), 'the other case is linked');
    await screenshot(agent.page, 'agent-case-390');
    // The "?" dialog lists the escalation shortcuts too.
    await agent.page.locator('h1').click();
    await agent.page.keyboard.press('?');
    const help = agent.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const words of ['Make a promise', 'Record a decision', 'Escalate the case', 'Transfer to a colleague', 'Insert a canned reply']) {
      assert.match(await help.innerText(), new RegExp(words));
    }
    await screenshot(agent.page, 'agent-help-390');
    await agent.page.keyboard.press('Escape');
    // "p" opens the promise dialog, "d" the decision one.
    await agent.page.keyboard.press('p');
    await agent.page.getByRole('dialog', { name: 'Make a promise' }).waitFor();
    await agent.page.keyboard.press('Escape');
    await agent.page.keyboard.press('d');
    await agent.page.getByRole('dialog', { name: 'Record a decision' }).waitFor();
    await agent.page.keyboard.press('Escape');
    assert.deepEqual(agent.problems, []);
    await agent.context.close();

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE_390);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.getByRole('heading', { name: 'My cases' }).waitFor();
    await screenshot(customer.page, 'portal-my-cases-390');
    await customer.page.goto(`/portal/cases/${opened.id}`);
    await customer.page.getByText('Call the store manager and confirm the refund').first().waitFor();
    await screenshot(customer.page, 'portal-case-390');
    await customer.page.goto('/portal/new');
    await customer.page.getByLabel('Subject').waitFor();
    await screenshot(customer.page, 'portal-new-case-390');
    assert.deepEqual(customer.problems, []);
    await customer.context.close();
  });
});
