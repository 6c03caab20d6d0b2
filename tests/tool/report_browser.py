#!/usr/bin/env python3
"""Renders memkit HTML reports in headless Chromium and checks what a person would see.

For each file: well-formed HTML (every element closed in order), no <script> and no
external resource, Chromium's DOM holds every SVG of the file, and the screenshot is
not blank: many colours, and the heap map's used and free colours really on screen.
Exits 77 (ctest: skipped) only when Chromium is not installed.
Usage: report_browser.py REPORT.html...
"""
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr"}
# SVG shapes written self-closed (<rect/>) come through the parser as startend.
USED, FREE = (0x4A, 0x6F, 0xA5), (0x7C, 0xC4, 0x7C)


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], {}

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "script":
            self.errors.append("has a <script>")
        for name, value in attrs:
            if name in ("src", "href") or (value and "://" in value and name != "xmlns"):
                self.errors.append(f"external reference {name}={value!r}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG (what Chromium writes) to rows of RGB tuples."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"PNG depth {depth} colour {colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    prev, rows = bytearray(stride), []
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return rows


def chromium(binary, profile, *args):
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def check(binary, path):
    errors = []
    text = open(path, encoding="utf-8").read()
    parser = Checker()
    parser.feed(text)
    parser.close()
    errors += parser.errors
    if parser.stack:
        errors.append(f"unclosed elements {parser.stack}")
    nsvg = parser.tags.get("svg", 0)
    if nsvg < 2:
        errors.append(f"only {nsvg} <svg> elements")
    with tempfile.TemporaryDirectory() as tmp:
        url = "file://" + os.path.abspath(path)
        dom = chromium(binary, os.path.join(tmp, "p1"), "--dump-dom", url).stdout
        if dom.count("<svg") != nsvg or "<rect" not in dom:
            errors.append(f"Chromium's DOM has {dom.count('<svg')} <svg>, the file {nsvg}")
        shot = os.path.join(tmp, "shot.png")
        chromium(binary, os.path.join(tmp, "p2"), f"--screenshot={shot}", "--window-size=1200,2000", url)
        if not os.path.exists(shot):
            return errors + ["no screenshot"]
        rows = png_pixels(shot)
    counts = {}
    for row in rows:
        for px in row:
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    white = counts.get((255, 255, 255), 0)
    print(f"{path}: {len(counts)} colours, {100 * (total - white) / total:.1f}% not white, "
          f"used {counts.get(USED, 0)} px, free {counts.get(FREE, 0)} px")
    if len(counts) < 8 or total - white < total // 20:
        errors.append("the screenshot is nearly blank")
    if counts.get(USED, 0) < 1000 or counts.get(FREE, 0) < 100:
        errors.append("the heap map's used and free colours are not on screen")
    return errors


def main():
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("SKIPPED: chromium is not installed (Debian package: chromium)")
        return 77
    failed = False
    for path in sys.argv[1:]:
        for e in check(binary, path):
            print(f"{path}: {e}")
            failed = True
    print("FAILED" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
