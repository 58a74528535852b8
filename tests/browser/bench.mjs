// In-browser benchmarks of the release build (not a test): serves dist/,
// opens it in headless Chromium and times core operations in the wasm with
// performance.now(). Run after `trunk build --release --offline`:
//   node tests/browser/bench.mjs
import { launch, openApp, serve, stageSite } from './harness.mjs';

const site = stageSite('');
const server = await serve(site.root);
const context = await launch();
try {
  const started = Date.now();
  const app = await openApp(context, `${server.origin}/`);
  if (!app.ready) throw new Error(`app did not render: ${app.consoleErrors.join(' | ')}`);
  console.log(`first render (navigation to ready): ${Date.now() - started} ms`);
  for (const [name, n] of [['cluster_new', 20], ['token_request', 200], ['pod_create', 200], ['fast_forward_24h_1000_pods', 3]]) {
    const ms = await app.page.evaluate(([name, n]) => window.wasmBindings.saplay_bench(name, n), [name, n]);
    console.log(`${name}: ${ms.toFixed(3)} ms per run (mean of ${n})`);
  }
} finally {
  await context.close();
  server.close();
}
