// Where the first command's time goes, by function (not a test): one first
// visit per run, as in first-command.mjs, under V8's sampling profiler from
// navigation to the answer. Prints the functions with the most self time
// and the most total time (a function's time including what it calls),
// summed over the runs. Wasm functions have names only in a build that
// keeps them, so run it on one:
//   trunk build --release --offline
//   scripts/named-wasm.sh            (dist's wasm, same code, plus names)
//   node tests/browser/profile-startup.mjs [RUNS] [MATCH]
// MATCH (a regular expression) also prints the callers of the matching
// functions' self time, grouped by the nearest frame that is ours.
// `UNDER=regex` also prints the total time of every function called
// (directly or not) from a function matching it.
import { forgetSite, launch, serve, stageSite, typeOnPrompt, warmUpBrowser } from './harness.mjs';

const runs = Number(process.argv[2] || 3);
const match = process.argv[3] ? new RegExp(process.argv[3]) : undefined;
const site = stageSite('');
const server = await serve(site.root);

async function profiled(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await typeOnPrompt(page, 'kubectl get sa', 'default');
  await cdp.send('Profiler.start');
  await page.goto(`${server.origin}/`);
  const first = await page.evaluate(() => window.__first);
  const { profile } = await cdp.send('Profiler.stop');
  await page.close();
  return { profile, first };
}

const self = new Map();
const total = new Map();
const callers = new Map();
const under = new Map();
const focus = process.env.UNDER ? new RegExp(process.env.UNDER) : undefined;
let sampled = 0;
const answered = [];

function add(map, key, ms) {
  map.set(key, (map.get(key) || 0) + ms);
}

function account({ profile, first }) {
  answered.push(first.answered);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const label = (n) => n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (deltas[i + 1] ?? deltas[i]) / 1000;
    const leaf = nodes.get(profile.samples[i]);
    sampled += ms;
    add(self, label(leaf), ms);
    // The sample's stack, innermost first; a recursive function counts once.
    const stack = [];
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) stack.push(label(nodes.get(id)));
    for (const name of new Set(stack)) add(total, name, ms);
    if (match && match.test(stack[0])) {
      const ours = stack.slice(1).find((name) => /saplay|yew|Cluster|Shell|Kubectl/.test(name));
      add(callers, ours || '(none of ours)', ms);
    }
    const at = focus ? stack.findIndex((name) => focus.test(name)) : -1;
    for (const name of new Set(stack.slice(0, Math.max(at, 0)))) add(under, name, ms);
  }
}

// `RUNNING=1`: first visits in one running browser (see warmUpBrowser).
const shared = process.env.RUNNING ? await launch() : undefined;
if (shared) await warmUpBrowser(shared);
for (let i = 0; i < runs; i++) {
  const context = shared || (await launch());
  if (shared) await forgetSite(shared, server.origin);
  account(await profiled(context));
  if (!shared) await context.close();
}
await shared?.close();
server.close();

const top = (map, n) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${(v / runs).toFixed(1).padStart(7)} ms  ${k.slice(0, 150)}`)
    .join('\n');
console.log(`answered: ${answered.map((a) => a.toFixed(0)).join(' ')} ms; sampled ${(sampled / runs).toFixed(0)} ms a run`);
console.log(`self time (mean a run):\n${top(self, 40)}`);
console.log(`total time (mean a run):\n${top(total, 60)}`);
if (match) console.log(`callers of ${match}:\n${top(callers, 30)}`);
if (focus) console.log(`under ${focus}:\n${top(under, 50)}`);
