#!/usr/bin/python3
"""Writes the bad-input corpus for `csa validate`: one small file per check
(and three files with mixed problems), each with the problem at a known line
and column. Rows come from data-samples/police (police.uk, OGL v3.0) and are
damaged on purpose. Run from the repository root:

    /usr/bin/python3 tests/validate/make-corpus.py

The expected findings are in tests/validate/expected.tsv, written by hand,
not by this script: the test compares csa's findings with them.
"""
import os

here = "tests/validate"
with open("data-samples/police/2018-10-milton-keynes-street.csv", encoding="utf-8") as f:
    lines = f.read().split("\n")
H = lines[0]
rows = [r for r in lines[1:] if r][:40]          # October rows, all valid
nov = open("data-samples/police/2018-11-milton-keynes-street.csv").read().split("\n")[1:11]
dec = open("data-samples/police/2018-12-milton-keynes-street.csv").read().split("\n")[1:11]


def field(row, i, value):
    f = row.split(",")
    # Last outcome category may hold a ";" but never a comma in these rows
    f[i] = value
    return ",".join(f)


def write(name, text, mode="w"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


def police(body, header=H):
    return header + "\n" + "\n".join(body) + "\n"


asb = [r for r in rows if ",Anti-social behaviour," in r]
crime = [r for r in rows if ",Anti-social behaviour," not in r]
write("empty-file.csv", "")
write("header-only.csv", H + "\n")
write("missing-column.csv", police([",".join(r.split(",")[:9] + r.split(",")[10:]) for r in crime[:3]],
                                   H.replace("Crime type,", "")))
write("duplicate-column.csv", police([r + ",2018-10" for r in crime[:3]], H + ",Month"))
write("unknown-column.csv", police([r + ",x" for r in crime[:3]], H + ",Crme typ"))
write("wrong-field-count.csv", police(crime[:3] + [crime[3] + ",extra"] + crime[4:6]))
write("cut-off-last-line.csv", H + "\n" + "\n".join(crime[:3]) + "\n" + crime[3][:120])
write("unclosed-quote.csv", police(crime[:2] + [field(crime[2], 6, '"On or near High Street')] + crime[3:5]))
write("field-too-long.csv", police(crime[:2] + [field(crime[2], 11, "x" * 70000)]))
write("nul-byte.csv", police(crime[:4] + [field(crime[4], 6, "On or near\0 Road")]))
write("invalid-utf8.csv", (police([field(crime[0], 6, "On or near Caf\u00e9")] + crime[1:3])
                           .encode() + field(crime[3], 6, "On or near \xff Road").encode("latin-1") + b"\n"))
write("windows-1252.csv", police(crime[:2] + [field(crime[2], 6, "On or near St Helen\u2019s")]).encode("cp1252"))
write("mixed-line-endings.csv", (H + "\r\n" + crime[0] + "\r\n" + crime[1] + "\n" + crime[2] + "\n"))
write("missing-value.csv", police(crime[:5] + [field(crime[5], 1, "")]))
write("bad-number.csv", police(crime[:1] + [field(crime[1], 4, "abc")]))
write("bad-date.csv", police(crime[:6] + [field(crime[6], 1, "2018-13")]))
write("out-of-range.csv", police(crime[:2] + [field(crime[2], 5, "95.1")]))
write("bad-area-code.csv", police(crime[:3] + [field(crime[3], 7, "E0101679")]))
write("not-in-list.csv", police(crime[:2] + [field(crime[2], 9, "Burglery")]))
write("unlisted-value.csv", police(crime[:2] + [field(crime[2], 10, "Sent to the moon")]))
write("lookup.csv", "LSOA11CD,LSOA11NM,WD19CD,LAD19CD,CSP19CD\n"
      "E01016796,Milton Keynes 001A,E05009393,E06000042,E22000110\n"
      "E01017648,Aylesbury Vale 001A,E05009999,E07000004,E22000004\n")
write("unknown-code.csv", police(crime[:1] + [field(crime[1], 7, "E01016797")]))
write("outside-area.csv", police(crime[:2] + [field(crime[2], 7, "E01017648")]))
write("duplicate-id.csv", police(crime[:8] + [crime[3]]))
write("missing-id.csv", police(crime[:4] + [field(crime[4], 0, "")]))
write("asb-without-id.csv", police(crime[:3] + asb[:2]))
write("outside-period.csv", police(crime[:3] + nov[:2] + dec[:1]))
write("missing-month.csv", police(crime[:3] + dec[:3]))
write("blank-lsoa-share.csv", police(crime[:3] + [field(field(crime[3], 7, ""), 8, "")]))
write("partial-month.csv", police(crime[:10] + nov[:10] + dec[:2]))
write("suppressed-value.csv", "area code,period,measure,count\nE05009393,2018-10,deliberate fires,12\n"
      "E05009394,2018-10,deliberate fires,*\n")
write("small-count.csv", "area code,period,measure,count\nE05009393,2018-10,deliberate fires,12\n"
      "E05009394,2018-10,deliberate fires,3\n")
# mixed problems
damaged = list(rows)
hit = [i for i, r in enumerate(rows) if r.split(",")[0] and i >= 15]  # rows with a Crime ID
damaged[hit[0]] = field(damaged[hit[0]], 1, "Oct-18")             # bad date
damaged[hit[3]] = ",".join(damaged[hit[3]].split(",")[:8])        # cut short
damaged[hit[6]] = field(damaged[hit[6]], 9, "Vehicle crimes")     # not in list
damaged[hit[9]] = field(damaged[hit[9]], 4, "-0.7O3093")          # letter O for zero
print("damaged-police.csv: damaged lines", [h + 2 for h in (hit[0], hit[3], hit[6], hit[9])])
write("damaged-police.csv", police(damaged))
fh = ("Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
      "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
      "Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,"
      "Compared to England value or percentiles,Compared to region value or percentiles,"
      "Time period Sortable,New data,Compared to goal,Time period range")
frow = ("11201,Violent crime - hospital admissions for violence,E12000008,South East region,{code},"
        "{name},UA,Persons,All ages,,,2017/18 - 19/20,{v},35.6,45.0,33.5,47.6,{n},258000,,,"
        "Better,Similar,20170000,,,3y")
write("fingertips-cut.csv", fh + "\n" + frow.format(code="E06000042", name="Milton Keynes", v="40.1", n="311")
      + "\n" + frow.format(code="E06000036", name="Bracknell Forest", v="30.2", n="3") + "\n"
      + frow.format(code="E06000037", name="West Berkshire", v="28.0", n="150")[:95])
write("population-1252.csv", ("la,lsoa,LSOA name,Total\r\nE06000042,E01016735,Milton Keynes 021A,\"1,893\"\r\n"
                              "E06000042,E01016736,St Helen\u2019s 001A,\"2,571\"\r\n"
                              "E06000042,E01016737,Milton Keynes 023A,12a\r\n").encode("cp1252"))
# identifiers that must be unique (not police.uk's Crime IDs, which the
# publisher repeats): a survey's respondent and a reference file's LSOA
with open("data-samples/survey/community-survey-2018.csv", encoding="utf-8") as f:
    survey = f.read().split("\n")
write("survey-duplicate-id.csv", "\n".join(survey[:6] + [survey[3]]) + "\n")
with open("data-samples/imd2019-milton-keynes.csv", encoding="utf-8-sig") as f:
    imd = f.read().split("\n")
write("imd-duplicate-lsoa.csv", "\n".join(imd[:5] + [imd[2]]) + "\n")
# a value too long to quote whole ends "..." in messages
write("long-value.csv", police(crime[:2] + [field(crime[2], 9, "Burglary" * 40)]))

# a partner's incident records (spec partner-incidents) with the problems
# partners' files have: a time past 23:59, an identifier given twice, a date
# after the period, an LSOA code the lookup does not have and a month where
# the day is needed
write("partner-incidents-bad.csv",
      "incident id,date,time,LSOA code,category,venue\n"
      "ED-1,2018-10-05,23:10,E01016796,assault,street\n"
      "ED-2,2018-10-06,25:00,E01016796,assault,street\n"
      "ED-1,2018-10-07,01:00,E01016796,assault,pub or club\n"
      "ED-4,2019-02-01,12:00,E01016796,assault,street\n"
      "ED-5,2018-11-01,12:00,E01016797,assault,home\n"
      "ED-6,2018-11,21:00,E01016796,assault,street\n")
