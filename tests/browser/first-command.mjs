// How long a learner waits for the first command (not a test): a fresh
// Chromium profile per run (no HTTP or wasm code cache: a first visit), an
// init script that types `kubectl get sa` and presses Enter the moment the
// terminal's input exists, and the time from navigation to the animation
// frame after its output is in the DOM (and to the end of that frame's
// layout and paint on the main thread, "painted"). Also prints when the wasm finished
// arriving and when the prompt appeared. Run after a release build:
//   node tests/browser/first-command.mjs [RUNS]       (default 7)
// `REPEAT=1` keeps one profile for all runs (a repeat visit: Chromium's
// caches are warm after the first). `FLOOR=1` serves, instead of the
// playground, a page of a few lines that answers the same way from inline
// JavaScript: what this browser and machine need before any of our code;
// `FLOOR=wasm` makes that page wait for our wasm to arrive and compile
// (`FLOOR_WASM=FILE` for another module in its place: one of the same size
// with only a data segment showed that the bytes cost, not the functions).
// `RUNNING=1` is a first visit in a browser that is already running: one
// profile, warmed up on another site, with its caches and the site's
// storage cleared before each visit (a fresh profile also pays for
// starting Chromium's network stack and disk cache: see warmUpBrowser).
// `THROTTLE=1.6` slows the page's main thread by that factor (harness's
// `throttle`): a slower machine, or this one in a slow spell.
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgetSite, launch, serve, stageSite, tempDir, throttle, typeOnPrompt, warmUpBrowser } from './harness.mjs';

const runs = Number(process.argv[2] || 7);
const FLOOR_PAGE = `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>floor</title>
<script>
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  document.querySelector('.transcript').innerHTML = '<div class="entry"><pre class="stdout">NAME      SECRETS   AGE\\ndefault   0         1s</pre></div>';
});
</script>
<div class="transcript"></div><input id="terminal-input" aria-label="command">`;
// `FLOOR=wasm`: the same page, but its prompt appears only once our wasm
// has arrived and been compiled (not run): what the module alone costs.
const WASM_FLOOR_PAGE = (wasm) => `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>floor</title>
<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin>
<script>
WebAssembly.compileStreaming(fetch('${wasm}', { credentials: 'same-origin' })).then(() => {
  document.body.insertAdjacentHTML('beforeend', '<input id="terminal-input" aria-label="command">');
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  document.querySelector('.transcript').innerHTML = '<div class="entry"><pre class="stdout">NAME      SECRETS   AGE\\ndefault   0         1s</pre></div>';
});
</script>
<div class="transcript"></div>`;
function floorSite() {
  const root = tempDir('saplay-floor-');
  if (process.env.FLOOR === 'wasm') {
    const { dir } = stageSite('');
    const wasm = readdirSync(dir).find((f) => f.endsWith('_bg.wasm'));
    cpSync(process.env.FLOOR_WASM || join(dir, wasm), join(root, wasm));
    writeFileSync(join(root, 'index.html'), WASM_FLOOR_PAGE(wasm));
  } else {
    writeFileSync(join(root, 'index.html'), FLOOR_PAGE);
  }
  return { root };
}
const site = process.env.FLOOR ? floorSite() : stageSite('');
const server = await serve(site.root);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(context) {
  if (process.env.RUNNING) await forgetSite(context, server.origin);
  const page = await context.newPage();
  await throttle(context, page);
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await page.goto(`${server.origin}/`);
  const t = await page.evaluate(() => window.__first);
  const extra = await page.evaluate(() => {
    const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'));
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return {
      wasmEnd: wasm ? wasm.responseEnd : NaN,
      // 0 when the wasm came from the HTTP cache.
      wasmTransfer: wasm ? wasm.transferSize : NaN,
      stored: Object.keys(localStorage).map((k) => `${k}:${localStorage.getItem(k).length}`).join(","),
      dcl: nav.domContentLoadedEventEnd,
      main: mark('saplay:main'),
      cluster: mark('saplay:cluster'),
      rendered: mark('saplay:first-render'),
    };
  });
  // A learner stays on the page: Chromium writes its wasm code cache only
  // after the module has run a while (`STAY=5000` keeps each page open 5 s).
  if (process.env.STAY) await page.waitForTimeout(Number(process.env.STAY));
  await page.close();
  return { ...t, ...extra };
}

const results = [];
let shared = process.env.REPEAT || process.env.RUNNING ? await launch() : undefined;
if (process.env.RUNNING) await warmUpBrowser(shared);
for (let i = 0; i < runs; i++) {
  const context = shared || (await launch());
  results.push(await once(context));
  if (!shared) await context.close();
}
await shared?.close();
server.close();
const m = (k) => median(results.map((r) => r[k])).toFixed(1);
console.log(results.map((r) => r.answered.toFixed(0)).join(' '));
if (process.env.DEBUG) console.log(results.map((r) => `${r.wasmTransfer}/${r.stored}`).join(' '));
console.log(
  `first command answered after navigation (median of ${runs}${process.env.THROTTLE ? `, main thread throttled ${process.env.THROTTLE}×` : ''}, ${process.env.REPEAT ? 'one profile: repeat visits' : process.env.RUNNING ? 'running browser, caches cleared: first visits' : 'fresh profile each: first visits'}): ` +
    `${m('answered')} ms (painted ${m('painted')} ms); DOMContentLoaded ${m('dcl')} ms, wasm arrived ${m('wasmEnd')} ms, main() ${m('main')} ms, ` +
    `cluster built ${m('cluster')} ms, prompt ${m('prompt')} ms, first render done ${m('rendered')} ms`,
);
