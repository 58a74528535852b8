// The Access panel and the YAML editor's problems at their line, in
// Chromium on the release build: a service account may not list pods until
// the chapter's Role and RoleBinding are applied from the editor; the why,
// the matrix and who-can follow; a YAML syntax error and an unknown field
// are marked at their line. Screenshots go to target/browser/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, run, freshApp, screenshotPath } from './harness.mjs';

const site = useSite(before, after);

const fresh = () => freshApp(site.context, `${site.server.origin}/`);

/** Applies one of the editor's templates and waits for kubectl's answer. */
async function applyTemplate(page, name, created) {
  await page.getByRole('tab', { name: 'YAML' }).click();
  await page.locator('.templates').getByRole('button', { name, exact: true }).click();
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction((t) => document.querySelector('.transcript')?.innerText.includes(t), created);
}

async function ask(page, subject) {
  await page.getByRole('tab', { name: 'Access' }).click();
  await page.getByLabel('Subject', { exact: true }).selectOption({ label: subject });
  await page.getByLabel('Verb', { exact: true }).selectOption('list');
  await page.getByLabel('Resource', { exact: true }).selectOption('pods');
  await page.locator('.access').getByLabel('Namespace').selectOption('default');
  return page.locator('.access .answer').innerText();
}

/** The matrix as { resource: [verbs allowed] }. */
async function matrix(page) {
  return page.evaluate(() => {
    const verbs = [...document.querySelectorAll('.access .matrix thead th')].slice(1).map((th) => th.innerText);
    const out = {};
    for (const row of document.querySelectorAll('.access .matrix tbody tr')) {
      const cells = [...row.querySelectorAll('td')];
      out[row.querySelector('th').innerText] = verbs.filter((_, i) => cells[i].classList.contains('yes'));
    }
    return out;
  });
}

