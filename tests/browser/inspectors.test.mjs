// The pod inspector, the token inspector and the clickable names in the
// terminal, in Chromium on the release build. Screenshots go to
// target/browser/inspectors-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, run, freshApp, screenshotPath } from './harness.mjs';

const site = useSite(before, after);

const fresh = () => freshApp(site.context, `${site.server.origin}/`);

const jump = (page, label) => page.getByRole('button', { name: `Move the clock ${label}` }).click();
const status = (page) => page.locator('.verdict .label').innerText();

test('pod inspector: mounted files, rotation, and the token dying with its pod', async () => {
  const { page, consoleErrors } = await fresh();
  await run(page, 'kubectl run web --image=nginx');
  await page.getByRole('tab', { name: 'Pod' }).click();
  const tree = page.locator('.pod-inspector .tree');
  await tree.first().waitFor();
  const text = await tree.first().innerText();
  assert.match(text, /\/var\/run\/secrets\/kubernetes\.io\/serviceaccount/);
  assert.match(text, /\.\.data → \.\.2025_01_01_00_00_00\.\d+/);
  assert.match(text, /token → \.\.data\/token/);
  // Read the namespace file through its link.
  await tree.first().locator('li.link').getByRole('button', { name: 'namespace', exact: true }).click();
  assert.equal(await page.locator('.file-content pre').innerText(), 'default');
  // The token file holds the same token the panel shows.
  await tree.first().locator('li.link').getByRole('button', { name: 'token', exact: true }).click();
  const token1 = await page.locator('.file-content pre').innerText();
  assert.match(token1, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  const dataDir1 = await page.locator('.data-dir').innerText();
  assert.match(await page.locator('.next-write').innerText(), /\(in \d+ min\)/);
  // The year-long expiry of a kubelet's token is explained where it shows.
  assert.match(await page.locator('.expires .hint').innerText(), /extend-token-expiration/);
  await page.screenshot({ path: screenshotPath('inspectors-pod') });

  // An hour later the kubelet has written a new directory and a new token.
  await jump(page, '+1 h');
  await page.waitForFunction((d) => document.querySelector('.data-dir')?.innerText !== d, dataDir1);
  assert.match(await tree.first().innerText(), /\.\.data → \.\.2025_01_01_00_4\d_\d\d\.\d+/);
  const token2 = await page.locator('.file-content pre').innerText();
  assert.notEqual(token2, token1, 'the token file changed');
  assert.match(await page.locator('.issued').innerText(), /ago\)/);

  // Inspect it: valid, with explained claims.
  const inspect = page.getByRole('button', { name: 'Inspect token' });
  await inspect.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => document.querySelector('#side-panel').scrollTop);
  await inspect.click();
  assert.equal(await page.getByRole('tab', { name: 'Token' }).getAttribute('aria-selected'), 'true');
  // The token view opens at its top (its verdict), not at the pod view's
  // scroll position.
  assert.ok(scrolled > 0, 'the pod view was not scrolled: the check below proves nothing');
  assert.equal(await page.evaluate(() => document.querySelector('#side-panel').scrollTop), 0);
  assert.equal(await page.locator('.token-field textarea').inputValue(), token2);
  assert.equal(await status(page), 'valid');
  assert.match(await page.locator('.facts .signature').innerText(), /^Verified/);
  const claims = await page.locator('table.claims').innerText();
  assert.match(claims, /kubernetes\.io\.pod\.name\s+"web"\s+The pod the token is bound to/);
  assert.match(claims, /sub\s+"system:serviceaccount:default:default"/);
  assert.equal(await page.locator('.timeline .mark').count(), 4, 'iat, warnafter, exp and now');
  await page.screenshot({ path: screenshotPath('inspectors-token'), fullPage: true });

  // Delete the pod: kubectl waits out its grace period on the clock, so
  // the token has died with it by the next prompt.
  await run(page, 'kubectl delete pod web');
  await page.waitForFunction(() => document.querySelector('.verdict .label')?.innerText.startsWith('bound object gone'));
  assert.equal(await status(page), 'bound object gone (pod web)');
  assert.match(await page.locator('.verdict .why').innerText(), /pod web this token is bound to is gone/);

  // The pod panel says the pod is gone.
  await page.getByRole('tab', { name: 'Pod' }).click();
  assert.match(await page.locator('.pod-inspector').innerText(), /does not exist/);

  // Garbage: a clear "not a JWT".
  await page.getByRole('tab', { name: 'Token' }).click();
  await page.locator('.token-field textarea').fill('hello, this is not a token');
  assert.equal(await status(page), 'not a JWT');
  assert.match(await page.locator('.verdict .why').innerText(), /three base64url parts/);
  // No curl is offered for something that is not a token.
  assert.equal(await page.getByRole('button', { name: 'Copy as curl' }).count(), 0);
  await page.screenshot({ path: screenshotPath('inspectors-garbage') });
  // A whole header value: the token after `Bearer` is read, and why is said.
  await page.locator('.token-field textarea').fill(`Bearer ${token2}`);
  assert.equal(await status(page), 'bound object gone (pod web)');
  assert.match(await page.locator('.hint.bearer').innerText(), /Authorization header/);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('terminal: a token and object names are clickable; the token expires', async () => {
  const { page, consoleErrors } = await fresh();
  await run(page, 'kubectl create serviceaccount build-robot');
  const out = await run(page, 'kubectl create token build-robot --duration=10m');
  const token = out.split('\n')[1];
  const link = page.locator('.transcript .entry').last().locator('.term-link.token');
  assert.equal(await link.innerText(), token);
  await link.click();
  assert.equal(await page.getByRole('tab', { name: 'Token' }).getAttribute('aria-selected'), 'true');
  assert.equal(await status(page), 'valid');
  assert.match(await page.locator('.verdict .why').innerText(), /system:serviceaccount:default:build-robot/);
  // Copy as curl shows the command.
  await page.getByRole('button', { name: 'Copy as curl' }).click();
  assert.equal(
    await page.locator('.curl-command').innerText(),
    `curl -k -H 'Authorization: Bearer ${token}' https://172.18.0.2:6443/api`,
  );
  await jump(page, '+1 h');
  assert.equal(await status(page), 'expired');
  assert.match(await page.locator('.timeline .marks li.exp').innerText(), /ago\)/);
  await page.screenshot({ path: screenshotPath('inspectors-expired'), fullPage: true });

  // Names in a kubectl table open the object; the text keeps its columns.
  const table = await run(page, 'kubectl get sa');
  assert.match(table, /^NAME {10}SECRETS {3}AGE$/m);
  assert.match(table, /^build-robot {3}0 {9}\d+m$/m);
  const entry = page.locator('.transcript .entry').last();
  assert.equal(await entry.locator('.term-link.object').count(), 2);
  await entry.getByRole('button', { name: 'build-robot', exact: true }).click();
  assert.equal(await page.getByRole('tab', { name: 'Explorer' }).getAttribute('aria-selected'), 'true');
  assert.match(await page.locator('.detail pre.output').innerText(), /^Name:\s+build-robot$/m);
  // `kind/name` lines too, in the namespace given with -n.
  await run(page, 'kubectl get sa -n kube-system -o name');
  await page.locator('.transcript .entry').last().getByRole('button', { name: 'serviceaccount/default' }).click();
  assert.match(await page.locator('.detail pre.output').innerText(), /^Namespace:\s+kube-system$/m);
  // A pod's detail bar opens the pod inspector.
  await run(page, 'kubectl run api --image=nginx');
  await run(page, 'kubectl get pods');
  await page.locator('.transcript .entry').last().getByRole('button', { name: 'api', exact: true }).click();
  await page.locator('.detail-bar').getByRole('button', { name: 'Inspect' }).click();
  assert.equal(await page.locator('.pod-picker select').inputValue(), 'default/api');
  await page.screenshot({ path: screenshotPath('inspectors-terminal-links') });
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
