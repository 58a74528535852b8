// Shared pieces of the browser tests: a static server on 127.0.0.1 (Python's
// http.server, i.e. "any static server"), Debian's Chromium driven by
// playwright-core (never a downloaded browser), and a page loader that
// records console errors and requests to other origins.

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'browser');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** How long to wait for the app before calling it broken. */
export const APP_TIMEOUT_MS = 20_000;

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) {
    // A browser still writing to its profile can make this fail; what is
    // left then is a few files, not the whole folder.
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
});
// A run stopped with Ctrl-C or `kill` cleans up too: exiting on the signal
// runs the handler above (Node skips 'exit' handlers when a signal kills it).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => process.exit(code));
}

/**
 * Makes a fresh folder under the system's temporary directory that is
 * removed when this process exits (a browser profile or a copy of the site
 * is 2-20 MB, and a day of test and benchmark runs makes hundreds).
 */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Copies the release build into a fresh folder at `subPath` (e.g.
 * "courses/k8s/") and returns that folder's root, so a test can serve the
 * site from a sub-path or break a copy without touching dist/.
 */
export function stageSite(subPath = '') {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`no release build in ${DIST}: run trunk build --release first`);
  }
  const root = tempDir('saplay-site-');
  const target = join(root, subPath);
  mkdirSync(target, { recursive: true });
  cpSync(DIST, target, { recursive: true });
  return { root, dir: target };
}

