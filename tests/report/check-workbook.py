#!/usr/bin/python3
"""Writes the fixture's assessment.xlsx with make_workbook and reads it back:
cell values, number formats, conditional formats, Excel tables, native
charts and document properties, against the fixed figures of
tests/report/fixture.c. With --libreoffice, converts every sheet to CSV
with headless LibreOffice instead and checks the values as it shows them.

usage: check-workbook.py [--libreoffice] MAKE_WORKBOOK"""
import csv
import datetime
import glob
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def eq(got, want, what):
    if isinstance(want, float) and isinstance(got, (int, float)):
        ok = math.isclose(got, want, rel_tol=0, abs_tol=1e-9)
    else:
        ok = got == want and type(got) is type(want)
    check(ok, f"{what}: got {got!r}, want {want!r}")


def make(exe, path):
    r = subprocess.run([exe, path], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"make_workbook failed ({r.returncode}): {r.stderr}")


SHEETS = ["Summary", "Priorities", "Crime", "Health", "Survey", "Data quality", "Provenance"]
SHA0 = "0f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061"
RUN_TIME = datetime.datetime(2023, 11, 14, 22, 13, 20)  # 1700000000 in UTC
DATETIME = "yyyy-mm-dd hh:mm:ss"
NUMBER_TEXT = re.compile(r"\s*[-+]?[\d,]*\.?\d+([eE][-+]?\d+)?\s*|nan|inf", re.I)


def check_summary(ws):
    eq([c.value for c in ws[5]],
       ["Indicator", "Theme", "Unit", "Polarity", "Count", "Denominator", "Value",
        "Lower 95% CI", "Upper 95% CI", "Comparator", "Comparator value",
        "Compared with comparator", "Trend", "Note", "Source", "Method", "Change",
        "Compared with period", "Count now", "Count before", "Value now", "Value before",
        "Change in value", "Change %", "Rate ratio", "Rate ratio lower 95% CI",
        "Rate ratio upper 95% CI"], "Summary header")
    eq(ws["A6"].value, "Violence against the person", "Summary A6")
    eq(ws["B6"].value, "Crime", "Summary theme")
    eq(ws["C6"].value, "per 1,000 residents", "Summary unit")
    eq(ws["D6"].value, "Lower is better", "Summary polarity")
    eq(ws["E6"].value, 1953, "violence count")
    eq(ws["E6"].number_format, "#,##0", "count format")
    eq(ws["F6"].value, 269500, "violence denominator")
    # the pack's places: two from 1 to 10 (7.25, as the pack shows it), the
    # interval's ends the value's, the comparator its own
    eq(ws["G6"].value, 7.2468, "violence value")
    eq(ws["G6"].number_format, "#,##0.00", "value from 1 to 10 with two decimals")
    eq(ws["H6"].value, 6.9289, "violence lower")
    eq(ws["I6"].value, 7.5754, "violence upper")
    eq([ws["H6"].number_format, ws["I6"].number_format], ["#,##0.00"] * 2,
       "interval with the value's decimals")
    eq(ws["J6"].value, "England", "comparator")
    eq(ws["K6"].value, 8.3, "comparator value")
    eq(ws["K6"].number_format, "#,##0.00", "comparator with its own decimals")
    eq([ws["G7"].number_format, ws["K7"].number_format, ws["G8"].number_format],
       ["#,##0.0"] * 3, "values from 10 with one decimal")
    eq(ws["L6"].value, "Better", "violence outcome")
    eq(ws["M6"].value, "Increasing: 2 points above the upper process limit", "trend")
    eq(ws["N6"].value, None, "no note")
    eq(ws["L7"].value, "Similar", "admissions outcome")
    eq(ws["I7"].value, 45, "admissions upper 45.0 as a number")
    # the survey: high is good, no comparator: blanks, never 0 or "nan"
    eq(ws["A8"].value, "Feel safe outside after dark", "Summary A8")
    eq(ws["D8"].value, "Higher is better", "survey polarity")
    eq(ws["G8"].value, 57.7, "survey value")
    eq(ws["J8"].value, None, "survey comparator blank")
    eq(ws["K8"].value, None, "survey comparator value blank (NaN)")
    eq(ws["L8"].value, "Not compared", "survey outcome")
    eq(ws["N8"].value, "Excludes input survey-2017 (left out with --allow-invalid)",
       "survey note")
    eq(ws["A9"].value, None, "three indicators only")
    eq(ws.freeze_panes, "B6", "Summary frozen under the header")

    # RAG from conditional formats on the outcome text, not pasted fills
    rules = {}
    for cf in ws.conditional_formatting:
        for r in cf.rules:
            rules.setdefault(str(cf.sqref), []).append(
                (r.type, r.operator, tuple(r.formula), r.dxf.fill.bgColor.rgb,
                 r.dxf.font.color.rgb))
    colours = [("Worse", "FFC00000", "FFFFFFFF"), ("Similar", "FFFFC000", "FF000000"),
               ("Better", "FF92D050", "FF000000"), ("Higher", "FFC2CCFF", "FF000000"),
               ("Lower", "FF5555E6", "FFFFFFFF")]
    eq(rules.get("L6:L8"),
       [("cellIs", "equal", (f'"{t}"',), fill, font) for t, fill, font in colours] +
       [("cellIs", "equal", ('"Not compared"',), "FFC9C9C9", "FF000000")],
       "outcome column conditional formats")
    eq(rules.get("G6:G8"),
       [("expression", None, (f'$L6="{t}"',), fill, font) for t, fill, font in colours],
       "value cells coloured by their row's outcome")
    for row in ws.iter_rows(min_row=6, max_row=8):
        for c in row:
            check(c.fill is None or c.fill.fill_type is None,
                  f"Summary {c.coordinate} has a pasted fill")


