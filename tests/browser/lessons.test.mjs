// The Lessons panel in Chromium on the release build: exercises open from
// `?exercise=`, the file picker and a drop; a "try it" fills the terminal,
// running it turns the goal green, a reload keeps it; a broken file shows
// its error at its line; a checker finding's Fix makes it go; a preset
// loads; the result file is exported. Screenshots go to target/browser/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useSite, run, freshApp, screenshotPath } from './harness.mjs';

const site = useSite(before, after);
const SHORT = 'exercises/21-short-lived-token.yaml';
const SHORT_TEXT = readFileSync(join(ROOT, 'web', SHORT), 'utf8');

/** The goal's element in the open exercise. */
const goal = (page, id) => page.locator(`.lesson .goal[data-goal="${id}"]`);

async function openLessons(page) {
  await page.getByRole('tab', { name: 'Lessons' }).click();
}

test('?exercise= opens it; try it, run, the goal turns green; a reload keeps it; export', async () => {
  const { page, consoleErrors } = await freshApp(site.context, `${site.server.origin}/?exercise=${SHORT}`);
  // The exercise opens by itself, its setup run as commands in the terminal.
  await page.waitForSelector('.lesson h2');
  assert.equal(await page.locator('.lesson h2').innerText(), 'A short-lived token with curl');
  assert.match(await page.locator('.transcript').innerText(), /kubectl create serviceaccount metrics-reader\s+serviceaccount\/metrics-reader created/);
  await page.waitForSelector('.lesson .goal[data-goal="short-token"].unmet');
  assert.match(await page.locator('.lesson .progress').innerText(), /0 of 3 goals met/);
  // Markdown-lite: `code` and **bold** as elements, not text.
  assert.equal(await page.locator('#step-token .text code').first().innerText(), '--duration=15m');
  assert.equal(await page.locator('#step-expire .text strong').innerText(), '401');
  // Try it fills the terminal's input, it does not run it.
  const entries = await page.locator('.transcript .entry').count();
  await page.locator('#step-token').getByRole('button', { name: 'Try in terminal' }).click();
  assert.equal(await page.locator('#terminal-input').inputValue(), 'TOKEN=$(kubectl create token metrics-reader --duration=15m)');
  assert.equal(await page.locator('.transcript .entry').count(), entries);
  await page.locator('#terminal-input').press('Enter');
  await page.waitForSelector('.lesson .goal[data-goal="short-token"].met');
  assert.match(await page.locator('.lesson .progress').innerText(), /1 of 3 goals met/);
  assert.match(await page.locator('#step-token h3').innerText(), /✓/);
  await page.screenshot({ path: screenshotPath('lessons-goal-met') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('lessons-goal-met-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // A reload rebuilds the session with the exercise open and the goal met;
  // the time it was first met is kept.
  const stored = await page.evaluate(() => localStorage.getItem('sa-playground/progress/short-lived-token'));
  const firstMet = JSON.parse(stored).goals['short-token'];
  assert.ok(firstMet > 0, stored);
  // The address still says `?exercise=`: the page shows it again, without
  // a click.
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  await page.waitForSelector('[role="tab"][aria-selected="true"]:has-text("Lessons")');
  await page.waitForSelector('.lesson .goal[data-goal="short-token"].met');
  assert.equal(await page.locator('.lesson h2').innerText(), 'A short-lived token with curl');
  const again = await page.evaluate(() => localStorage.getItem('sa-playground/progress/short-lived-token'));
  assert.equal(JSON.parse(again).goals['short-token'], firstMet);
  // The setup ran once: the reload replayed, it did not open it again.
  assert.equal((await page.locator('.transcript').innerText()).match(/serviceaccount\/metrics-reader created/g).length, 1);

  // Export: a result file with the exercise, the goals met and the time.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export result' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'short-lived-token-result.json');
  const result = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(result.exercise, { id: 'short-lived-token', title: 'A short-lived token with curl' });
  assert.equal(result.goalsMet, 1);
  assert.equal(result.goalsTotal, 3);
  assert.deepEqual(result.goals.map((g) => [g.id, g.met]), [['short-token', true], ['used', false], ['expired', false]]);
  assert.equal(result.goals[0].firstMet, new Date(firstMet).toISOString());
  assert.equal(result.finished, null);
  assert.ok(result.totalSeconds >= 0);

  // The rest with the clock's button instead of `sleep`: the token used,
  // the clock moved an hour, the token refused; every goal met.
  const curl = 'curl -k -s -H "Authorization: Bearer $TOKEN" https://172.18.0.2:6443/api/v1/namespaces/default/pods';
  await run(page, curl);
  await page.waitForSelector('.lesson .goal[data-goal="used"].met');
  await page.getByRole('button', { name: 'Move the clock +1 h' }).click();
  assert.match(await run(page, curl), /"code": 401/);
  await page.waitForSelector('.lesson .goal[data-goal="expired"].met');
  assert.match(await page.locator('.lesson .progress').innerText(), /3 of 3 goals met/);
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test('the list opens the chapter lesson first; a file picked or dropped opens; a broken one shows its error', async () => {
  const { page, consoleErrors } = await freshApp(site.context, `${site.server.origin}/`);
  await openLessons(page);
  const shipped = page.locator('.shipped li');
  assert.ok((await shipped.count()) >= 8);
  assert.equal(await shipped.first().innerText(), 'Service accounts: the chapter');
  await shipped.first().getByRole('button').click();
  await page.waitForSelector('.lesson h2');
  assert.equal(await page.locator('.lesson h2').innerText(), 'Service accounts: the chapter');
  assert.ok((await page.locator('.lesson .step').count()) >= 14);
  await page.screenshot({ path: screenshotPath('lessons-chapter') });
  // With work to lose, another exercise opens only if the learner agrees.
  await run(page, 'kubectl create serviceaccount mine');
  const [asked] = await Promise.all([
    page.waitForEvent('dialog').then(async (d) => {
      await d.dismiss();
      return d.message();
    }),
    shipped.nth(1).getByRole('button').click(),
  ]);
  assert.match(asked, /starts a fresh cluster/);
  assert.equal(await page.locator('.lesson h2').innerText(), 'Service accounts: the chapter');
  assert.match(await page.locator('.transcript').innerText(), /serviceaccount\/mine created/);

  // The file picker.
  await page.locator('.loaders input[type=file]').setInputFiles({ name: 'mine.yaml', mimeType: 'application/yaml', buffer: Buffer.from(SHORT_TEXT) });
  await page.waitForFunction(() => document.querySelector('.lesson h2')?.innerText === 'A short-lived token with curl');
  assert.match(await page.locator('.exercises').innerText(), /Opened from mine\.yaml/);

  // A broken file: its error, with the line, in the panel.
  const broken = SHORT_TEXT.replace('id: short-lived-token', 'id: Short Lived');
  await page.locator('.loaders input[type=file]').setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from(broken) });
  await page.waitForSelector('.lesson-error');
  assert.match(await page.locator('.lesson-error').innerText(), /broken\.yaml: line 2: id "Short Lived" must be kebab-case/);
  const bad = 'id: x\ntitle: X\ndescription: d\nsteps: []\ngoals:\n  - id: g\n    description: d\n    check: {nonsense: {}}\n';
  await page.locator('.loaders input[type=file]').setInputFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bad) });
  await page.waitForFunction(() => /bad\.yaml: line \d+/.test(document.querySelector('.lesson-error')?.innerText ?? ''));
  await page.screenshot({ path: screenshotPath('lessons-error') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('lessons-error-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // A drop onto the panel.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.yaml', { type: 'application/yaml' }));
    const zone = document.querySelector('.exercises');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, SHORT_TEXT.replace('title: A short-lived token with curl', 'title: Dropped here'));
  await page.waitForFunction(() => document.querySelector('.lesson h2')?.innerText === 'Dropped here');
  assert.equal(await page.locator('.lesson-error').count(), 0);
  // A file from another origin is refused, not fetched.
  await page.goto(`${site.server.origin}/?exercise=https://example.com/x.yaml`);
  await page.waitForSelector('.lesson-error');
  assert.match(await page.locator('.lesson-error').innerText(), /load only from this site/);
  await page.goto(`${site.server.origin}/?exercise=exercises/missing.yaml`);
  await page.waitForFunction(() => /404/.test(document.querySelector('.lesson-error')?.innerText ?? ''));
  assert.deepEqual(consoleErrors.filter((e) => !/404/.test(e)), []);
  await page.close();
});

