"""Reads csa's assessment.html and checks its figures against the
workbook's Summary sheet and the PDF pack's text, and its structure.

usage: check-page.py assessment.html assessment.xlsx pack.txt
"""
import re
import sys
from html.parser import HTMLParser

import openpyxl

html_path, xlsx_path, pack_path = sys.argv[1:4]
failures = []


def fail(msg):
    failures.append(msg)


class Page(HTMLParser):
    """Every element with its attributes, and per indicator section the
    text of its dt/dd pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.tags = []          # (tag, attrs, depth)
        self.ids = []
        self.sections = []      # indicator sections: {"title", "rank", "pairs": [(dt, [dd])]}
        self.text = {}          # an open element's index -> its text so far
        self.headings = []      # (level, text)
        self.open_texts = []
        self.svg_depth = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        self.tags.append((tag, a, len(self.stack)))
        if tag in ("br", "meta", "link", "img", "input", "hr", "source", "wbr"):
            return  # void: no end tag
        if tag == "section" and "indicator" in a.get("class", ""):
            self.sections.append({"title": None, "kicker": None, "pairs": []})
        self.stack.append([tag, a, ""])

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        self.tags.append((tag, a, len(self.stack)))

    def handle_endtag(self, tag):
        while self.stack:
            t, a, text = self.stack.pop()
            text = " ".join(text.split())
            if self.stack:
                self.stack[-1][2] += " " + text
            if re.fullmatch(r"h[1-6]", t) and not any(s[0] == "svg" for s in self.stack):
                self.headings.append((int(t[1]), text))
            sec = self.sections[-1] if self.sections else None
            in_section = sec is not None and any(
                s[0] == "section" and "indicator" in s[1].get("class", "") for s in self.stack)
            if in_section and t == "h3":
                sec["title"] = text
            if in_section and t == "p" and a.get("class") == "kicker":
                sec["kicker"] = text
            if in_section and t == "dt":
                sec["pairs"].append((text, []))
            if in_section and t == "dd" and sec["pairs"]:
                sec["pairs"][-1][1].append(text)
            if t == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data


page = Page()
source = open(html_path, encoding="utf-8").read()
page.feed(source)
page.close()


# ---- structure ----
tags = page.tags
html = [a for t, a, _ in tags if t == "html"]
if not html or html[0].get("lang") != "en-GB":
    fail("<html> has no lang=\"en-GB\"")
title = re.search(r"<title>([^<]*)</title>", source)
if not title or title.group(1) != ("Milton Keynes Community Safety Partnership: strategic "
                                   "assessment, October 2018 to December 2018"):
    fail(f"title: {title.group(1) if title else None}")
for landmark in ("header", "nav", "main", "footer"):
    if sum(1 for t, _, _ in tags if t == landmark) != 1:
        fail(f"not one <{landmark}>")
if sum(1 for t, _, _ in tags if t == "h1") != 1:
    fail("not one h1")
levels = [lv for lv, _ in page.headings]
if levels[0] != 1 or any(b > a + 1 for a, b in zip(levels, levels[1:])):
    fail(f"headings skip a level: {levels[:20]}")
skip = [a for t, a, _ in tags if t == "a" and a.get("class") == "skip"]
if not skip or skip[0].get("href") != "#main" or "main" not in page.ids:
    fail("no skip link to #main")
if len(page.ids) != len(set(page.ids)):
    dup = sorted({i for i in page.ids if page.ids.count(i) > 1})
    fail(f"{len(dup)} ids used twice, e.g. {dup[:5]}")
# every link into the page lands on an id
for t, a, _ in tags:
    href = a.get("href") or a.get("xlink:href")
    if href and href.startswith("#") and href[1:] not in page.ids:
        fail(f"link to {href} lands nowhere")
        break
if re.search(r"<script|<link |<img |<iframe|@import|url\((?!#)|(?:src|href)=\"(?!#)", source):
    fail("a script or something that loads from elsewhere")
tables = sum(1 for t, _, _ in tags if t == "table")
captions = sum(1 for t, _, _ in tags if t == "caption")
if tables == 0 or captions != tables:
    fail(f"{tables} tables, {captions} captions")
unscoped = [a for t, a, _ in tags if t == "th" and a.get("scope") not in ("col", "row")]
if unscoped:
    fail(f"{len(unscoped)} th without scope")
regions = [a for t, a, _ in tags if a.get("class") == "scroll"]
if any(a.get("tabindex") != "0" or a.get("role") != "region" or not a.get("aria-labelledby")
       for a in regions):
    fail("a scrolling region is not focusable and named")
svgs = [a for t, a, d in tags if t == "svg" and a.get("role") == "img"]
charts = len(re.findall(r"<figure class=\"chart\"", source))
if charts == 0 or len(svgs) != charts:
    fail(f"{charts} charts, {len(svgs)} SVGs with role=img")
for a in svgs:
    t_id, d_id = (a.get("aria-labelledby") or " ").split(" ")[:2]
    if not re.search(f"<title id=\"{t_id}\">[^<]+</title><desc id=\"{d_id}\">[^<]+</desc>", source):
        fail(f"chart {t_id} has no title and desc")
        break
# each glyph cairo draws text with is defined once on the page, and every
# use of one lands (the links check above covers xlink:href)
symbols = re.findall(r"<symbol [^>]*>(.*?)</symbol>", source, re.S)
if not symbols or len(symbols) != len(set(symbols)):
    fail(f"{len(symbols)} glyph symbols, {len(set(symbols))} different")
if "<?xml" in source:
    fail("an XML prolog in the page")


# ---- figures: workbook and pack ----
def shown(v, fmt):
    """A number as its cell's format shows it: places from "#,##0.00"."""
    places = len(fmt.split(".")[1]) if "." in fmt else 0
    return f"{v:,.{places}f}"