def check_priorities(ws, values):
    eq(ws["A4"].value, "Rank", "Priorities A4")
    eq(ws["C4"].value, "Volume against comparator", "criterion 1 heading")
    eq(ws["G4"].value, "Trend", "criterion 2 heading")
    eq(ws["K4"].value, "Harm", "criterion 3 heading")
    eq(ws["O4"].value, "Total", "total heading")
    merged = [str(r) for r in ws.merged_cells.ranges]
    check("C4:F4" in merged and "G4:J4" in merged, f"criterion headings merged: {merged}")
    check("C5:D5" in merged, f"Value over the measure and its words: {merged}")
    eq([c.value for c in ws[5]][2:14],
       ["Value", None, "Score", "Weight"] * 3, "Value/Score/Weight headers")
    # each measure a number with its places, its words beside it
    eq([c.value for c in ws[6]][:14],
       [1, "Violence against the person", 0.89, "x England", 2, 2, 1, "Increasing", 5, 1,
        10.2, "days per resident", 5, 3], "priority 1 row")
    eq([ws[c].number_format for c in ("C6", "C7", "G6", "K6", "K7")],
       ["#,##0.00", "#,##0.00", "#,##0", "#,##0.0", "#,##0.0"],
       "measures with their criterion's decimals (harm's by default: 10.2, 1.3)")
    eq([ws[c].number_format for c in ("E6", "F6", "O6")], ["#,##0"] * 3,
       "whole scores, weights and totals without decimals")
    eq(ws["O6"].value, "=E6*F6+I6*J6+M6*N6", "total as its sum")
    eq([values["O6"].value, values["O7"].value, values["O8"].value], [24, 16, 12],
       "totals 2*2+5*1+5*3 and the rest")
    eq([ws["A7"].value, ws["B7"].value, ws["A8"].value, ws["B8"].value],
       [2, "Hospital admissions for violence", 3, "Feel safe outside after dark"], "ranks")
    # no measure: an empty cell, and why beside it
    eq([c.value for c in ws[7]][2:12],
       [0.9, "x England", 2, 2, None, "Not enough points", 3, 1, 1.3, "days per resident"],
       "priority 2 row")
    eq([c.value for c in ws[8]][2:12],
       [None, "No comparator", 3, 2, None, "One wave", 3, 1, None, "No weight"],
       "priority 3: no measures, the reasons beside them")
    for c in ("C6", "C7", "G6", "K6", "K7"):
        check(isinstance(ws[c].value, (int, float)), f"Priorities {c} is a number")
    eq(ws["A10"].value, "How each criterion is scored", "rules heading")
    eq([ws["A11"].value, ws["A12"].value, ws["A13"].value], ["Volume against comparator",
       "Trend", "Harm"], "rule names")
    eq(ws["C12"].value,
       "5 getting worse, 3 no significant change or not enough points, 1 getting better",
       "trend rule")


