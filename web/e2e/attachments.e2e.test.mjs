// End-to-end: a customer opens a case with a photo and a PDF from the portal form on a
// phone; both timelines show the files; the agent downloads the PDF byte for byte; a file
// the server would refuse is refused in the form already, in words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DESKTOP, PEOPLE, PHONE, apiSession, openPage, photoPng, screenshot, serverAndBrowser, signIn, unique,
} from './harness.mjs';

const env = serverAndBrowser();

describe('attachments', () => {
  test('a customer opens a case with a photo and a receipt; the agent sees and downloads them', async () => {
    const subject = unique('Blender arrived cracked');
    const receipt = Buffer.from('%PDF-1.4\n% receipt for order 4411\n', 'latin1');

    const customer = await openPage(env.browser, env.server.baseUrl, PHONE);
    await signIn(customer.page, PEOPLE.asha);
    await customer.page.getByRole('link', { name: 'Open a new case' }).click();
    await customer.page.getByLabel('Subject').fill(subject);
    await customer.page.getByLabel('What happened?').fill('The jug is cracked; photo and receipt attached.');
    // A web page is not something the form accepts: it says so before anything is sent.
    await customer.page.getByLabel('Files (optional)').setInputFiles({
      name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>'),
    });
    assert.match(await customer.page.getByRole('alert').innerText(), /Only pictures .* can be attached/);
    await customer.page.getByLabel('Files (optional)').setInputFiles([
      { name: 'cracked jug.png', mimeType: 'image/png', buffer: photoPng(32) },
      { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: receipt },
    ]);
    const chosen = customer.page.getByRole('list', { name: 'Files to attach' });
    await chosen.getByText(/cracked jug\.png/).waitFor();
    assert.equal(await chosen.locator('li').count(), 2);
    await screenshot(customer.page, 'portal-new-case-with-files-phone');
    await customer.page.getByRole('button', { name: 'Open case' }).click();
    await customer.page.waitForURL(/\/portal\/cases\/\d+$/);
    const caseId = Number(new URL(customer.page.url()).pathname.split('/').pop());
    const picture = customer.page.locator('.entry img.attachment-picture');
    await picture.waitFor();
    // The picture really loaded (the customer may read their own upload).
    assert.ok(await picture.evaluate((img) => img.complete && img.naturalWidth === 32));
    await customer.page.getByRole('link', { name: 'receipt.pdf', exact: true }).waitFor();
    await screenshot(customer.page, 'portal-case-with-files-phone');

    const agent = await openPage(env.browser, env.server.baseUrl, DESKTOP);
    await signIn(agent.page, PEOPLE.priya);
    await agent.page.goto(`/agent/cases/${caseId}`);
    await agent.page.getByRole('heading', { name: subject }).waitFor();
    const opening = agent.page.locator('.entry-opened');
    await opening.getByRole('link', { name: 'cracked jug.png', exact: true }).waitFor();
    const href = await opening.getByRole('link', { name: 'receipt.pdf', exact: true }).getAttribute('href');
    const download = await agent.page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())] };
    }, href);
    assert.equal(download.status, 200);
    assert.equal(download.type, 'application/pdf');
    assert.deepEqual(Buffer.from(download.bytes), receipt);
    await screenshot(agent.page, 'agent-case-with-files-desktop');

    // Another customer (Seeta) cannot fetch Asha's file by its address.
    const seeta = await apiSession(env.server.baseUrl, PEOPLE.seeta);
    const stolen = await seeta.get(href).then(() => null, (error) => error);
    assert.ok(stolen, 'Seeta was given the file');
    assert.match(String(stolen.message ?? stolen), /404/);

    assert.deepEqual(agent.problems, []);
    assert.deepEqual(customer.problems, []);
    await agent.context.close();
    await customer.context.close();
  });
});
