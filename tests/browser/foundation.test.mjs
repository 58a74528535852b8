// The release build loads and runs in Debian's headless Chromium, from the
// server root and from a sub-path, with no console errors and no requests to
// other origins; and a build whose wasm is missing is seen as broken.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, serve, stageSite, screenshotPath } from './harness.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

async function withSite(subPath, mutate, body) {
  const site = stageSite(subPath);
  mutate?.(site.dir);
  const server = await serve(site.root);
  try {
    await body(`${server.origin}/${subPath}`);
  } finally {
    server.close();
    rmSync(site.root, { recursive: true, force: true });
  }
}

for (const subPath of ['', 'courses/kubernetes/playground/']) {
  test(`app renders from /${subPath} with no console errors and no foreign requests`, async () => {
    await withSite(subPath, null, async (url) => {
      const app = await openApp(context, url);
      assert.equal(app.ready, true, `app did not render; console: ${app.consoleErrors.join(' | ')}`);
      assert.deepEqual(app.consoleErrors, []);
      assert.deepEqual(app.foreignRequests, []);
      assert.deepEqual(app.failedRequests, []);
      assert.match(await app.page.title(), /sa-playground/);
      await app.page.screenshot({ path: screenshotPath(subPath ? 'foundation-subpath' : 'foundation') });
      await app.page.close();
    });
  });
}

test('the terminal runs a command through the wasm shell', async () => {
  await withSite('', null, async (url) => {
    const app = await openApp(context, url);
    assert.equal(app.ready, true);
    const input = app.page.getByLabel('Command line');
    await input.fill('frobnicate');
    await input.press('Enter');
    const err = app.page.locator('.transcript .stderr').last();
    await err.waitFor();
    assert.equal(await err.textContent(), 'sh: frobnicate: command not found\n');
    await input.fill('echo hello from wasm');
    await input.press('Enter');
    await app.page.locator('.transcript .stdout', { hasText: 'hello from wasm' }).waitFor();
    await app.page.screenshot({ path: screenshotPath('foundation-terminal') });
    await app.page.close();
  });
});

test('a build whose wasm fails to load is reported as not rendered', async () => {
  const dropWasm = (dir) => {
    for (const f of readdirSync(dir)) if (f.endsWith('.wasm')) rmSync(join(dir, f));
  };
  await withSite('', dropWasm, async (url) => {
    const app = await openApp(context, url);
    assert.equal(app.ready, false);
    assert.ok(app.consoleErrors.length > 0, 'expected the failure to show in the console');
    await app.page.close();
  });
});

test('kubectl in the browser gives the same answers as natively (same seed, same UIDs)', async () => {
  // The native transcript records the UID the default seed gives the first
  // service account a learner creates.
  const transcript = readFileSync(join(ROOT, 'crates/shell/tests/transcripts/02-create-service-account.txt'), 'utf8');
  const nativeUid = transcript.match(/^  uid: (\S+)$/m)?.[1];
  assert.ok(nativeUid, 'no uid in the native transcript');
  await withSite('', null, async (url) => {
    const app = await openApp(context, url);
    assert.equal(app.ready, true);
    const input = app.page.getByLabel('Command line');
    await input.fill('kubectl create serviceaccount dashboard-sa');
    await input.press('Enter');
    await app.page.locator('.transcript .stdout', { hasText: 'serviceaccount/dashboard-sa created' }).waitFor();
    await input.fill('kubectl get sa dashboard-sa -o yaml');
    await input.press('Enter');
    const yaml = app.page.locator('.transcript .stdout', { hasText: 'kind: ServiceAccount' });
    await yaml.waitFor();
    assert.match(await yaml.textContent(), new RegExp(`uid: ${nativeUid}`));
    await input.fill('kubectl get sa');
    await input.press('Enter');
    await app.page.locator('.transcript .stdout', { hasText: 'dashboard-sa   0         0s' }).waitFor();
    await app.page.screenshot({ path: screenshotPath('kubectl-in-the-browser') });
    assert.deepEqual(app.consoleErrors, []);
    await app.page.close();
  });
});