def check_themes(wb, path):
    crime = wb["Crime"]
    eq(crime["A4"].value, "Violence against the person", "Crime indicator heading")
    check(crime["A5"].value.startswith("Violence against the person: 7.25 per 1,000"),
          "reading sentence under the heading")
    tables = {n: (crime.tables[n].ref, [c.name for c in crime.tables[n].tableColumns])
              for n in crime.tables}
    eq(tables, {
        "Violence_by_month": ("A9:E21", ["Month", "Count", "Rate per 1,000", "Lower 95% CI",
                                         "Upper 95% CI"]),
        "Violence_by_deprivation_decile": ("A26:F36", ["IMD decile", "Count", "Population",
                                                       "Rate per 1,000", "Lower 95% CI",
                                                       "Upper 95% CI"])}, "Crime tables")
    eq(crime["A8"].value, "Violence by month", "table title above the table")
    eq(crime["A10"].value, "2018-01", "first month")
    eq(crime["B10"].value, 402, "month count")
    eq(crime["B10"].number_format, "#,##0", "whole-number column without decimals")
    eq(crime["C10"].value, 1.4918, "month rate")
    eq(crime["C10"].number_format, "#,##0.0000", "rate with the table's 4 decimals")
    eq(crime["C21"].value, 2.0039, "last month rate")
    eq(crime["D27"].value, 38.5, "decile 1 rate")
    eq(crime["D27"].number_format, "#,##0.0", "decile rate with 1 decimal")
    eq([crime["B35"].value, crime["D35"].value], [0, 0], "decile 9: zeros stay zeros")
    eq([crime["A36"].value, crime["B36"].value, crime["C36"].value, crime["D36"].value],
       ["10 (least deprived)", None, 0, None], "decile 10: missing stays blank")
    health = wb["Health"]
    eq({n: health.tables[n].ref for n in health.tables},
       {"Hospital_admissions_for_violence_by_area": "A9:E14"}, "Health table")
    survey = wb["Survey"]
    eq({n: survey.tables[n].ref for n in survey.tables},
       {"Feel_safe_after_dark_by_group": "A10:E15"}, "Survey table")
    eq(survey["A6"].value, "Note: Excludes input survey-2017 (left out with --allow-invalid)",
       "note on the theme sheet")

    with zipfile.ZipFile(path) as z:
        charts = {n: z.read(n).decode() for n in z.namelist()
                  if re.fullmatch(r"xl/charts/chart\d+\.xml", n)}
        eq(sorted(charts), [f"xl/charts/chart{i}.xml" for i in range(1, 5)], "four charts")
        # each drawing's charts belong to its sheet: Crime has two
        rels = z.read("xl/drawings/_rels/drawing1.xml.rels").decode()
        eq(re.findall(r"charts/(chart\d+)\.xml", rels), ["chart1", "chart2"],
           "Crime's drawing holds charts 1 and 2")
    c1, c2, c3, c4 = (charts[f"xl/charts/chart{i}.xml"] for i in range(1, 5))
    check("<c:lineChart>" in c1, "chart 1 is a line chart")
    eq(re.findall(r"<c:f>([^<]*)</c:f>", c1),
       ["Crime!$C$9", "Crime!$A$10:$A$21", "Crime!$C$10:$C$21",
        "Crime!$D$9", "Crime!$A$10:$A$21", "Crime!$D$10:$D$21",
        "Crime!$E$9", "Crime!$A$10:$A$21", "Crime!$E$10:$E$21"],
       "line chart: rate over months, interval as dashed series")
    check(c1.count('prstDash val="dash"') == 2, "interval series dashed")
    check("Violence by month" in c1 and "Rate per 1,000 residents" in c1
          and "<a:t>Month</a:t>" in c1, "chart and axis titles (value axis with its unit)")
    check('<c:barDir val="col"/>' in c2, "chart 2 is a column chart")
    eq(re.findall(r"<c:f>([^<]*)</c:f>", c2)[:3],
       ["Crime!$D$26", "Crime!$A$27:$A$36", "Crime!$D$27:$D$36"], "decile chart ranges")
    check('<c:barDir val="bar"/>' in c3, "chart 3 is a bar chart")
    eq(re.findall(r"<c:f>([^<]*)</c:f>", c3)[:3],
       ["Health!$B$9", "Health!$A$10:$A$14", "Health!$B$10:$B$14"], "area chart ranges")
    check("Value, per 100,000 (directly standardised)" in c3, "bar value axis title")
    check('<c:orientation val="maxMin"/>' in c3, "bar categories top to bottom as in the table")
    eq(re.findall(r"<c:f>([^<]*)</c:f>", c4)[:3],
       ["Survey!$B$10", "Survey!$A$11:$A$15", "Survey!$B$11:$B$15"], "survey chart ranges")


