#!/usr/bin/python3
"""Regenerate data-samples/bedfordshire/: real Bedfordshire Police rows and
the IMD and population rows of Bedford (E06000055) and Luton (E06000032),
for the coverage tests (another force's files, a comparator the files do
not cover).

Usage (from the repository root):

    /usr/bin/python3 data-samples/make-bedfordshire.py [DATA_DIR [OUT_DIR]]

DATA_DIR defaults to /work/shared/data and must contain
    police/2018-10-bedfordshire-street.csv
    geo/imd2019-lsoa.csv
    geo/population-lsoa-mid2015.csv
OUT_DIR defaults to bedfordshire/ beside this script.

Selection rule:
  * imd2019-bedford-luton.csv: the IMD header line (BOM included) plus every
    record whose LA code is E06000055 or E06000032.
  * population-bedford-luton.csv: the header line plus every record whose
    "la" is E06000055 or E06000032.
  * 2018-10-bedfordshire-street.csv: the header line plus the records whose
    "LSOA code" is one of the first 15 LSOAs (in IMD file order) of Bedford,
    of Luton and of Central Bedfordshire (E06000056), and every record with
    an LSOA code of no LA of those three (crimes the force recorded across
    its border: one in Milton Keynes).
Records are copied byte for byte with make-samples.py's subset().
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_samples", os.path.join(HERE, "make-samples.py"))
ms = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ms)

BEDFORD, LUTON, CENTRAL = "E06000055", "E06000032", "E06000056"
FIRST = 15


def main(argv):
    data_dir = argv[1] if len(argv) > 1 else "/work/shared/data"
    out_dir = argv[2] if len(argv) > 2 else os.path.join(HERE, "bedfordshire")
    os.makedirs(out_dir, exist_ok=True)
    la_of, firsts = {}, {BEDFORD: [], LUTON: [], CENTRAL: []}

    def keep_imd(header, row):
        rec = dict(zip(header, row))
        la, lsoa = rec["Local Authority District code (2019)"], rec["LSOA code (2011)"]
        la_of[lsoa] = la
        if la in firsts and len(firsts[la]) < FIRST:
            firsts[la].append(lsoa)
        return la in (BEDFORD, LUTON)

    n_in, n_out = ms.subset(os.path.join(data_dir, "geo", "imd2019-lsoa.csv"),
                            os.path.join(out_dir, "imd2019-bedford-luton.csv"), keep_imd)
    print("imd2019-bedford-luton.csv: %d of %d data rows" % (n_out, n_in))
    n_in, n_out = ms.subset(os.path.join(data_dir, "geo", "population-lsoa-mid2015.csv"),
                            os.path.join(out_dir, "population-bedford-luton.csv"),
                            lambda h, row: row[h.index("la")] in (BEDFORD, LUTON))
    print("population-bedford-luton.csv: %d of %d data rows" % (n_out, n_in))
    chosen = {l for v in firsts.values() for l in v}
    kept = {}

    def keep_police(header, row):
        lsoa = row[header.index("LSOA code")]
        la = la_of.get(lsoa)
        keep = lsoa in chosen or (la is not None and la not in firsts)
        if keep:
            kept[la] = kept.get(la, 0) + 1
        return keep

    n_in, n_out = ms.subset(os.path.join(data_dir, "police", "2018-10-bedfordshire-street.csv"),
                            os.path.join(out_dir, "2018-10-bedfordshire-street.csv"), keep_police)
    print("2018-10-bedfordshire-street.csv: %d of %d data rows" % (n_out, n_in))
    for la, n in sorted(kept.items(), key=lambda kv: -kv[1]):
        print("  %s %d" % (la, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
