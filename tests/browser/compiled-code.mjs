// Counts, exactly, the code a first visit makes Chromium compile: the
// functions that run up to the prompt, and those the first command (`kubectl
// get sa`) runs on top, with their bodies' bytes. Lazy compilation makes
// that code a large part of the first answer's time, and unlike a timing
// this count does not drift with the machine, so it shows small start-up
// changes that comparisons of timings cannot (see docs/BENCHMARKS.md).
//
//   SAPLAY_SPLIT=0 trunk build --release --offline
//   scripts/named-wasm.sh             # optional: function names in the list
//   node tests/browser/compiled-code.mjs [DIST] [TOP]
//
// Needs a build of one module (with a split build the second module's code
// is not seen). The module is instrumented with `saplay-wasm-split
// instrument` (every function marks its first call), in a copy of DIST.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DIST, ROOT, functionSizes, launch, serve, tempDir } from './harness.mjs';

const dist = process.argv[2] || DIST;
const top = Number(process.argv[3] || 25);
const files = readdirSync(dist);
if (files.some((f) => f.endsWith('_cold.wasm'))) {
  console.error(`${dist} holds a split build: build with SAPLAY_SPLIT=0`);
  process.exit(2);
}
const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
const original = readFileSync(join(dist, wasmName));

execFileSync('cargo', ['build', '--quiet', '--offline', '-p', 'saplay-wasm-split'], { cwd: ROOT, stdio: 'inherit' });
const work = tempDir('saplay-compiled-');
cpSync(dist, work, { recursive: true });
execFileSync(join(ROOT, 'target', 'debug', 'saplay-wasm-split'), ['instrument', join(dist, wasmName), join(work, wasmName)]);
const index = join(work, 'index.html');
writeFileSync(
  index,
  readFileSync(index, 'utf8')
    .replace(/\sintegrity="[^"]*"/g, '')
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
);

// Which functions had run when the prompt appeared, and when the answer did.
const server = await serve(work);
const context = await launch();
let seen;
try {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await instantiate(...args);
      window.__profiled = result.instance;
      return result;
    };
    const ran = () => {
      const bytes = new Uint8Array(window.__profiled.exports.__saplay_profile.buffer);
      return Array.from(bytes.keys()).filter((i) => bytes[i]);
    };
    window.__seen = {};
    const watch = new MutationObserver(() => {
      const input = document.querySelector('#terminal-input');
      if (input && !window.__seen.prompt) {
        window.__seen.prompt = ran();
        input.value = 'kubectl get sa';
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      }
      const outputs = document.querySelectorAll('.transcript .entry .stdout');
      if (outputs.length && outputs[outputs.length - 1].textContent.includes('default') && !window.__seen.answer) {
        window.__seen.answer = ran();
        watch.disconnect();
      }
    });
    watch.observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.__seen.answer, null, { timeout: 30_000 });
  seen = await page.evaluate(() => window.__seen);
} finally {
  await context.close();
  server.close();
}

const { imported, sizes, names } = functionSizes(original);
function report(what, indices) {
  const rows = indices
    .filter((i) => i >= imported && i - imported < sizes.length)
    .map((i) => [sizes[i - imported], names.get(i) || `#${i}`]);
  const bytes = rows.reduce((sum, [size]) => sum + size, 0);
  console.log(`${what}: ${(bytes / 1000).toFixed(1)} KB of code in ${rows.length} functions`);
  return rows;
}
report('up to the prompt', seen.prompt);
const before = new Set(seen.prompt);
const command = report('the first command, on top', seen.answer.filter((i) => !before.has(i)));
command.sort((a, b) => b[0] - a[0]);
for (const [size, name] of command.slice(0, top)) console.log(`${String(size).padStart(8)}  ${name.slice(0, 140)}`);