test('checks: a finding\'s Fix makes it go; its lesson link opens the chapter step; a preset loads', async () => {
  const { page, consoleErrors } = await freshApp(site.context, `${site.server.origin}/`);
  await run(page, 'kubectl create clusterrolebinding ci-admin --clusterrole=cluster-admin --serviceaccount=default:default');
  await openLessons(page);
  await page.locator('.lessons .views').getByRole('button', { name: 'Checks' }).click();
  const finding = page.locator('.finding[data-check="clusterrolebindingClusterAdmin"]');
  await finding.waitFor();
  assert.match(await finding.innerText(), /danger[\s\S]*clusterrolebinding ci-admin/i);
  await page.screenshot({ path: screenshotPath('lessons-checks') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('lessons-checks-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  await finding.getByRole('button', { name: /^Fix/ }).click();
  await page.waitForFunction(() => document.querySelector('.transcript')?.innerText.includes('clusterrolebinding.rbac.authorization.k8s.io "ci-admin" deleted'));
  await page.waitForFunction(() => !document.querySelector('.finding[data-check="clusterrolebindingClusterAdmin"]'));

  // A fix of several commands shows them one a line.
  await run(page, 'kubectl run web --image=nginx');
  const several = page.locator('.finding[data-check="AutomountServiceAccountTokenTrueAndDefaultSA"] .fix code');
  await several.waitFor();
  const fix = await several.evaluate((code) => ({
    commands: code.textContent.split('\n').length,
    lines: Math.round(code.getBoundingClientRect().height / parseFloat(getComputedStyle(code).lineHeight)),
  }));
  assert.ok(fix.commands > 1 && fix.lines >= fix.commands, `a fix of ${fix.commands} commands shows on ${fix.lines} lines`);
  await run(page, 'kubectl delete pod web --now');

  // Presets: one click applies the workload; the checker sees it.
  await page.locator('.lessons .views').getByRole('button', { name: 'Presets' }).click();
  await page.getByRole('button', { name: 'Load Jenkins: deploys into one namespace' }).click();
  await page.waitForFunction(() => document.querySelector('.transcript')?.innerText.includes('serviceaccount/jenkins created'));
  await page.screenshot({ path: screenshotPath('lessons-presets') });
  await page.locator('.lessons .views').getByRole('button', { name: 'Checks' }).click();
  await page.waitForSelector('.finding[data-check="escalation-create-pods"]');
  // The lesson link opens the chapter at the step (after a confirmation,
  // as it starts a fresh cluster).
  page.once('dialog', (d) => d.accept());
  const link = page.locator('.finding').filter({ has: page.getByRole('button', { name: 'Read the lesson step' }) }).first();
  await link.getByRole('button', { name: 'Read the lesson step' }).click();
  await page.waitForFunction(() => document.querySelector('.lesson h2')?.innerText === 'Service accounts: the chapter');
  await page.waitForFunction(() => document.activeElement?.classList.contains('step'));
  assert.deepEqual(consoleErrors, []);
  await page.close();
});
