#!/usr/bin/env bash
# Renders xlsx workbooks as a human would print them: xlsx -> PDF (LibreOffice headless) ->
# PNG pages (poppler's pdftoppm), to look at page breaks, widths and glyphs.
#
# Usage: scripts/render.sh OUT_DIR WORKBOOK.xlsx...
#        scripts/render.sh --samples OUT_DIR   (writes the test samples first, then renders them)
# Needs: soffice (LibreOffice), pdftoppm (poppler-utils), CJK fonts (fonts-noto-cjk).
# Keep OUT_DIR outside the repository (or under a gitignored /out* folder).
set -euo pipefail

if [[ "${1:-}" == "--samples" ]]; then
    out="${2:?usage: render.sh --samples OUT_DIR}"
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    here="$(cd "$(dirname "$0")/.." && pwd)"
    (cd "$here" && YUSUAN_RENDER_DIR="$out" cargo test --quiet --test integration \
        write::write_render_samples -- --ignored --exact >/dev/null)
    set -- "$out" "$out"/*.xlsx
fi

out="${1:?usage: render.sh OUT_DIR WORKBOOK.xlsx...}"
shift
[[ $# -gt 0 ]] || { echo "render.sh: no workbook given" >&2; exit 2; }
for tool in soffice pdftoppm; do
    command -v "$tool" >/dev/null || { echo "render.sh: $tool not found" >&2; exit 2; }
done
mkdir -p "$out"
# A private LibreOffice profile, so a running office instance does not swallow the job.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for xlsx in "$@"; do
    stem="$(basename "${xlsx%.*}")"
    soffice -env:UserInstallation="file://$profile" --headless \
        --convert-to pdf --outdir "$out" "$xlsx" >/dev/null 2>&1
    [[ -f "$out/$stem.pdf" ]] || { echo "render.sh: no PDF for $xlsx" >&2; exit 1; }
    pdftoppm -png -r 60 "$out/$stem.pdf" "$out/$stem"
    echo "$out/$stem.pdf -> $(ls "$out/$stem"-*.png | wc -l) pages"
done
