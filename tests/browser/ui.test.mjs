// The playground's panels in Chromium on the release build: the terminal
// (history, Tab completion, continuation lines, Ctrl-C), the explorer, the
// YAML editor, the clock, the audit view, and the saved state (reload,
// share link, corrupt store, reset). Screenshots go to target/browser/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, run, freshApp, launch, openApp, screenshotPath } from './harness.mjs';

const site = useSite(before, after);

const fresh = (url = `${site.server.origin}/`) => freshApp(site.context, url);

test('terminal: history, Tab completion, continuation lines and Ctrl-C', async () => {
  const { page, consoleErrors } = await fresh();
  // A first visit's empty terminal says where to start, until a command runs.
  assert.match(await page.locator('.transcript .welcome').innerText(), /kubectl get serviceaccounts[\s\S]*Lessons tab/);
  await run(page, 'kubectl create serviceaccount build-robot');
  assert.equal(await page.locator('.transcript .welcome').count(), 0);
  const input = page.locator('#terminal-input');
  // ↑ brings the last command back.
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl create serviceaccount build-robot');
  await input.fill('');
  // Tab completes a live object's name.
  await input.fill('kubectl get sa bui');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get sa build-robot ');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('.transcript')?.innerText.includes('build-robot   0         0s'));
  // An unfinished here-document waits for more lines behind a `> ` prompt.
  await input.fill('cat <<EOF');
  await input.press('Enter');
  assert.equal((await page.locator('.prompt-line .prompt').innerText()).trim(), '>');
  await input.fill('inside');
  await input.press('Enter');
  await input.fill('EOF');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('.transcript .entry:last-child')?.innerText.includes('inside'));
  // Ctrl-C drops the line being typed.
  await input.fill('kubectl delete sa build-robot');
  await input.press('Control+c');
  assert.equal(await input.inputValue(), '');
  assert.match(await page.locator('.transcript').innerText(), /kubectl delete sa build-robot\^C/);
  // A line longer than the terminal wraps at its edge, as a terminal
  // wraps it: the cause at the end of a long error stays in view.
  await run(page, 'kubectl get serviceaccount a-service-account-whose-name-is-long-enough-to-need-a-second-line');
  const last = await page.evaluate(() => {
    const pre = document.querySelector('.transcript .entry:last-child pre.stderr');
    return { text: pre.innerText, scroll: pre.scrollWidth, client: pre.clientWidth, height: pre.getBoundingClientRect().height, line: parseFloat(getComputedStyle(pre).lineHeight) };
  });
  assert.match(last.text, /not found/);
  assert.ok(last.height >= 2 * last.line - 1, `the long line did not wrap (${last.height}px high)`);
  // The cancelled line stays where it was, as a terminal keeps it.
  assert.match(await page.locator('.transcript').innerText(), /kubectl delete sa build-robot\^C[\s\S]*a-service-account-whose-name/);
  assert.ok(last.scroll <= last.client, `a long output line scrolls sideways (${last.scroll} > ${last.client})`);
  await page.screenshot({ path: screenshotPath('ui-terminal') });
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('explorer: select a service account and read its describe and YAML', async () => {
  const { page } = await fresh();
  await run(page, 'kubectl create serviceaccount dashboard-sa');
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByRole('button', { name: 'dashboard-sa', exact: true }).click();
  await page.waitForSelector('.detail pre.output');
  const describe = await page.locator('.detail pre.output').innerText();
  assert.match(describe, /^Name:\s+dashboard-sa$/m);
  assert.match(describe, /^Namespace:\s+default$/m);
  await page.locator('.detail-bar').getByRole('button', { name: 'YAML' }).click();
  await page.waitForFunction(() => document.querySelector('.detail pre.output')?.innerText.startsWith('apiVersion: v1'));
  // The explorer's reads leave no trace in the audit log.
  await page.getByRole('tab', { name: 'Audit' }).click();
  const rows = await page.locator('.audit tbody tr').allInnerTexts();
  assert.equal(rows.filter((r) => r.includes('/serviceaccounts')).length, 1, rows.join('\n'));
  assert.equal(rows.filter((r) => r.includes('serviceaccounts/dashboard-sa')).length, 0, rows.join('\n'));
  await page.screenshot({ path: screenshotPath('ui-explorer') });
  await page.close();
});

test('editor: a template applied from the editor creates the object', async () => {
  const { page } = await fresh();
  await page.getByRole('tab', { name: 'YAML' }).click();
  await page.locator('.templates').getByRole('button', { name: 'ServiceAccount' }).click();
  assert.match(await page.locator('.editor textarea').inputValue(), /name: build-robot/);
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => document.querySelector('.transcript')?.innerText.includes('serviceaccount/build-robot created'));
  // A broken manifest: kubectl's error shows in the terminal.
  await page.locator('.editor textarea').fill('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [x\n');
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => document.querySelector('.transcript .entry:last-child .stderr')?.innerText.includes('error'));
  await page.screenshot({ path: screenshotPath('ui-editor') });
  await page.close();
});