def check_quality(ws):
    eq({n: ws.tables[n].ref for n in ws.tables},
       {"Inputs": "A5:O7", "Crime_indicators": "A10:J11", "Input_files": "A14:D18",
        "Validation_findings": "A21:H23"},
       "Data quality tables")
    eq([c.value for c in ws[5]],
       ["Input", "Status", "Spec", "Rows read", "Used", "No location", "No population",
        "Outside area", "Outside period", "Rejected", "Covers", "Months missing", "Errors",
        "Warnings", "Files"], "inputs header")
    eq([c.value for c in ws[6]],
       ["police", "Used", "police-street", 6094, 5671, 0, 423, 0, 0, 0, "Oct 2018 to Dec 2018",
        "Jan 2018 to Sep 2018", 0, 1, 3], "police accounting")
    eq([c.value for c in ws[7]],
       ["survey", "Excluded (--allow-invalid)", "survey", 1200, 0, 0, 0, 0, 0, 1200, None,
        None, 1, 0, 1], "survey accounting")
    eq(ws["D6"].number_format, "#,##0", "rows format")
    eq([c.value for c in ws[10]][:10],
       ["Indicator", "Name", "Source", "Rows read", "Used", "No location",
        "No population", "Outside area", "Outside period", "Rejected"], "indicators header")
    eq([c.value for c in ws[11]][:10],
       ["Violence against the person", "violence", "police.uk street-level crime", 2088, 1953,
        0, 135, 0, 0, 0], "indicator accounting")
    eq([c.value for c in ws[15]][:4],
       ["police", "../data-samples/police/2018-10-milton-keynes-street.csv", 512345,
        datetime.datetime(2018, 12, 1)], "first file")
    eq(ws["D15"].number_format, DATETIME, "modified as a datetime")
    eq(ws["D18"].value, datetime.datetime(2019, 1, 1), "survey file modified")
    eq([c.value for c in ws[22]][:8],
       ["survey", "../data-samples/survey/community-survey-2018.csv", 17, 5, "code-list",
        "error", "Mal", "sex must be one of Female, Male, Other"], "finding 1")
    eq([c.value for c in ws[23]][:8],
       ["police", "../data-samples/police/2018-10-milton-keynes-street.csv", None, None,
        None, "warning", None, "LSOA code E01016735 has no population row"], "finding 2")


def check_provenance(ws):
    labels = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(4, 11)}
    eq({k: v.value for k, v in labels.items()}, {
        "Title": "Milton Keynes Community Safety Partnership",
        "Area": "Milton Keynes (E06000042)", "Period": "January to December 2018",
        "Comparator": "England", "Config": "../data-samples/assessment.ini",
        "csa version": "0.1.0", "Run time (UTC)": RUN_TIME}, "provenance header")
    eq(labels["Run time (UTC)"].number_format, DATETIME, "run time format")
    eq({n: ws.tables[n].ref for n in ws.tables}, {"Provenance_files": "A13:G17"},
       "provenance table")
    eq([c.value for c in ws[13]],
       ["Input", "Spec", "File", "Bytes", "SHA-256", "Rows read", "Modified (UTC)"],
       "provenance columns")
    eq([c.value for c in ws[14]],
       ["police", "police-street", "../data-samples/police/2018-10-milton-keynes-street.csv",
        512345, SHA0, 2124, datetime.datetime(2018, 12, 1)], "first input file")
    eq(ws["F15"].value, 2072, "rows of the second file")
    eq(ws["E17"].value, "3f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5064",
       "survey SHA-256")
    eq(ws["F17"].value, 1200, "survey rows")


def check_no_numbers_as_text(wb):
    for name in ["Summary", "Priorities", "Data quality", "Provenance"]:
        for row in wb[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and not c.value.startswith("="):
                    check(not NUMBER_TEXT.fullmatch(c.value),
                          f"{name}!{c.coordinate} holds a number as text: {c.value!r}")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                check(not (isinstance(c.value, float) and not math.isfinite(c.value)),
                      f"{ws.title}!{c.coordinate} holds {c.value}")


def cells(path):
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value, c.number_format)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def check_openpyxl(exe, tmp):
    path = os.path.join(tmp, "assessment.xlsx")
    make(exe, path)
    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    eq(wb.sheetnames, SHEETS, "sheets in order")
    check_summary(wb["Summary"])
    check_priorities(wb["Priorities"], values["Priorities"])
    check_themes(wb, path)
    check_quality(wb["Data quality"])
    check_provenance(wb["Provenance"])
    check_no_numbers_as_text(wb)
    eq(wb.properties.created, RUN_TIME, "workbook created = run time")
    eq(wb.properties.title, "Milton Keynes Community Safety Partnership", "workbook title")

    # the same inputs give the same workbook, whenever it is written
    again = os.path.join(tmp, "again.xlsx")
    make(exe, again)
    eq(cells(again), cells(path), "cells of a second run")
    with open(path, "rb") as a, open(again, "rb") as b:
        check(a.read() == b.read(), "a second run writes the same bytes")

    # a workbook that cannot be written is an error naming why, not a crash
    r = subprocess.run([exe, os.path.join(tmp, "no-such-folder", "a.xlsx")],
                       capture_output=True, text=True)
    check(r.returncode == 1 and "cannot write workbook" in r.stderr,
          f"unwritable path: exit {r.returncode}, {r.stderr!r}")


