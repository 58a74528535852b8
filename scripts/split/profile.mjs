// Records which of the module's functions a first visit runs, for the
// release build's split (scripts/split/split_site.py): serves SITE (a
// folder holding, at SUBPATH, a built site whose wasm `saplay-wasm-split
// instrument` has rewritten; SUBPATH is '' for the site's root), opens it
// in headless Chromium on an empty store, types `kubectl get sa` the moment
// the app's prompt exists (as tests/browser/first-command.mjs does), waits
// for the answer, the side panel's first render and a second more; three
// times: the second time with the CPU slowed down, the third time with the
// command typed into the page's skeleton before the app starts (a slow
// start); then writes the indices of the functions that ran in any visit
// to OUT, one a line.
//
// The first two visits type into the app's terminal even when the page's
// skeleton (index.html) shows first, and the third always into the
// skeleton's: the two paths run different functions (the app's key
// handling; the typed-ahead lines taken over), and which one a visit
// takes otherwise depends on how fast this machine is at the time (the
// skeleton shows 250 ms into a start, and the instrumented module is
// slower). A profile that missed one path failed CI once: a test whose
// visit took the other path loaded the second module synchronously.
//   node scripts/split/profile.mjs SITE SUBPATH OUT
import { writeFileSync } from 'node:fs';
import { holdFirstModule, launch, serve, typeOnPrompt } from '../../tests/browser/harness.mjs';

const [site, subPath, out] = process.argv.slice(2);
if (!site || subPath === undefined || !out) {
  console.error('usage: node scripts/split/profile.mjs SITE SUBPATH OUT');
  process.exit(2);
}
const server = await serve(site);

/**
 * One first visit in a fresh profile, its CPU slowed down `slowdown` times
 * (CDP's CPU throttling): the indices of the functions it ran.
 */
async function visit(slowdown, typeAhead = false) {
  const context = await launch();
  try {
    const page = await context.newPage();
    // A slow start: the module held back until the page's skeleton shows
    // (index.html), so that the command is typed there, ahead of the app.
    const release = typeAhead ? await holdFirstModule(page) : undefined;
    if (slowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    }
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // Trunk's loader hands the module's exports to this event once main()
    // has returned; the profile memory is among them.
    await page.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', (e) => (window.__exports = e.detail.wasm));
    });
    await typeOnPrompt(page, 'kubectl get sa', 'default', { app: !typeAhead });
    await page.goto(`${server.origin}/${subPath}`);
    if (release) {
      // typeOnPrompt has entered the command at the skeleton's prompt.
      await page.waitForFunction(() => document.querySelector('[data-skeleton] .transcript pre'));
      release();
    }
    // The answer, or the page's first error, within a minute.
    let timer;
    const failed = new Promise((_, reject) => {
      page.on('pageerror', (e) => reject(new Error(`the instrumented page failed: ${e}`)));
      timer = setTimeout(() => reject(new Error('the instrumented page did not answer within a minute')), 60_000);
    });
    await Promise.race([page.evaluate(() => window.__first), failed]);
    clearTimeout(timer);
    await page.waitForSelector('#side-panel > *', { timeout: 60_000 });
    // What runs after the side panel's first render: timers of the first
    // second (the command path's warm-up among them).
    await page.waitForTimeout(1000 * slowdown);
    const hit = await page.evaluate(() => {
      const memory = window.__exports?.__saplay_profile;
      if (!memory) return null;
      const bytes = new Uint8Array(memory.buffer);
      const indices = [];
      for (let i = 0; i < bytes.length; i++) if (bytes[i]) indices.push(i);
      return indices;
    });
    if (errors.length) throw new Error(`the instrumented page failed:\n${errors.join('\n')}`);
    if (!hit) throw new Error('the page exported no __saplay_profile memory: is its wasm instrumented?');
    return hit;
  } finally {
    await context.close();
  }
}

try {
  // At full speed, and four times slower: Yew then yields to the browser in
  // the middle of the first render (after 16 ms), and a slow machine runs
  // that path too. Then a slow start's path: the command typed ahead.
  const runs = [await visit(1), await visit(4), await visit(1, true)];
  const all = [...new Set(runs.flat())].sort((a, b) => a - b);
  writeFileSync(out, `${all.join('\n')}\n`);
  console.error(`profile: ${runs.map((r) => r.length).join(' and ')} functions ran; ${all.length} in all`);
} finally {
  server.close();
}