test('editor: kubectl edit opens the object in the YAML tab; Save sends the change', async () => {
  const { page, consoleErrors } = await fresh();
  const entry = await run(page, 'kubectl edit sa default');
  assert.match(entry, /opened in the YAML tab/);
  assert.doesNotMatch(entry, /saplay-edit/, 'the request is not shown raw');
  await page.waitForSelector('[role="tab"][aria-selected="true"]:has-text("YAML")');
  const area = page.locator('.editor textarea');
  // The text takes the keyboard, as kubectl's editor would.
  await page.waitForFunction(() => document.activeElement?.matches('.editor textarea'));
  const opened = await area.inputValue();
  assert.match(opened, /^# Please edit the object below\./);
  assert.match(opened, /\n  name: default\n/);
  await area.fill(opened.replace('metadata:\n', 'metadata:\n  labels:\n    team: blue\n'));
  await page.locator('.editor .actions').getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => document.querySelector('.transcript .entry:last-child')?.innerText.includes('serviceaccount/default edited'));
  // Edited: the editor is a plain editor again, and the label is there.
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).waitFor();
  assert.match(await run(page, 'kubectl get sa default --show-labels'), /team=blue/);
  // Cancel leaves the edit without sending anything.
  await run(page, 'kubectl edit sa default');
  await page.locator('.editor .actions').getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).waitFor();
  await page.screenshot({ path: screenshotPath('ui-kubectl-edit') });
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('clock: jumps and next event move the cluster time; the mounted token is rotated', async () => {
  const { page } = await fresh();
  await run(page, 'kubectl run web --image=nginx');
  const before = await run(page, 'kubectl exec web -- ls -a /var/run/secrets/kubernetes.io/serviceaccount');
  const clock = page.locator('.clock .now');
  assert.equal(await clock.innerText(), '2025-01-01 00:00:00 UTC');
  await page.getByRole('button', { name: 'Move the clock +10 min' }).click();
  assert.equal(await clock.innerText(), '2025-01-01 00:10:00 UTC');
  await page.getByRole('button', { name: 'Move the clock +1 h' }).click();
  assert.equal(await clock.innerText(), '2025-01-01 01:10:00 UTC');
  const after = await run(page, 'kubectl exec web -- ls -a /var/run/secrets/kubernetes.io/serviceaccount');
  const dataDir = (text) => text.split('\n').find((l) => l.startsWith('..2025'));
  assert.notEqual(dataDir(before), dataDir(after), 'the kubelet wrote a new token directory');
  await page.getByRole('button', { name: 'Next event' }).click();
  assert.notEqual(await clock.innerText(), '2025-01-01 01:10:00 UTC');
  // Play at 600×: time moves on its own.
  await page.getByLabel('Clock speed').selectOption('600');
  const paused = await clock.innerText();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((t) => document.querySelector('.clock .now')?.innerText !== t, paused);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: screenshotPath('ui-clock') });
  await page.close();
});