test('access: no, then yes through the chapter\'s RoleBinding; matrix and who-can follow', async () => {
  const { page, consoleErrors } = await fresh();
  await run(page, 'kubectl create serviceaccount build-robot');
  const before = await ask(page, 'service account default/build-robot');
  assert.match(before, /^no\b/);
  // The why: each binding that names the account (through its groups), and
  // that none of their rules matches.
  assert.match(before, /ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated": no rule matches/);
  const command = 'kubectl auth can-i list pods -n default --as=system:serviceaccount:default:build-robot';
  assert.equal(await page.locator('.access .command code').innerText(), command);
  await page.getByRole('button', { name: 'Run in terminal' }).click();
  await page.waitForFunction((c) => document.querySelector('.transcript .entry:last-child')?.innerText.includes(c), command);
  assert.match(await page.locator('.transcript .entry').last().innerText(), /\nno\s*$/);
  assert.deepEqual(Object.values(await matrix(page)).flat(), [], 'nothing allowed yet');

  await applyTemplate(page, 'Role', 'role.rbac.authorization.k8s.io/pod-reader created');
  await applyTemplate(page, 'RoleBinding', 'rolebinding.rbac.authorization.k8s.io/read-pods created');

  const after = await ask(page, 'service account default/build-robot');
  assert.match(after, /^yes\b/);
  assert.match(after, /allowed by RoleBinding "read-pods\/default" of Role "pod-reader" to ServiceAccount "build-robot\/default"/);
  const m = await matrix(page);
  assert.deepEqual(m.pods, ['get', 'list', 'watch']);
  for (const [resource, verbs] of Object.entries(m)) {
    if (resource !== 'pods') assert.deepEqual(verbs, [], `${resource}: ${verbs}`);
  }
  assert.ok('pods/exec' in m && 'serviceaccounts/token' in m, Object.keys(m).join(' '));
  // Cells say their answer to screen readers, not only with a sign.
  assert.equal(await page.locator('.access .matrix tbody tr').first().locator('td').first().innerText(), '✓\nallowed');
  const who = await page.locator('.access .who tbody').innerText();
  assert.match(who, /ServiceAccount default\/build-robot\s+RoleBinding default\/read-pods\s+Role pod-reader/);
  assert.match(who, /Group system:masters/);
  // The admin's group holds cluster-admin through kubeadm's binding.
  assert.match(who, /Group kubeadm:cluster-admins\s+ClusterRoleBinding kubeadm:cluster-admins\s+ClusterRole cluster-admin/);
  // The table fits its panel (long subjects break instead of widening it).
  const fit = await page.evaluate(() => ({
    table: document.querySelector('.access .who').getBoundingClientRect().width,
    panel: document.querySelector('#side-panel').clientWidth,
  }));
  assert.ok(fit.table <= fit.panel, `who-can is ${fit.table}px wide in a ${fit.panel}px panel`);
  // Exec is another question: pods/exec is not granted by pods.
  await page.getByLabel('Verb', { exact: true }).selectOption('create');
  await page.getByLabel('Resource', { exact: true }).selectOption('pods/exec');
  assert.match(await page.locator('.access .answer').innerText(), /^no\b/);
  assert.equal(
    await page.locator('.access .command code').innerText(),
    'kubectl auth can-i create pods --subresource=exec -n default --as=system:serviceaccount:default:build-robot',
  );
  await page.getByLabel('Verb', { exact: true }).selectOption('list');
  await page.getByLabel('Resource', { exact: true }).selectOption('pods');
  await page.getByRole('button', { name: 'Run in terminal' }).click();
  await page.waitForFunction(() => /\nyes\s*$/.test(document.querySelector('.transcript .entry:last-child')?.innerText ?? ''));
  await page.screenshot({ path: screenshotPath('access-yes') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('access-yes-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  // A typed user with a group.
  await page.getByLabel('Subject', { exact: true }).selectOption({ label: 'a user or groups…' });
  await page.getByLabel('User name').fill('jane');
  await page.getByLabel('Groups, separated by commas').fill('system:masters');
  assert.match(await page.locator('.access .answer').innerText(), /^yes\b[\s\S]*jane is in group system:masters/);
  assert.match(await page.locator('.access .command code').innerText(), /--as=jane --as-group=system:masters$/);
  // The learner's own identity goes through RBAC, not system:masters.
  await page.getByLabel('User name').fill('kubernetes-admin');
  await page.getByLabel('Groups, separated by commas').fill('kubeadm:cluster-admins');
  assert.match(
    await page.locator('.access .answer').innerText(),
    /^yes\b[\s\S]*allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"/,
  );
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('editor: a YAML syntax error and an unknown field are marked at their line', async () => {
  const { page, consoleErrors } = await fresh();
  await page.getByRole('tab', { name: 'YAML' }).click();
  const area = page.locator('.editor textarea');
  await area.fill('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: broken\n bad: 1\n');
  // Highlighting: keys, strings and the rest in their own colours.
  await page.waitForFunction(() => document.querySelectorAll('.editor .highlight .y-key').length === 5);
  assert.deepEqual(await page.locator('.editor .highlight .y-key').allInnerTexts(), ['apiVersion', 'kind', 'metadata', 'name', 'bad']);
  assert.equal(await page.locator('.editor .ln.error').count(), 0);
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForSelector('.editor .ln.error');
  assert.equal((await page.locator('.editor .ln.error').innerText()).trim(), '✖ 5');
  assert.equal(await page.locator('.editor .problems li').innerText(), 'Line 5: yaml: line 4: did not find expected key');
  assert.match(await page.locator('.editor .yl.error + .lint').innerText(), /did not find expected key/);
  assert.equal(await area.getAttribute('aria-invalid'), 'true');
  // kubectl still answered in the terminal.
  assert.match(await page.locator('.transcript .entry').last().innerText(), /error parsing STDIN: .*line 4: did not find expected key/);
  await page.screenshot({ path: screenshotPath('editor-syntax-error') });
  // Editing clears the marks; the "Line" button moves the cursor there.
  await area.fill('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    imagee: nginx\n    image: nginx:1.27\n');
  assert.equal(await page.locator('.editor .ln.error').count(), 0);
  assert.ok((await page.locator('.editor .highlight .y-dash').count()) >= 1);
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForSelector('.editor .ln.error');
  assert.equal((await page.locator('.editor .ln.error').innerText()).trim(), '✖ 8');
  assert.equal(await page.locator('.editor .problems li').innerText(), 'Line 8: unknown field "spec.containers[0].imagee"');
  assert.match(await page.locator('.transcript .entry').last().innerText(), /strict decoding error: unknown field "spec.containers\[0\].imagee"/);
  await page.locator('.editor .problems').getByRole('button', { name: 'Line 8' }).click();
  const caret = await area.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
  assert.equal(caret, 8);
  await page.screenshot({ path: screenshotPath('editor-unknown-field') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('editor-unknown-field-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  // A manifest without a name: kubectl's error names no line; its metadata is marked.
  await area.fill('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: default\n');
  await page.locator('.editor .actions').getByRole('button', { name: 'Apply' }).click();
  await page.waitForSelector('.editor .ln.error');
  assert.equal((await page.locator('.editor .ln.error').innerText()).trim(), '✖ 3');
  assert.equal(await page.locator('.editor .problems li').innerText(), 'Line 3: resource name may not be empty');
  assert.match(await page.locator('.transcript .entry').last().innerText(), /resource name may not be empty/);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