def check_libreoffice(exe, tmp):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: install libreoffice-calc-nogui (see README)")
    path = os.path.join(tmp, "assessment.xlsx")
    make(exe, path)
    out = os.path.join(tmp, "csv")
    # every sheet (-1), values as shown (token 9), UTF-8, comma separated;
    # a private profile so that parallel runs do not share one
    filt = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", filt, "--outdir", out, path],
                       capture_output=True, text=True, timeout=110)
    files = sorted(glob.glob(os.path.join(out, "*.csv")))
    if r.returncode != 0 or not files:
        sys.exit(f"soffice failed ({r.returncode}): {r.stdout} {r.stderr}")
    sheets = {}
    for name in SHEETS:
        f = os.path.join(out, f"assessment-{name}.csv")
        check(os.path.exists(f), f"LibreOffice wrote sheet {name}: {files}")
        if os.path.exists(f):
            with open(f, newline="", encoding="utf-8") as fp:
                sheets[name] = list(csv.reader(fp))

    def row(sheet, first):
        for r in sheets.get(sheet, []):
            if r and r[0] == first:
                return r
        check(False, f"LibreOffice {sheet}: no row starting {first!r}")
        return []

    s = row("Summary", "Violence against the person")
    eq(s[4:12], ["1,953", "269,500", "7.25", "6.93", "7.58", "England", "8.30", "Better"],
       "LibreOffice Summary violence row as shown (the pack's decimals)")
    s = row("Summary", "Hospital admissions for violence")
    eq(s[6:11], ["40.1", "35.6", "45.0", "England", "44.9"],
       "LibreOffice Summary admissions row as shown")
    s = row("Summary", "Feel safe outside after dark")
    eq(s[9:12], ["", "", "Not compared"], "LibreOffice Summary survey blanks")
    p = row("Priorities", "1")
    eq(p[1:15], ["Violence against the person", "0.89", "x England", "2", "2", "1",
                 "Increasing", "5", "1", "10.2", "days per resident", "5", "3", "24"],
       "LibreOffice priority 1 row as shown")
    p = row("Priorities", "3")
    eq(p[2:4] + p[6:8] + p[10:12], ["", "No comparator", "", "One wave", "", "No weight"],
       "LibreOffice priority 3: no measures, the reasons beside them")
    eq(row("Priorities", "2")[2:4], ["0.90", "x England"],
       "LibreOffice priority 2 volume with its criterion's decimals")
    eq([row("Priorities", "2")[14], p[14]], ["16", "12"], "LibreOffice other totals")
    m = row("Crime", "2018-12")
    eq(m[:5], ["2018-12", "540", "2.0039", "1.8382", "2.1805"], "LibreOffice Crime month")
    d = row("Crime", "10 (least deprived)")
    eq(d[:6], ["10 (least deprived)", "", "0", "", "", ""], "LibreOffice decile 10 blanks")
    q = row("Data quality", "survey")
    eq(q[:10], ["survey", "Excluded (--allow-invalid)", "survey", "1,200", "0", "0", "0", "0",
                "0", "1,200"],
       "LibreOffice data quality survey row")
    f = [r for r in sheets.get("Data quality", []) if len(r) > 3 and r[0] == "police"
         and r[1].endswith("2018-10-milton-keynes-street.csv")]
    check(f and f[0][3] == "2018-12-01 00:00:00", f"LibreOffice file modified: {f}")
    eq(row("Provenance", "Run time (UTC)")[1], "2023-11-14 22:13:20",
       "LibreOffice run time")
    v = row("Provenance", "police")
    eq(v[3:7], ["512,345", SHA0, "2,124", "2018-12-01 00:00:00"],
       "LibreOffice provenance first file")


def main():
    args = sys.argv[1:]
    lo = "--libreoffice" in args
    args = [a for a in args if a != "--libreoffice"]
    if len(args) != 1:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory(prefix="csa-workbook-") as tmp:
        if lo:
            check_libreoffice(os.path.abspath(args[0]), tmp)
        else:
            check_openpyxl(os.path.abspath(args[0]), tmp)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("ok")


if __name__ == "__main__":
    main()
