// Where the first command's time goes (not a test): one first visit, as in
// first-command.mjs, recorded with Chromium's tracing, then the renderer
// main thread's time between navigation and the answer summed by event
// name (top-level slices only, so nothing is counted twice), plus the
// wasm compilation events from every thread, and how many bytes of the
// module's code were compiled lazily (each `wasm.CompileLazy` event names
// its function's index). Run after a release build:
//   node tests/browser/trace-startup.mjs [RUNS] [TRACE.json]
// With a named build (scripts/named-wasm.sh) it also sums the compiled
// bytes by crate and lists the largest functions (`TOP=N`, default 25).
// `WARM=1` first opens a page on another origin in the same (fresh)
// profile, so Chromium's own start-up is out of the figures.
// Tracing costs time of its own for every event: lazy compilation writes
// four per function, so traced compile times overstate the cost of many
// small functions (fewer, inlined functions cut the traced time by 8-15 ms
// and the untraced answer by nothing: docs/BENCHMARKS.md, 2026-12-06
// night). Compare builds untraced (compare-builds.mjs).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgetSite, functionSizes, launch, serve, stageSite, typeOnPrompt, warmUpBrowser } from './harness.mjs';

const runs = Number(process.argv[2] || 1);
const out = process.argv[3];
const site = stageSite('');
const server = await serve(site.root);

const wasmFile = readdirSync(site.dir).find((f) => f.endsWith('_bg.wasm'));
const code = functionSizes(readFileSync(join(site.dir, wasmFile)));

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.wasm',
  'disabled-by-default-v8.wasm.detailed',
  'blink.user_timing',
  'loading',
  'toplevel',
];

async function traced(context) {
  const page = await context.newPage();
  if (process.env.WARM) await page.goto('data:text/html,<p>warm</p>');
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await page.goto(`${server.origin}/`);
  const first = await page.evaluate(() => window.__first);
  await cdp.send('Tracing.end');
  await done;
  await page.close();
  return { events, first };
}