wb = openpyxl.load_workbook(xlsx_path)
ws = wb["Summary"]
head = [c.value for c in ws[5]]
col = {h: i for i, h in enumerate(head)}
rows = {}
for r in ws.iter_rows(min_row=6):
    if r[0].value:
        rows[r[0].value] = r

pack = open(pack_path, encoding="utf-8").read().split("\f")
pack = [" ".join(p.split()) for p in pack]

if len(page.sections) != len(rows):
    fail(f"{len(page.sections)} indicator sections, {len(rows)} workbook rows")
checked = 0
for sec in page.sections:
    name = sec["title"]
    r = rows.get(name)
    if r is None:
        fail(f"{name}: no workbook row")
        continue
    pairs = dict((dt, dds) for dt, dds in sec["pairs"])
    pc = r[col["Unit"]].value == "%"
    value = r[col["Value"]]
    want = {}
    if value.value is None:
        want["value"] = "No figure"
    else:
        want["value"] = shown(value.value, value.number_format) + ("%" if pc else "")
    lo, hi = r[col["Lower 95% CI"]], r[col["Upper 95% CI"]]
    if lo.value is not None and hi.value is not None:
        sign = "%" if pc else ""
        want["interval"] = (f"95% interval {shown(lo.value, lo.number_format)}{sign} to "
                            f"{shown(hi.value, hi.number_format)}{sign}")
    cnt, den = r[col["Count"]].value, r[col["Denominator"]].value
    if cnt is not None:
        want["count"] = f"Count {cnt:,.0f}" + (f" of {den:,.0f}" if den is not None else "")
    cmp_name, cmp_val = r[col["Comparator"]], r[col["Comparator value"]]
    if cmp_name.value:
        want["comparator"] = f"{cmp_name.value}: " + (
            shown(cmp_val.value, cmp_val.number_format) if cmp_val.value is not None
            else "No figure")
    change = r[col["Change"]].value
    if change:
        want["change"] = change

    dds = pairs.get("Value", [])
    got = {"value": dds[0] if dds else None}
    got["interval"] = next((d for d in dds if d.startswith("95% interval")), None)
    got["count"] = next((d for d in dds if d.startswith("Count ")), None)
    cmp_dds = next((v for k, v in pairs.items() if k.startswith("Compared with")), [])
    got["comparator"] = cmp_dds[0] if cmp_dds else None
    got["change"] = next((v[0] for k, v in pairs.items() if k.startswith("Change")), None)
    for k in ("interval", "count", "comparator", "change"):
        if k not in want and got[k] is not None and k != "comparator":
            fail(f"{name}: the page shows a {k} the workbook has not: {got[k]}")
    for k, w in want.items():
        if got.get(k) != w:
            fail(f"{name}: {k} on the page {got.get(k)!r}, workbook {w!r}")
    # the indicator's first page in the pack: its rank line, then its title
    start = f"{sec['kicker']} {name}"
    pages = [p for p in pack if start in p]
    if not pages:
        fail(f"{name}: no page of the pack starts with {start!r}")
        continue
    for k, w in want.items():
        if w not in pages[0]:
            fail(f"{name}: {k} {w!r} not on its page of the pack")
    checked += 1

if failures:
    print("\n".join(f"FAIL: {f}" for f in failures))
    sys.exit(1)
print(f"check-page: {checked} indicators' figures equal in the page, the workbook and the pack; "
      f"{charts} charts, {tables} tables")