/** Serves `dir` on 127.0.0.1 until `close()` is called. */
export async function serve(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const origin = `http://127.0.0.1:${port}`;
  // Wait for the server to answer (bounded: 100 tries, 50 ms apart).
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${origin}/`);
      if (res.status < 500) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { origin, close: () => child.kill() };
}

/** Launches headless Debian Chromium with the flags this machine needs. */
export async function launch() {
  const userDataDir = tempDir('saplay-chromium-');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(process.env.CHROMIUM_FLAGS ? process.env.CHROMIUM_FLAGS.split(' ') : []),
    ],
  });
}

/**
 * Opens `url` in a new page of `context` and waits until the app has
 * rendered or the page has failed. Returns what happened.
 */
export async function openApp(context, url) {
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const consoleErrors = [];
  const foreignRequests = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) foreignRequests.push(req.url());
  });
  page.on('requestfailed', (req) => failedRequests.push(req.url()));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(url);
  // Either the app renders, or something on the page fails: wait for the
  // first of the two, never a fixed time.
  const ready = await Promise.race([
    page.waitForSelector('[data-ready="true"]', { timeout: APP_TIMEOUT_MS }).then(() => true),
    page.waitForEvent('pageerror', { timeout: APP_TIMEOUT_MS }).then(() => false),
  ]).catch(() => false);
  return { page, ready, consoleErrors, foreignRequests, failedRequests };
}

export function screenshotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}

/**
 * Serves a copy of the release build and launches Chromium once for the
 * test file that calls it (node:test's before/after hooks); `site.server`
 * and `site.context` are there once the file's first test runs.
 */
export function useSite(before, after) {
  const site = { server: undefined, context: undefined };
  before(async () => {
    site.server = await serve(stageSite().dir);
    site.context = await launch();
  });
  after(async () => {
    await site.context?.close();
    site.server?.close();
  });
  return site;
}

/** Types a command in the terminal and waits for its entry to appear. */
export async function run(page, line) {
  const input = page.locator('#terminal-input');
  const count = await page.locator('.transcript .entry').count();
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.transcript .entry').length > n, count);
  return page.locator('.transcript .entry').last().innerText();
}

/**
 * Opens the app at `url` on an empty store (as a first visit would). The
 * store is emptied before the app runs: an app opened first and cleared
 * after could still save (an `?exercise=` fetch that answers late), and
 * the page would then start from that.
 */
export async function freshApp(context, url) {
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'local_storage' });
  await blank.close();
  const opened = await openApp(context, url);
  if (!opened.ready) throw new Error(`app did not render: ${opened.consoleErrors.join('\n')}`);
  return opened;
}

/**
 * Holds back `page`'s requests for the first wasm module until the
 * returned function is called: a slow start, in which index.html shows
 * the page's skeleton and its terminal takes commands before the app runs.
 * Call before `page` navigates.
 */
export async function holdFirstModule(page) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/**
 * Before `page` navigates: types `line` and presses Enter the moment a
 * terminal's input is in the page (the app's, or that of the skeleton
 * index.html shows if the app is slow to start: kept in a `<template>`
 * until then, it is not in the page before), and makes `window.__first`
 * resolve, at the animation frame after an output holding `expected` is in
 * the DOM, to
 * `{ prompt, answered, painted }` (ms after navigation start; `painted`:
 * once that frame has been laid out and painted). With `{ app: true }`,
 * only the app's own terminal is typed into, never the skeleton's, however
 * long the start takes (which of the two a plain call types into depends
 * on the machine's speed).
 */
export async function typeOnPrompt(page, line, expected, { app = false } = {}) {
  await page.addInitScript(([line, expected, app]) => {
    window.__first = new Promise((done) => {
      const typed = { at: 0 };
      const watch = new MutationObserver(() => {
        const input = document.querySelector('#terminal-input');
        if (input && !typed.at && !(app && input.closest('[data-skeleton]'))) {
          typed.at = performance.now();
          input.value = line;
          input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        }
        const outs = document.querySelectorAll('.transcript .entry .stdout');
        const out = outs[outs.length - 1];
        if (out && out.textContent.includes(expected)) {
          watch.disconnect();
          requestAnimationFrame(() => {
            const answered = performance.now();
            // A task posted from the frame's callback runs once that frame
            // has been laid out and painted; at the highest priority, before
            // the tasks the page has queued (the side panel's render).
            scheduler.postTask(() => done({ prompt: typed.at, answered, painted: performance.now() }), {
              priority: 'user-blocking',
            });
          });
        }
      });
      watch.observe(document, { childList: true, subtree: true });
    });
  }, [line, expected, app]);
}

/**
 * Makes `context` a browser that is running but has not seen the site yet,
 * as a learner's is before they follow a link: starts its network stack
 * and disk cache on another site (a page with a stylesheet and a module
 * script), once. A fresh profile otherwise pays for starting them on our
 * first requests (40-70 ms each on the project machine). Then call
 * `forgetSite` before each visit.
 */
export async function warmUpBrowser(context) {
  const root = tempDir('saplay-warm-');
  writeFileSync(join(root, 'index.html'), '<!DOCTYPE html><link rel="stylesheet" href="s.css"><script type="module" src="m.js"></script><p>another site</p>');
  writeFileSync(join(root, 's.css'), 'p { color: #333; }');
  writeFileSync(join(root, 'm.js'), 'window.__warm = true;');
  const other = await serve(root);
  const page = await context.newPage();
  await page.goto(`${other.origin}/`);
  await page.waitForFunction(() => window.__warm === true);
  await page.close();
  other.close();
}

/**
 * `THROTTLE=RATE` in the environment: slows `page`'s main thread RATE
 * times (DevTools' CPU throttling), a slower machine without waiting for
 * one. Chromium's other threads (network, streaming compilation) are not
 * slowed. Call before the page navigates.
 */
export async function throttle(context, page) {
  if (!process.env.THROTTLE) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.THROTTLE) });
}

/** Clears the browser's HTTP cache (and the code cache kept with it) and everything `origin` stored. */
export async function forgetSite(context, origin) {
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  await blank.close();
}

/**
 * The body size of every defined function of a wasm binary (`sizes[i]` is
 * function `imported + i`'s), and the names of a "name" section, by
 * function index (for trace-startup.mjs and compiled-code.mjs).
 */
export function functionSizes(bytes) {
  let i = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return value;
    }
  };
  const skipName = () => {
    const n = leb();
    i += n;
  };
  const skipLimits = () => {
    const flags = leb();
    leb();
    if (flags & 1) leb();
  };
  let imported = 0;
  const sizes = [];
  const names = new Map();
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    const end = i + size;
    if (id === 0) {
      // The "name" custom section (a named build: scripts/named-wasm.sh):
      // its function-names subsection maps indices to names.
      const n = leb();
      const section = new TextDecoder().decode(bytes.subarray(i, i + n));
      i += n;
      while (section === 'name' && i < end) {
        const sub = bytes[i++];
        const subEnd = leb() + i;
        if (sub === 1) {
          for (let k = leb(); k > 0; k--) {
            const index = leb();
            const len = leb();
            names.set(index, new TextDecoder().decode(bytes.subarray(i, i + len)));
            i += len;
          }
        }
        i = subEnd;
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = bytes[i++];
        if (kind === 0) {
          leb();
          imported++;
        } else if (kind === 1) {
          i++;
          skipLimits();
        } else if (kind === 2) skipLimits();
        else if (kind === 3) i += 2;
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const body = leb();
        sizes.push(body);
        i += body;
      }
    }
    i = end;
  }
  return { imported, sizes, names };
}
