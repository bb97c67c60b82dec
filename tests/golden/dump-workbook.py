#!/usr/bin/python3
"""Prints every non-empty cell of a workbook as sheet, cell, value and
number format, one per line, so that two workbooks compare by their cells
and not by bytes (which carry timestamps and zip order)."""
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if isinstance(v, float):
                v = repr(round(v, 10))
            print(f"{ws.title}\t{c.coordinate}\t{v}\t{c.number_format}")
