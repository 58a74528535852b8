#!/usr/bin/env python3
"""Trunk post_build hook: fills in the Content-Security-Policy of index.html.

Trunk writes one inline module script that loads the wasm (its file names
carry content hashes, so the script changes with every build). The policy in
index.html names it by a placeholder; this hook replaces the placeholder with
the sha256 of every inline script in the built page, so the policy allows
exactly those and no other inline script. It also drops the build-time nonce
Trunk puts on tags: a nonce fixed at build time protects nothing, and the
policy does not use it.
"""
import base64
import hashlib
import os
import re
import sys

PLACEHOLDER = "'inline-scripts'"


def inline_script_hashes(html: str) -> list:
    """The policy's source for each inline script of `html`, in order:
    `'sha256-…'` (scripts/split/split_site.py uses it too)."""
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return ["'sha256-" + base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest()).decode("ascii") + "'"
            for b in bodies]


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("csp-hashes: TRUNK_STAGING_DIR is not set", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    html = re.sub(r'\snonce="[^"]*"', "", html)
    allowed = inline_script_hashes(html)
    hashes = " ".join(allowed)
    if PLACEHOLDER not in html:
        print("csp-hashes: no " + PLACEHOLDER + " placeholder in index.html", file=sys.stderr)
        return 1
    html = html.replace(PLACEHOLDER, hashes)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"csp-hashes: {len(allowed)} inline script(s) allowed by hash")
    return 0

if __name__ == "__main__":
    sys.exit(main())
