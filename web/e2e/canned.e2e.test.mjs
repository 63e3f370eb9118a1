// End-to-end: canned replies. A supervisor manages the list; an agent may only read it
// (the server refuses their write), picks a reply in the composer by typing "/" and part
// of its title, and the inserted text has the case's placeholders filled in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DESKTOP, PEOPLE, PHONE, apiSession, openPage, screenshot, serverAndBrowser, signIn, unique } from './harness.mjs';

const env = serverAndBrowser();
const SARA = 'sara@demo.redress';

describe('canned replies', () => {
  test('a supervisor adds one; an unknown placeholder is refused by name', async () => {
    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(page, SARA);
    await page.getByRole('link', { name: 'Canned replies' }).click();
    await page.getByRole('heading', { name: 'Canned replies', level: 1 }).waitFor();
    // The demo data comes with a few.
    await page.getByRole('heading', { name: 'Refund on its way' }).waitFor();

    await page.getByLabel('Title').fill('Broken one');
    await page.getByLabel('Text').fill('Dear {{customer.phone}}');
    await page.getByRole('button', { name: 'Add canned reply' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /\{\{customer\.phone\}\}/);

    await page.getByLabel('Text').fill('Dear {{customer.name}}, the courier will call again about case #{{case.id}} tomorrow after 15:00. {{agent.name}}');
    await page.getByLabel('Title').fill('Pickup rescheduled');
    await page.getByRole('button', { name: 'Add canned reply' }).click();
    await page.getByText('Added “Pickup rescheduled”.').waitFor();
    await page.getByRole('heading', { name: 'Pickup rescheduled' }).waitFor();
    await screenshot(page, 'canned-replies-supervisor-desktop');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an agent reads the list but cannot change it', async () => {
    const priya = await apiSession(env.server.baseUrl, PEOPLE.priya);
    const list = await priya.get('/api/v1/canned-replies');
    assert.ok(list.items.length >= 3);
    assert.ok(list.placeholders.includes('customer.name'));
    await assert.rejects(priya.post('/api/v1/canned-replies', { title: 'Mine', body: 'x' }), /403/);
    await assert.rejects(priya.del(`/api/v1/canned-replies/${list.items[0].id}`), /403/);
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    await assert.rejects(asha.get('/api/v1/canned-replies'), /403/);

    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(page, PEOPLE.priya);
    await page.goto('/agent/canned-replies');
    await page.getByRole('heading', { name: 'Refund on its way' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add canned reply' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 0);
    await screenshot(page, 'canned-replies-agent-phone');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('typing "/" and a title in the composer inserts the reply with placeholders filled', async () => {
    const sara = await apiSession(env.server.baseUrl, SARA);
    const title = unique('Store refund');
    await sara.post('/api/v1/canned-replies', {
      title, body: 'Dear {{customer.name}}, the store owes you the refund for case #{{case.id}}. {{agent.name}}',
    });
    const asha = await apiSession(env.server.baseUrl, PEOPLE.asha);
    const opened = await asha.post('/api/v1/cases', { subject: unique('Refund owed by store'), body: 'The store says the web shop owes it.' });

    const { page, context, problems } = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(page, PEOPLE.priya);
    await page.goto(`/agent/cases/${opened.id}`);
    const box = page.getByLabel(/Reply — the customer will see this/);
    await box.click();
    await box.pressSequentially(`Hello. /${title.split(' ')[0].toLowerCase()} ref`);
    const option = page.getByRole('option', { name: new RegExp(title) });
    await option.waitFor();
    await screenshot(page, 'canned-picker-desktop');
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    // The filter "store ref" may match more than one; pick ours with the keyboard.
    const options = await page.locator('.canned-list [role=option]').allInnerTexts();
    const index = options.findIndex((t) => t.includes(title));
    for (let i = 0; i < index; i += 1) await box.press('ArrowDown');
    await box.press('Enter');
    const expected = `Hello. Dear Asha Rao, the store owes you the refund for case #${opened.number}. Priya Nair (L1 Customer care)`;
    assert.equal(await box.inputValue(), expected);
    assert.equal(await page.locator('.canned-list').count(), 0, 'the picker closes after inserting');

    // The "/" shortcut outside a field opens the search, and Escape closes it.
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await page.getByLabel('Find a canned reply').waitFor();
    await page.getByLabel('Find a canned reply').press('Escape');
    assert.equal(await page.getByLabel('Find a canned reply').count(), 0);

    await page.getByRole('button', { name: 'Send reply to customer' }).click();
    await page.locator('.entry-reply', { hasText: 'the store owes you the refund' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
