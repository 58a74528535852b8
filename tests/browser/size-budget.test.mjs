// The release site's transfer size: brotli (quality 11) of the .wasm, .js,
// .css and index.html that a learner's browser downloads (the second wasm
// module included: it comes right after the first answer). Budget: 1.2 MiB.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { DIST } from './harness.mjs';

const BUDGET_BYTES = 1.2 * 1024 * 1024;
const COUNTED = /\.(wasm|js|css|html)$/;

test('release site fits the 1.2 MiB brotli budget', (t) => {
  // Both wasm modules, and the scripts in sub-folders (wasm-bindgen's
  // snippets/) as well as those at the top.
  const rows = readdirSync(DIST, { recursive: true })
    .filter((f) => COUNTED.test(f) && statSync(join(DIST, f)).isFile())
    .map((f) => {
      const bytes = readFileSync(join(DIST, f));
      const brotli = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length;
      return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
    });
  assert.ok(rows.some((r) => r.file.endsWith('.wasm')), 'no .wasm in dist/');
  const total = rows.reduce((acc, r) => ({ raw: acc.raw + r.raw, gzip: acc.gzip + r.gzip, brotli: acc.brotli + r.brotli }), {
    raw: 0, gzip: 0, brotli: 0,
  });
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  for (const r of rows) t.diagnostic(`${r.file}: raw ${kib(r.raw)}, gzip ${kib(r.gzip)}, brotli ${kib(r.brotli)}`);
  t.diagnostic(`total: raw ${kib(total.raw)}, gzip ${kib(total.gzip)}, brotli ${kib(total.brotli)} (budget ${kib(BUDGET_BYTES)})`);
  console.log(`size budget: brotli total ${kib(total.brotli)} of ${kib(BUDGET_BYTES)}`);
  assert.ok(total.brotli <= BUDGET_BYTES, `brotli total ${kib(total.brotli)} exceeds ${kib(BUDGET_BYTES)}`);
});
