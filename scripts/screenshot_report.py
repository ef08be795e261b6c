"""Regenerate docs/report-resnet50.png, the screenshot of `--format html` in docs/usage.md.

The page is resnet50's report (fixtures/resnet50.py, input inferred, as `staticflops
fixtures/resnet50.py -f html` run from the repository's root prints it), drawn by headless Chromium
at 1400×1000. The PNG carries the SHA-256 of the page it shows (a `tEXt` chunk), so that
`tests/test_html.py` can tell, without a browser, whether the screenshot is of the current code.

    python scripts/screenshot_report.py            # needs Chromium (Debian: apt-get install chromium)
    python scripts/screenshot_report.py --check    # exit 1 when the screenshot is not of the current page
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "report-resnet50.png"
KEY = b"staticflops-page-sha256"
SIZE = (1400, 1000)


def docs_page() -> str:
    sys.path.insert(0, str(ROOT))
    from staticflops import analyze
    from staticflops.report import OutputFormat, render

    with contextlib.chdir(ROOT):  # the page names the file as the command line did: fixtures/resnet50.py
        return render(analyze([Path("fixtures/resnet50.py")]), OutputFormat.HTML)


def page_hash(page: str) -> str:
    return hashlib.sha256(page.encode()).hexdigest()


def with_text(png: bytes, key: bytes, value: str) -> bytes:
    """`png` with a tEXt chunk right after IHDR (the first chunk: 8 signature bytes, then 25)."""
    data = key + b"\0" + value.encode("latin-1")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    return png[:33] + chunk + png[33:]


def text_of(png: bytes, key: bytes) -> str | None:
    at = 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        body = png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and body.split(b"\0", 1)[0] == key:
            return body.split(b"\0", 1)[1].decode("latin-1")
        at += 12 + length
    return None


def main() -> int:
    page = docs_page()
    if sys.argv[1:] == ["--check"]:
        current = SCREENSHOT.is_file() and text_of(SCREENSHOT.read_bytes(), KEY) == page_hash(page)
        if not current:
            print(f"{SCREENSHOT.relative_to(ROOT)} is not of the current page: run scripts/screenshot_report.py")
        return 0 if current else 1
    from tests.cdp import Browser, find_browser

    executable = find_browser()
    if executable is None:
        print("no Chromium found (set STATICFLOPS_CHROMIUM to its path)", file=sys.stderr)
        return 2
    browser = Browser(executable)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "report.html"
            path.write_text(page, encoding="utf-8")
            tab = browser.page(*SIZE)
            tab.open(path)
            errors = tab.errors()
            if errors:
                print("\n".join(errors), file=sys.stderr)
                return 1
            tab.screenshot(path.with_suffix(".png"))
            SCREENSHOT.write_bytes(with_text(path.with_suffix(".png").read_bytes(), KEY, page_hash(page)))
    finally:
        browser.close()
    print(f"wrote {SCREENSHOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
