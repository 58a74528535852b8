#!/usr/bin/env python3
"""Splits a built site's wasm in two (crates/wasm-split): what a first visit
runs, and the rest, loaded after the first answer.

Trunk runs this as a post_build hook on its staging directory (release
builds only); it can also be run on a built site:

    python3 scripts/split/split_site.py [SITE_DIR]

Steps: build the splitter; make an instrumented copy of the site and record
which functions a first visit runs (scripts/split/profile.mjs, in headless
Chromium); split the wasm with that profile into the primary and the
second module; name both after their contents (`<stem>-<hash>_bg.wasm`
instead of Trunk's `<stem>_bg.wasm`, and `<stem>-<hash>_cold.wasm`), so that
a browser's cache never pairs halves of two builds (the halves would not
link: see crates/wasm-split); in index.html, point Trunk's loader and
the early fetch (scripts/early-wasm.py) at the new primary, update its
integrity hash if a preload has one, and the
Content-Security-Policy hash of the changed loader script, and name the
second module in `<meta name="saplay-cold-wasm">` (crates/ui/src/split.rs
reads it).

SAPLAY_SPLIT=0 leaves the site as it is (one module, for comparisons).
"""
import base64
import hashlib
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log(message: str) -> None:
    print(f"split: {message}", file=sys.stderr, flush=True)


# Chromium refuses to compile or instantiate a module larger than this
# synchronously on the main thread, which is how moved code loads the
# second module if it runs before the prefetch is in.
SYNC_LIMIT = 8 * 1000 * 1000


def sri(path: str) -> str:
    with open(path, "rb") as f:
        return "sha384-" + base64.b64encode(hashlib.sha384(f.read()).digest()).decode("ascii")


def content_name(path: str, stem: str, suffix: str) -> str:
    """`<stem>-<first 12 hex digits of the sha256 of path>_<suffix>`."""
    with open(path, "rb") as f:
        return f"{stem}-{hashlib.sha256(f.read()).hexdigest()[:12]}_{suffix}"


def inline_script_hashes(page: str) -> list:
    """The CSP hash of each inline script, computed as scripts/csp-hashes.py
    does (its file name is not a module name, hence importlib)."""
    spec = importlib.util.spec_from_file_location("csp_hashes", os.path.join(ROOT, "scripts", "csp-hashes.py"))
    csp_hashes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(csp_hashes)
    return csp_hashes.inline_script_hashes(page)


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
    # Trunk's stem, without the hash of an earlier split (scripts/named-wasm.sh
    # splits a split site's module again).
    stem = re.sub(r"-[0-9a-f]{12}$", "", wasms[0][: -len("_bg.wasm")])
    cold = os.path.join(site, "cold.wasm.tmp")
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

    if os.path.getsize(cold) > SYNC_LIMIT:
        log(f"the second module has {os.path.getsize(cold)} bytes: more than Chromium loads synchronously")
        return 1
    cold_name = content_name(cold, stem, "cold.wasm")
    os.replace(cold, os.path.join(site, cold_name))
    cold = os.path.join(site, cold_name)
    primary_name = content_name(wasm, stem, "bg.wasm")
    os.replace(wasm, os.path.join(site, primary_name))
    wasm = os.path.join(site, primary_name)

    # A preload with an integrity hash (scripts/early-wasm.py removes
    # Trunk's, but a page without that hook keeps it) names the new bytes.
    old = re.search(r'href="[^"]*' + re.escape(wasms[0]) + r'"[^>]*integrity="([^"]*)"', page)
    if old:
        page = page.replace(old.group(1), sri(wasm))
    elif re.search(r"<[^>]*integrity=[^>]*" + re.escape(wasms[0]), page):
        log(f"{index}: an integrity hash names {wasms[0]} in a form this script does not know")
        return 1
    hashes = inline_script_hashes(page)
    if wasms[0] not in page:
        log(f"{index} does not name {wasms[0]}")
        return 1
    page = page.replace(wasms[0], primary_name)
    # The loader script changed: so does its hash in the policy (if
    # scripts/csp-hashes.py has filled it in already).
    for before, after in zip(hashes, inline_script_hashes(page)):
        page = page.replace(before, after)
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
    log(f"{primary_name}: {os.path.getsize(wasm)} bytes; {cold_name}: {os.path.getsize(cold)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
