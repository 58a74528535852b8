#!/usr/bin/env python3
"""Splits a built site's wasm in two (crates/wasm-split): what a first visit
runs, and the rest, loaded after the first answer.

Trunk runs this as a post_build hook on its staging directory (release
builds only); it can also be run on a built site:

    python3 scripts/split/split_site.py [SITE_DIR]

Steps: build the splitter; make an instrumented copy of the site and record
which functions a first visit runs (scripts/split/profile.mjs, in headless
Chromium); split the wasm with that profile into the primary (written over
the site's `*_bg.wasm`) and `*_cold.wasm`; in index.html, update the
primary's integrity hash and name the second module in
`<meta name="saplay-cold-wasm">` (crates/ui/src/split.rs reads it).

SAPLAY_SPLIT=0 leaves the site as it is (one module, for comparisons).
"""
import base64
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log(message: str) -> None:
    print(f"split: {message}", file=sys.stderr, flush=True)


def sri(path: str) -> str:
    with open(path, "rb") as f:
        return "sha384-" + base64.b64encode(hashlib.sha384(f.read()).digest()).decode("ascii")


def splitter() -> str:
    """Builds saplay-wasm-split (dev profile, as `cargo test` does) and
    returns its path."""
    subprocess.run(
        ["cargo", "build", "--quiet", "--locked", "--offline", "-p", "saplay-wasm-split"],
        cwd=ROOT,
        check=True,
    )
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "debug", "saplay-wasm-split")


def url_path(public_url: str) -> str:
    """The folder the site is served from, for an absolute public URL
    (`/playground/` -> `playground/`); '' for a relative one (`./`)."""
    return public_url.lstrip("/") if public_url.startswith("/") else ""


def main() -> int:
    site = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "")
    if not site:
        log("usage: split_site.py SITE_DIR (or TRUNK_STAGING_DIR set by Trunk)")
        return 2
    if os.environ.get("TRUNK_PROFILE", "release") != "release":
        log("a debug build: not split")
        return 0
    if os.environ.get("SAPLAY_SPLIT") == "0":
        log("SAPLAY_SPLIT=0: not split")
        return 0
    wasms = [f for f in os.listdir(site) if f.endswith("_bg.wasm")]
    if len(wasms) != 1:
        log(f"expected one *_bg.wasm in {site}, found {wasms}")
        return 1
    wasm = os.path.join(site, wasms[0])
    cold_name = wasms[0][: -len("_bg.wasm")] + "_cold.wasm"
    cold = os.path.join(site, cold_name)
    index = os.path.join(site, "index.html")
    with open(index, encoding="utf-8") as f:
        page = f.read()
    if '<meta name="saplay-cold-wasm"' in page:
        log(f"{index} is split already")
        return 1
    public_url = os.environ.get("TRUNK_PUBLIC_URL", "./")
    tool = splitter()

    with tempfile.TemporaryDirectory(prefix="saplay-split-") as work:
        # The instrumented copy, served from the same path as the site.
        copy = os.path.join(work, "site", url_path(public_url))
        shutil.copytree(site, copy)
        copied_wasm = os.path.join(copy, wasms[0])
        subprocess.run([tool, "instrument", wasm, copied_wasm], check=True)
        copied_index = os.path.join(copy, "index.html")
        with open(copied_index, encoding="utf-8") as f:
            instrumented_page = f.read()
        with open(copied_index, "w", encoding="utf-8") as f:
            f.write(re.sub(r'\sintegrity="[^"]*"', "", instrumented_page))
        profile = os.path.join(work, "profile.txt")
        subprocess.run(
            ["node", os.path.join(ROOT, "scripts", "split", "profile.mjs"), os.path.join(work, "site"),
             url_path(public_url), profile],
            check=True,
        )
        subprocess.run([tool, "split", wasm, profile, wasm, cold], check=True)

    old = re.search(r'href="[^"]*' + re.escape(wasms[0]) + r'"[^>]*integrity="([^"]*)"', page)
    if old:
        page = page.replace(old.group(1), sri(wasm))
    meta = (
        f'<meta name="saplay-cold-wasm" content="{html.escape(public_url + cold_name)}" '
        f'data-integrity="{sri(cold)}">'
    )
    page, n = re.subn(r"(</title>)", r"\1\n  " + meta.replace("\\", "\\\\"), page, count=1)
    if n != 1:
        log(f"no <title> in {index} to put the meta after")
        return 1
    with open(index, "w", encoding="utf-8") as f:
        f.write(page)
    log(f"{wasms[0]}: {os.path.getsize(wasm)} bytes; {cold_name}: {os.path.getsize(cold)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
