#!/usr/bin/python3
"""Checks the outputs of `csa rates` by their values, not their bytes.

usage: check-outputs.py OUTDIR EXPECTED_COUNTS_CSV

- rates.csv: the first four columns (crime type, decile, count, population)
  equal the independently computed expected file; every rate equals
  count / population * 1000 and lies inside its interval.
- rates.xlsx: the Rates sheet holds the same table as rates.csv, numbers
  stored as numbers with number formats, the header frozen; the Row
  accounting sheet's totals add up.
- rates-by-decile.png: a 1200 x 800 PNG whose pixels include the bars.
"""
import csv
import struct
import sys
import zlib

import openpyxl

out, expected_path = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


rows = list(csv.reader(open(f"{out}/rates.csv", newline="")))
expected = list(csv.reader(open(expected_path, newline="")))
check([r[:4] for r in rows] == expected, "rates.csv counts differ from the expected file")
header = rows[0]
check(header == ["Crime type", "IMD decile", "Count", "Population", "Rate per 1,000",
                 "Lower 95% CI", "Upper 95% CI", "Note"], f"rates.csv header {header}")
for r in rows[1:]:
    count, pop = int(r[2]), int(r[3])
    if pop == 0:
        check(r[4] == "" and r[7] != "", f"no population but a rate: {r}")
        continue
    rate, lo, hi = float(r[4]), float(r[5]), float(r[6])
    check(abs(rate - round(count / pop * 1000, 4)) < 1e-9, f"rate of {r}")
    check(lo <= rate <= hi, f"interval of {r}")

wb = openpyxl.load_workbook(f"{out}/rates.xlsx")
check(wb.sheetnames == ["Rates", "Row accounting", "No population"], f"sheets {wb.sheetnames}")
ws = wb["Rates"]
check(ws.freeze_panes == "A4", f"freeze panes {ws.freeze_panes}")
check([c.value for c in ws[3]] == header, "workbook header")
for i, r in enumerate(rows[1:]):
    cells = ws[4 + i]
    check(cells[0].value == r[0] and cells[1].value == int(r[1]), f"workbook row {i}")
    check(cells[2].value == int(r[2]) and cells[2].number_format == "#,##0", f"count cell {i}")
    if r[4]:
        check(abs(cells[4].value - float(r[4])) < 5e-5, f"rate cell {i}")
        check(cells[4].number_format == "#,##0.00", f"rate format {i}")
    else:
        check(cells[4].value is None, f"missing rate cell {i} should be empty")
check(ws.max_row == 3 + len(rows) - 1, "workbook row count")
acc = wb["Row accounting"]
heads = [c.value for c in acc[3]]
check(heads[:7] == ["File", "Rows read", "Accepted", "Without LSOA", acc[3][4].value,
                    "No population", "Rejected"], f"accounting header {heads}")
for row in acc.iter_rows(min_row=4, values_only=True):
    check(row[1] == sum(row[2:7]), f"accounting row does not add up: {row}")
total = [r for r in acc.iter_rows(min_row=4, values_only=True)][-1]
check(total[0] == "All files", "accounting total row")
check(total[2] == sum(int(r[2]) for r in rows[1:11]), "accepted = All crime count")

png = open(f"{out}/rates-by-decile.png", "rb").read()
check(png[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature")
width, height, depth, ctype = struct.unpack(">IIBB", png[16:26])
check((width, height) == (1200, 800), f"PNG size {width}x{height}")
# decode (cairo writes 8-bit RGB or RGBA, not interlaced) and count bar pixels
data, pos = b"", 8
while pos < len(png):
    n, kind = struct.unpack(">I4s", png[pos:pos + 8])
    if kind == b"IDAT":
        data += png[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(data)
bpp = {2: 3, 6: 4}[ctype]
stride = width * bpp
prev = bytearray(stride)
bar = 0
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, stride, bpp):
        # cairo stores BGRA in memory but PNG rows are RGB(A)
        r, g, b_ = line[x], line[x + 1], line[x + 2]
        if abs(r - 0x1F) < 16 and abs(g - 0x4E) < 16 and abs(b_ - 0x79) < 16:
            bar += 1
check(bar > 0.05 * width * height, f"only {bar} bar-coloured pixels")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