function summarize({ events, first }) {
  // The renderer of our origin: the one whose main thread ran our marks.
  const mark = events.find((e) => e.name === 'saplay:main');
  if (!mark) throw new Error('no saplay:main mark in the trace');
  const pid = mark.pid;
  const names = events.filter((e) => e.pid === pid && e.name === 'thread_name');
  const main = names.find((e) => e.args?.name === 'CrRendererMain')?.tid;
  const nav = events.find((e) => e.pid === pid && e.name === 'navigationStart');
  const t0 = nav ? nav.ts : Math.min(...events.filter((e) => e.pid === pid && e.ts > 0).map((e) => e.ts));
  const end = t0 + first.answered * 1000;
  const slices = events
    .filter((e) => e.pid === pid && e.tid === main && e.ph === 'X' && e.ts >= t0 && e.ts <= end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Top-level: not inside an earlier slice.
  const top = [];
  let until = 0;
  for (const e of slices) {
    if (e.ts >= until) {
      top.push(e);
      until = e.ts + e.dur;
    }
  }
  const byName = new Map();
  for (const e of top) byName.set(e.name, (byName.get(e.name) || 0) + e.dur / 1000);
  const busy = top.reduce((s, e) => s + e.dur / 1000, 0);
  // Nested time of interest inside those slices.
  const nested = new Map();
  for (const e of slices) {
    if (/wasm|Wasm|Compile|GC|V8\.Execute|FunctionCall|EvaluateScript|Layout|Paint|UpdateLayoutTree/.test(e.name)) {
      nested.set(e.name, (nested.get(e.name) || 0) + e.dur / 1000);
    }
  }
  const wasmAll = new Map();
  for (const e of events) {
    if (e.pid === pid && e.ph === 'X' && /wasm/i.test(e.name) && e.ts >= t0 && e.ts <= end) {
      const key = `${e.name}${e.tid === main ? ' (main)' : ' (other threads)'}`;
      const [n, ms] = wasmAll.get(key) || [0, 0];
      wasmAll.set(key, [n + 1, ms + e.dur / 1000]);
    }
  }
  const lazy = events.filter((e) => e.pid === pid && e.name === 'wasm.CompileLazy' && e.ts >= t0 && e.ts <= end);
  const lazyBytes = lazy.reduce((sum, e) => sum + (code.sizes[e.args?.func_index - code.imported] ?? 0), 0);
  // With a named build: the compiled bytes by crate (the first path
  // segment of the demangled name) and the largest functions.
  const byCrate = new Map();
  const biggest = [];
  for (const e of lazy) {
    const index = e.args?.func_index;
    const bytes = code.sizes[index - code.imported] ?? 0;
    const name = code.names.get(index) ?? `#${index}`;
    const crate = name.replace(/^<(impl )?/, '').replace(/^&(mut )?/, '').split(/::|<| /)[0];
    const [n, b] = byCrate.get(crate) || [0, 0];
    byCrate.set(crate, [n + 1, b + bytes]);
    biggest.push([bytes, name]);
  }
  biggest.sort((a, b) => b[0] - a[0]);
  return { answered: first.answered, prompt: first.prompt, busy, byName, nested, wasmAll, lazy: lazy.length, lazyBytes, byCrate, biggest };
}

// `REPEAT=1`: one profile for every run, visited once untraced first (and
// kept open `STAY` ms, default 5000, so Chromium writes its wasm code
// cache): repeat visits.
// `RUNNING=1`: one profile, warmed up on another site, with its caches and
// the site's storage cleared before each run (first visits in a running
// browser).
const shared = process.env.REPEAT || process.env.RUNNING ? await launch() : undefined;
if (process.env.RUNNING) await warmUpBrowser(shared);
if (process.env.REPEAT) {
  const page = await shared.newPage();
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await page.goto(`${server.origin}/`);
  await page.evaluate(() => window.__first);
  await page.waitForTimeout(Number(process.env.STAY || 5000));
  await page.close();
}
for (let i = 0; i < runs; i++) {
  // Otherwise a fresh profile each run: nothing cached, nothing in localStorage.
  const launched = shared || (await launch());
  if (process.env.RUNNING) await forgetSite(launched, server.origin);
  const trace = await traced(launched);
  if (!shared) await launched.close();
  if (out) writeFileSync(out.replace(/(\.json)?$/, `-${i + 1}.json`), JSON.stringify({ traceEvents: trace.events }));
  const s = summarize(trace);
  const fmt = (m) =>
    [...m.entries()]
      .sort((a, b) => (Array.isArray(b[1]) ? b[1][1] - a[1][1] : b[1] - a[1]))
      .slice(0, 15)
      .map(([k, v]) => `    ${Array.isArray(v) ? `${v[1].toFixed(1)} ms in ${v[0]}` : `${v.toFixed(1)} ms`}  ${k}`)
      .join('\n');
  console.log(`run ${i + 1}: answered ${s.answered.toFixed(0)} ms, prompt ${s.prompt.toFixed(0)} ms; main thread busy ${s.busy.toFixed(0)} ms`);
  console.log(`  top-level main-thread slices:\n${fmt(s.byName)}`);
  console.log(`  nested (main thread):\n${fmt(s.nested)}`);
  console.log(`  wasm events:\n${fmt(s.wasmAll)}`);
  const total = code.sizes.reduce((a, b) => a + b, 0);
  console.log(`  compiled lazily: ${s.lazy} functions, ${s.lazyBytes} bytes of the module's ${total} bytes of code`);
  if (code.names.size) {
    const crates = [...s.byCrate.entries()].sort((a, b) => b[1][1] - a[1][1]).slice(0, Number(process.env.TOP || 25));
    console.log(`  by crate (bytes in functions):\n${crates.map(([c, [n, b]]) => `    ${b} in ${n}  ${c}`).join('\n')}`);
    const top = s.biggest.slice(0, Number(process.env.TOP || 25));
    console.log(`  largest:\n${top.map(([b, name]) => `    ${b}  ${name.slice(0, 160)}`).join('\n')}`);
  }
}
await shared?.close();
server.close();
