// End-to-end: the admin pages — staff accounts and roles; the escalation matrix editor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DESKTOP, PEOPLE, PHONE, serverAndBrowser, openPage, screenshot, signIn, unique } from './harness.mjs';

const env = serverAndBrowser();

describe('administration', () => {
  test('an admin lists staff with their roles and adds an account that can sign in', async () => {
    const admin = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(admin.page, 'admin@demo.redress');
    await admin.page.getByRole('link', { name: 'Admin' }).click();
    await admin.page.getByRole('heading', { name: 'Administration' }).waitFor();
    const table = admin.page.getByRole('table');
    await table.getByRole('rowheader', { name: /Priya Nair/ }).waitFor();
    assert.match(await table.getByRole('row', { name: /Omar Haddad/ }).innerText(), /agent\s+3/);

    const email = `${unique('newagent').replace(/\s+/g, '.')}@demo.redress`;
    await admin.page.getByLabel('Name').fill('Kiran Rao');
    await admin.page.getByLabel('Email address').fill(email);
    await admin.page.getByLabel('Role').selectOption('agent');
    await admin.page.getByLabel('Escalation level').fill('2');
    await admin.page.getByLabel('Password (optional)').fill('redress-demo');
    await admin.page.getByRole('button', { name: 'Add account' }).click();
    await admin.page.getByText('Kiran Rao can now sign in.').waitFor();
    await table.getByRole('rowheader', { name: 'Kiran Rao' }).waitFor();
    await screenshot(admin.page, 'admin-users-desktop');
    await admin.page.setViewportSize(PHONE);
    await screenshot(admin.page, 'admin-users-phone');

    // A bad email is refused in words, and nothing is added.
    await admin.page.getByLabel('Name').fill('Nobody');
    await admin.page.getByLabel('Email address').fill('not-an-email@');
    await admin.page.getByRole('button', { name: 'Add account' }).click();
    // (The browser's own check stops the form; with a valid-looking but refused address the
    // server's sentence is shown.)
    assert.equal(await table.getByRole('rowheader', { name: 'Nobody' }).count(), 0);

    const fresh = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(fresh.page, email);
    await fresh.page.waitForURL('**/agent/queues/mine');
    assert.deepEqual(admin.problems, []);
    assert.deepEqual(fresh.problems, []);
    await admin.context.close();
    await fresh.context.close();
  });

  test('an agent has no admin link and the escalation matrix page is not found for them', async () => {
    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    assert.equal(await agent.page.getByRole('link', { name: 'Admin' }).count(), 0);
    await agent.page.goto('/agent/admin/escalation');
    await agent.page.getByRole('heading', { name: 'Not found' }).waitFor();
    assert.deepEqual(agent.problems, []);
    await agent.context.close();
  });
});
