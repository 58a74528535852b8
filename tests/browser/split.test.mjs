// The release build's two modules (crates/wasm-split, crates/ui/src/split.rs):
// a first visit starts on the first module and answers its first command
// without the second, which then arrives in the background (and a reload,
// which replays the journal, waits for it first); moved code that
// runs before it arrives loads it on the spot; and a second module that
// cannot be loaded, or belongs to another build, is reported on the page,
// not left as a dead terminal or run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launch, run, serve, stageSite, typeOnPrompt, screenshotPath } from './harness.mjs';

const COLD = /_cold\.wasm$/;
// jq runs code no first visit runs: the profile leaves it to the second module.
const MOVED_COMMAND = `echo '{"a":[1,2]}' | jq -c .a`;

let server;
before(async () => {
  server = await serve(stageSite().dir);
});
after(() => server?.close());

/** A page in a browser of its own: an empty store, as on a first visit. */
async function firstVisit(t) {
  const context = await launch();
  t.after(() => context.close());
  return context.newPage();
}

const split = (page) => page.evaluate(() => ({ ...globalThis.__saplaySplit }));

/**
 * Opens the playground, runs a command that needs the second module, and
 * waits for the notice that it could not be loaded.
 */
async function expectNoticeAfterMovedCode(page) {
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('[data-ready="true"]');
  const input = page.getByLabel('Command line');
  await input.fill(MOVED_COMMAND);
  await input.press('Enter');
  const alert = page.locator('#saplay-split-failed[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be loaded.*Reload the page/s);
}

test('the build ships a second module and names it in index.html', () => {
  const files = readdirSync(DIST);
  assert.equal(files.filter((f) => f.endsWith('_bg.wasm')).length, 1);
  assert.equal(files.filter((f) => COLD.test(f)).length, 1);
});

test('a first visit answers without the second module, which then arrives in the background', async (t) => {
  const page = await firstVisit(t);
  const coldRequests = [];
  page.on('request', (r) => COLD.test(r.url()) && coldRequests.push(r.url()));
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await page.goto(`${server.origin}/`);
  await page.evaluate(() => window.__first);
  const first = await split(page);
  assert.equal(first.sync, 0, `start-up and the first command ran moved code:\n${first.stack}`);

  await page.waitForFunction(() => globalThis.__saplaySplit.installed);
  assert.equal(coldRequests.length, 1);
  assert.match(await run(page, MOVED_COMMAND), /\[1,2\]/);
  const state = await split(page);
  assert.equal(state.sync, 0, `moved code ran before the second module arrived:\n${state.stack}`);
  assert.equal(state.error, '');

  // A reload replays the journal, jq included: the page fetches the second
  // module before it replays, instead of loading it in the middle.
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  await page.locator('.transcript .stdout', { hasText: '[1,2]' }).waitFor();
  const reloaded = await split(page);
  assert.equal(reloaded.installed, true);
  assert.equal(reloaded.sync, 0, `the reload ran moved code before the second module arrived:\n${reloaded.stack}`);
});

for (const [what, query] of [
  ['an embedded page', '?embed=1'],
  ['a page that opens an exercise', '?exercise=exercises/00-chapter.yaml'],
]) {
  test(`${what} starts without loading the second module synchronously`, async (t) => {
    const page = await firstVisit(t);
    await page.goto(`${server.origin}/${query}`);
    await page.waitForSelector('[data-ready="true"]');
    if (query.includes('exercise')) await page.locator('#lesson-title').waitFor();
    assert.match(await run(page, 'kubectl get sa'), /default/);
    await page.waitForFunction(() => globalThis.__saplaySplit.installed);
    const state = await split(page);
    assert.equal(state.sync, 0, `moved code ran before the second module arrived:\n${state.stack}`);
  });
}

test('the first module is fetched by the page itself, and both still load from a host that sends another media type', async (t) => {
  const page = await firstVisit(t);
  // scripts/early-wasm.py: the page's first script fetches the wasm the
  // meta names, and Trunk's loader is handed that; no preload remains.
  const wasmRequests = [];
  page.on('request', (r) => /_bg\.wasm$/.test(r.url()) && wasmRequests.push(r.url()));
  await page.route(/\.wasm$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('[data-ready="true"]');
  const named = await page.evaluate(() => document.querySelector('meta[name="saplay-wasm"]')?.content);
  assert.match(named, /_bg\.wasm$/);
  assert.equal(await page.locator('link[rel="preload"][href$="_bg.wasm"]').count(), 0);
  assert.equal(wasmRequests.length, 1, `the first module was fetched ${wasmRequests.length} times`);
  assert.match(await run(page, 'kubectl get sa'), /default/);
  await page.waitForFunction(() => globalThis.__saplaySplit.installed);
  assert.match(await run(page, MOVED_COMMAND), /\[1,2\]/);
  const state = await split(page);
  assert.equal(state.sync, 0);
  assert.equal(state.error, '');
});

test('moved code that runs before the second module arrives loads it on the spot', async (t) => {
  const page = await firstVisit(t);
  // Hold the background fetch back; let the synchronous request through.
  let held;
  await page.route(COLD, (route) => {
    if (held) route.continue();
    else held = route;
  });
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('[data-ready="true"]');
  await page.waitForFunction(() => globalThis.__saplaySplit.prefetched);
  assert.equal((await split(page)).installed, false);

  assert.match(await run(page, MOVED_COMMAND), /\[1,2\]/);
  const state = await split(page);
  assert.equal(state.sync, 1);
  assert.equal(state.installed, true);
  // The held fetch arriving later changes nothing.
  await held.continue();
  assert.match(await run(page, 'kubectl get sa -o name'), /serviceaccount\/default/);
  assert.equal((await split(page)).sync, 1);
});

test('a second module that cannot be loaded is reported on the page', async (t) => {
  const page = await firstVisit(t);
  await page.route(COLD, (route) => route.abort());
  await expectNoticeAfterMovedCode(page);
  await page.screenshot({ path: screenshotPath('split-failed') });
});

test("a second module of another build is refused and reported, not run", async (t) => {
  // The second module as another split would make it: the same bytes, but
  // the split identity it imports is another's.
  const cold = readFileSync(join(DIST, readdirSync(DIST).find((f) => COLD.test(f))));
  const at = cold.indexOf('__split_id_') + '__split_id_'.length + 15;
  assert.ok(at > 26, 'the second module imports its split identity');
  const other = Buffer.from(cold);
  other[at] = other[at] === 0x30 ? 0x31 : 0x30;

  const page = await firstVisit(t);
  await page.route(COLD, (route) => route.fulfill({ body: other, contentType: 'application/wasm' }));
  await expectNoticeAfterMovedCode(page);
  assert.match((await split(page)).error, /__split_id_/);
  assert.equal(await page.locator('.transcript .stdout', { hasText: '[1,2]' }).count(), 0);
});
