#!/usr/bin/env python3
"""Trunk post_build hook (the first of the chain in Trunk.toml): makes the
page fetch and compile its wasm from the first inline script of <head>,
while the rest of the page still arrives, instead of from Trunk's loader.

Trunk's loader is a module script: it runs only once the whole document has
been parsed and the stylesheet has loaded, and Trunk's `<link rel=preload>`
of the wasm carries an integrity hash, so its bytes are held until the last
one has arrived and checked. The module was then decoded in one piece after
both. This hook:

1. removes Trunk's preload of the `*_bg.wasm`;
2. names the wasm in `<meta name="saplay-wasm">` after the `<title>`, where
   index.html's first inline script reads it and starts
   `WebAssembly.compileStreaming` at once (`self.__saplayWasm`), so the
   module is decoded while its bytes arrive;
3. hands that promise to Trunk's loader (`module_or_path`), falling back to
   the file's name if the script did not run.

No integrity hash on that fetch: the Content-Security-Policy allows only
this origin's files, and a hash would make the browser hold the body until
its end, which is what this hook removes (measured in docs/BENCHMARKS.md,
"2026-12-07 (third session)"). scripts/split/split_site.py later renames the
wasm everywhere it is named, this meta included.
"""
import html
import os
import re
import sys


def early_wasm(page: str) -> str:
    """The page with its wasm fetched by the early script (see above).
    Raises ValueError when Trunk's output is not what this expects."""
    loader = re.search(r"module_or_path: '([^']+_bg\.wasm)'", page)
    if not loader:
        raise ValueError("no `module_or_path: '…_bg.wasm'` in Trunk's loader")
    wasm = loader.group(1)
    preload = re.search(r'<link rel="preload" href="' + re.escape(wasm) + r'"[^>]*>', page)
    if not preload:
        raise ValueError(f"no preload of {wasm}")
    page = page.replace(preload.group(0), "")
    page = page.replace(loader.group(0), f"module_or_path: self.__saplayWasm ?? '{wasm}'")
    meta = f'<meta name="saplay-wasm" content="{html.escape(wasm)}">'
    page, n = re.subn(r"(</title>)", lambda m: m.group(1) + "\n  " + meta, page, count=1)
    if n != 1:
        raise ValueError("no <title> to put the meta after")
    return page


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("early-wasm: TRUNK_STAGING_DIR is not set", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        page = f.read()
    try:
        page = early_wasm(page)
    except ValueError as error:
        print(f"early-wasm: {path}: {error}", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    print("early-wasm: the wasm is fetched by the page's first script")
    return 0


if __name__ == "__main__":
    sys.exit(main())