test('state: kept across a reload, rebuilt from a share link, a corrupt store replaced with a notice', async () => {
  const { page } = await fresh();
  await run(page, 'kubectl create serviceaccount kept');
  const uid = await run(page, "kubectl get sa kept -o jsonpath='{.metadata.uid}'");
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  const again = await run(page, "kubectl get sa kept -o jsonpath='{.metadata.uid}'");
  assert.equal(again.split('\n')[1], uid.split('\n')[1], 'same object after reload');
  // A share link rebuilds the same state in a fresh browser profile.
  const journal = await page.evaluate(() => localStorage.getItem('sa-playground/journal'));
  const fragment = Buffer.from(journal).toString('base64url');
  const other = await launch();
  const shared = await openApp(other, `${site.server.origin}/#s=${fragment}`);
  assert.ok(shared.ready);
  await shared.page.waitForSelector('.notice');
  assert.match(await shared.page.locator('.notice').innerText(), /Rebuilt the playground from the link/);
  const there = await run(shared.page, "kubectl get sa kept -o jsonpath='{.metadata.uid}'");
  assert.equal(there.split('\n')[1], uid.split('\n')[1], 'same UID from the share link');
  await other.close();
  // A corrupt store: a fresh cluster and a visible notice, never a blank page.
  await page.evaluate(() => localStorage.setItem('sa-playground/journal', '{"version":1,"steps":[{"oops'));
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  assert.match(await page.locator('.notice').innerText(), /could not be read/);
  const gone = await run(page, 'kubectl get sa kept');
  assert.match(gone, /NotFound/);
  await page.screenshot({ path: screenshotPath('ui-notice') });
  // Reset starts again (after confirming).
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.transcript .entry').length === 0);
  await page.close();
});

test('audit: filter requests by user and decision', async () => {
  const { page } = await fresh();
  await run(page, 'kubectl create sa viewer');
  await run(page, 'kubectl get pods --as=system:serviceaccount:default:viewer');
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.getByLabel('Decision').selectOption('forbid');
  const rows = await page.locator('.audit tbody tr:not(.why)').allInnerTexts();
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /system:serviceaccount:default:viewer/);
  // Under it, why it was refused (the authorizer's reason).
  assert.match(await page.locator('.audit tbody tr.why').innerText(), /^Why: \S/);
  // A request with no valid credentials: no user, and the authenticator's reason.
  await run(page, 'curl -sk -H "Authorization: Bearer not-a-token" https://172.18.0.2:6443/api');
  await page.getByLabel('Decision').selectOption('unauthenticated');
  const refused = await page.locator('.audit tbody tr:not(.why)').first().innerText();
  assert.match(refused, /\(none\)[\s\S]*401/);
  assert.match(await page.locator('.audit tbody tr.why').first().innerText(), /^Why: \S/);
  // At 1024 px the table, long reasons and all, fits its panel.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByLabel('Decision').selectOption('');
  const fit = await page.evaluate(() => ({
    table: document.querySelector('.audit table').getBoundingClientRect().width,
    panel: document.querySelector('#side-panel').clientWidth,
  }));
  assert.ok(fit.table <= fit.panel, `the audit table is ${fit.table}px wide in a ${fit.panel}px panel`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: screenshotPath('ui-audit') });
  await page.close();
});

test('embed=1 gives the compact layout', async () => {
  const { page } = await fresh(`${site.server.origin}/?embed=1`);
  assert.equal(await page.locator('.masthead h1').count(), 0);
  assert.equal(await page.locator('.playground.embed').count(), 1);
  await page.setViewportSize({ width: 800, height: 500 });
  await page.screenshot({ path: screenshotPath('ui-embed') });
  await page.close();
});
