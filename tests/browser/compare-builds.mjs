// Which of two release builds answers the first command sooner (not a
// test): first visits in one running browser (see warmUpBrowser), the two
// builds' visits interleaved A, B, A, B… so that the machine's drift falls
// on both alike. Each build is served from its own origin. Prints each
// build's median and the median of the paired differences (B − A).
//   node tests/browser/compare-builds.mjs DIR_A DIR_B [PAIRS]   (default 15)
// `JOURNAL=1` gives every visit saved work to replay first (see below);
// `KEEP=1` keeps each site's HTTP cache and storage between its visits.
// `THROTTLE=RATE` slows the main thread (harness.mjs, `throttle`).
// DIR_A and DIR_B are copies of `dist/` (e.g. `cp -r dist /tmp/a` before a
// change, then the change's `dist/`).
import { forgetSite, launch, serve, throttle, typeOnPrompt, warmUpBrowser } from './harness.mjs';

const [dirA, dirB] = process.argv.slice(2, 4);
if (!dirA || !dirB) throw new Error('usage: compare-builds.mjs DIR_A DIR_B [PAIRS]');
const pairs = Number(process.argv[4] || 15);
const servers = [await serve(dirA), await serve(dirB)];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
await warmUpBrowser(browser);

// `JOURNAL=1`: each visit starts with saved work to replay (a returning
// learner whose browser forgot the site's files): one command.
const JOURNAL = JSON.stringify({
  version: 2,
  seed: 0,
  start: 1735689600,
  steps: [{ kind: 'run', line: 'kubectl create serviceaccount replayed' }],
});

async function visit(server) {
  // `KEEP=1`: repeat visits (the HTTP cache and the site's storage kept).
  if (!process.env.KEEP) await forgetSite(browser, server.origin);
  const page = await browser.newPage();
  await throttle(browser, page);
  if (process.env.JOURNAL) {
    await page.addInitScript((journal) => {
      if (localStorage.getItem('sa-playground/journal')) return;
      localStorage.setItem('sa-playground/journal', journal);
      localStorage.setItem('sa-playground/replay', '1');
    }, JOURNAL);
  }
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await page.goto(`${server.origin}/`);
  const first = await page.evaluate(() => window.__first);
  // Milestones: when the page was parsed and the wasm had arrived, and
  // every `saplay:` User Timing mark (the app's, and any a copy of a
  // build adds to see where its time goes).
  const marks = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'));
    const found = { DOMContentLoaded: nav.domContentLoadedEventEnd, 'wasm arrived': wasm ? wasm.responseEnd : NaN };
    for (const m of performance.getEntriesByType('mark')) {
      if (m.name.startsWith('saplay:') && !(m.name in found)) found[m.name] = m.startTime;
    }
    return found;
  });
  await page.close();
  return { ...first, main: marks['saplay:main'] ?? NaN, marks };
}

const results = [[], []];
for (let i = 0; i < pairs; i++) {
  // Alternate which build goes first in a pair, too.
  const order = i % 2 ? [1, 0] : [0, 1];
  for (const k of order) results[k].push(await visit(servers[k]));
}
await browser.close();
for (const s of servers) s.close();

const field = (k, name) => results[k].map((r) => r[name]);
for (const [k, dir] of [
  [0, dirA],
  [1, dirB],
]) {
  console.log(
    `${k ? 'B' : 'A'} ${dir}: answered ${median(field(k, 'answered')).toFixed(1)} ms, painted ${median(field(k, 'painted')).toFixed(1)} ms, main() ${median(field(k, 'main')).toFixed(1)} ms, prompt ${median(field(k, 'prompt')).toFixed(1)} ms (medians of ${pairs})`,
  );
}
// The milestones' medians, in the order of build A's.
const names = [...new Set(results.flat().flatMap((r) => Object.keys(r.marks)))];
const at = (k, name) => median(results[k].map((r) => r.marks[name] ?? NaN).filter((x) => !Number.isNaN(x)));
names.sort((x, y) => (at(0, x) || at(1, x)) - (at(0, y) || at(1, y)));
console.log(`milestones, A → B (medians): ${names.map((n) => `${n} ${at(0, n)?.toFixed(1) ?? '-'} → ${at(1, n)?.toFixed(1) ?? '-'}`).join(', ')}`);
for (const name of ['answered', 'painted']) {
  const diffs = results[0].map((a, i) => results[1][i][name] - a[name]);
  const better = diffs.filter((d) => d < 0).length;
  console.log(`B − A, ${name}: median ${median(diffs).toFixed(1)} ms; B sooner in ${better} of ${pairs} pairs`);
}
