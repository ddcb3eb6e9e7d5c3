#!/usr/bin/env bash
# Does the wasm grow with the course? Build the site, add a throwaway chapter (a copy of
# chapter 2 in both languages), build again, compare, and take the chapter out again. The wasm
# is both lab bundles together.
#
#   bench/chapter-growth.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
size() { cat dist/labs-*_bg.wasm | wc -c; }
digest() { cat dist/labs-*_bg.wasm | md5sum | cut -c1-16; }
chapter2=$(basename "$(ls content/en/[0-9]*.md | sed -n 2p)")
pages() { cat dist/en/*.html dist/zh/*.html | wc -c; }
scripts/build-site.sh >/dev/null 2>&1
before=$(size) before_hash=$(digest) before_pages=$(pages)
trap 'rm -f content/en/99-throwaway.md content/zh/99-throwaway.md; scripts/build-site.sh >/dev/null 2>&1' EXIT
for lang in en zh; do
    # Altered so that none of its text repeats chapter 2's (identical strings would be stored once).
    sed '1s/.*/# A throwaway chapter/; s/the/THE/g; s/的/之/g' "content/$lang/$chapter2" > "content/$lang/99-throwaway.md"
done
scripts/build-site.sh >/dev/null 2>&1
after=$(size) after_hash=$(digest) after_pages=$(pages)
echo "| | wasm (bytes) | wasm md5 | pages in dist/en + dist/zh (bytes) |"
echo "|---|---:|---|---:|"
echo "| course as it is | $before | $before_hash | $before_pages |"
echo "| plus a throwaway chapter | $after | $after_hash | $after_pages |"
echo "| difference | $((after - before)) | | $((after_pages - before_pages)) |"
