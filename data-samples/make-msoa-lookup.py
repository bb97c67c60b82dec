#!/usr/bin/python3
"""Write msoa-lookup-milton-keynes.csv: each Milton Keynes 2011 LSOA and the
2011 MSOA it is in, derived from the LSOA names of the IMD 2019 sample.

Usage (from the repository root):

    /usr/bin/python3 data-samples/make-msoa-lookup.py [OUT_DIR]

ONS names a 2011 LSOA after its MSOA and a letter: "Milton Keynes 030A" is
one of the LSOAs of MSOA "Milton Keynes 030". So the MSOA's name is the
LSOA's name without its last letter. The names give no MSOA code (E02...):
the file has none, and csa knows each MSOA by its name. Every name is
checked to end in three digits and one capital letter; the output is the
same bytes on every run (LF line ends, in the IMD file's order).
"""

import csv
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
out_dir = sys.argv[1] if len(sys.argv) > 1 else here
with open(os.path.join(here, "imd2019-milton-keynes.csv"), encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
with open(os.path.join(out_dir, "msoa-lookup-milton-keynes.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["LSOA11CD", "LSOA11NM", "MSOA11NM", "LAD19CD", "LAD19NM"])
    for r in rows:
        name = r["LSOA name (2011)"]
        if not re.fullmatch(r".* \d{3}[A-Z]", name):
            sys.exit(f"LSOA name {name!r} does not end in an MSOA number and a letter")
        w.writerow([r["LSOA code (2011)"], name, name[:-1],
                    r["Local Authority District code (2019)"],
                    r["Local Authority District name (2019)"]])
msoas = sorted({r["LSOA name (2011)"][:-1] for r in rows})
print(f"{len(rows)} LSOAs in {len(msoas)} MSOAs")
