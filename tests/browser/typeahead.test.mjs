// A slow start (index.html, crates/ui/src/typeahead.rs): when the app takes
// a while to arrive, the page shows its skeleton, whose terminal already
// takes commands; what was entered there runs as soon as the app starts,
// and an unfinished command, the line being typed and the focus carry over
// to the app's terminal. (That a quick start never shows it is a matter of
// timing: compare-builds.mjs and docs/BENCHMARKS.md, not a test.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { holdFirstModule, launch, serve, stageSite, screenshotPath } from './harness.mjs';

let server;
before(async () => {
  server = await serve(stageSite().dir);
});
after(() => server?.close());

/** A first visit whose first module is held back until `release()`. */
async function slowStart(t, query = '') {
  const context = await launch();
  t.after(() => context.close());
  const page = await context.newPage();
  const release = await holdFirstModule(page);
  await page.goto(`${server.origin}/${query}`);
  return { page, release };
}

/** Pastes `text` into the focused element as a browser does. */
async function paste(page, text) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('what is typed while the app is still loading runs once it starts', async (t) => {
  const { page, release } = await slowStart(t);
  const skeleton = page.locator('[data-skeleton]');
  await skeleton.waitFor();
  assert.match(await skeleton.innerText(), /You can type commands already/);
  const input = skeleton.getByLabel('Command line');
  await input.click();
  await input.fill('kubectl create serviceaccount early');
  await input.press('Enter');
  // Several lines pasted: all but the last are entered; the last (part of
  // a here-document's end) stays on the line being typed.
  await paste(page, 'kubectl get sa -o name\ncat <<EOF\nstill typing\nEO');
  assert.deepEqual(await skeleton.locator('.transcript pre').allInnerTexts(), [
    '$ kubectl create serviceaccount early',
    '$ kubectl get sa -o name',
    '$ cat <<EOF',
    '$ still typing',
  ]);
  assert.equal(await input.inputValue(), 'EO');
  await page.screenshot({ path: screenshotPath('typeahead-skeleton') });

  release();
  await page.waitForSelector('[data-ready="true"]');
  assert.equal(await page.locator('[data-skeleton]').count(), 0, 'the app replaced the skeleton');
  const entries = page.locator('.transcript .entry');
  assert.equal(await entries.count(), 2);
  assert.match(await entries.nth(0).innerText(), /\$ kubectl create serviceaccount early\nserviceaccount\/early created/);
  assert.match(await entries.nth(1).innerText(), /serviceaccount\/default\nserviceaccount\/early/);
  // The unfinished here-document waits at the `> ` prompt, the typed text
  // in the input, which has the focus.
  const app = page.locator('.terminal');
  assert.match(await app.locator('.prompt-line').innerText(), /^>/);
  const line = app.getByLabel('Command line');
  assert.equal(await line.inputValue(), 'EO');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'terminal-input');
  await page.screenshot({ path: screenshotPath('typeahead-started') });
  await page.keyboard.press('End');
  await page.keyboard.type('F');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.transcript .entry').length === 3);
  assert.match(await entries.nth(2).innerText(), /^\$ cat <<EOF\n> still typing\n> EOF\nstill typing\n?$/);

  // Typed-ahead commands are part of the session like any other: a reload
  // replays them.
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  const names = await page.evaluate(async () => {
    const input = document.getElementById('terminal-input');
    input.value = 'kubectl get sa early -o name';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await new Promise((r) => requestAnimationFrame(r));
    return [...document.querySelectorAll('.transcript .entry')].pop()?.innerText;
  });
  assert.match(names, /serviceaccount\/early/);
});

test('the skeleton takes the compact layout of ?embed=1', async (t) => {
  const { page, release } = await slowStart(t, '?embed=1');
  const skeleton = page.locator('[data-skeleton]');
  await skeleton.waitFor();
  assert.equal(await skeleton.getAttribute('class'), 'playground embed');
  assert.equal(await page.locator('[data-skeleton] h1').isVisible(), false);
  release();
  await page.waitForSelector('[data-ready="true"]');
});

test('the skeleton shows even when its timer fires before the body is parsed', async (t) => {
  // A busy machine: the head's script runs after its 250 ms have passed,
  // so its timer fires at once, possibly before the parser has reached the
  // skeleton's template in the body (CI once waited 30 s for a skeleton
  // that never came).
  const context = await launch();
  t.after(() => context.close());
  const page = await context.newPage();
  const release = await holdFirstModule(page);
  await page.addInitScript(() => {
    const start = Date.now();
    while (Date.now() - start < 300) {
      // Busy, as a loaded machine is, before the page's own script runs.
    }
  });
  await page.goto(`${server.origin}/`);
  await page.locator('[data-skeleton]').waitFor({ timeout: 10_000 });
  release();
  await page.waitForSelector('[data-ready="true"]');
});
