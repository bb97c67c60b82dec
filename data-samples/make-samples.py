#!/usr/bin/python3
"""Regenerate the Milton Keynes sample files in data-samples/.

Usage (from the repository root):

    /usr/bin/python3 data-samples/make-samples.py [DATA_DIR [OUT_DIR]]

DATA_DIR defaults to /work/shared/data and must contain
    police/2018-{10,11,12}-thames-valley-street.csv
    geo/imd2019-lsoa.csv
    geo/population-lsoa-mid2015.csv
    geo/lsoa2011-lsoa2021-lookup.csv
OUT_DIR defaults to the directory holding this script.

Selection rule (LA = E06000042, Milton Keynes):
  * imd2019-milton-keynes.csv: the IMD header line, byte for byte (UTF-8 BOM
    included), plus every record whose "Local Authority District code (2019)"
    is E06000042.
  * police/2018-MM-milton-keynes-street.csv: the header line plus every record
    of the corresponding Thames Valley file whose "LSOA code" is one of the
    LSOAs that the IMD file assigns to E06000042.
  * population-milton-keynes.csv: the header line plus every record whose
    "la" column is E06000042.
  * lsoa-lookup-milton-keynes.csv: the header line plus every record of the
    ONS LSOA (2011) to LSOA (2021) lookup whose LSOA11CD is one of the LSOAs
    that the IMD file assigns to E06000042.

Records are copied byte for byte, in their original order, with their original
line endings (the population and lookup files use CRLF, the others LF).  A record is a
physical line unless it has an open double-quoted field, in which case the
following lines are joined to it until the quotes balance (RFC 4180), so a
record that spans lines is always copied whole.  (In the 2018 source files no
record spans lines.)  Only the Python standard library is used.
"""

import csv
import io
import os
import sys

LA = "E06000042"
MONTHS = ("2018-10", "2018-11", "2018-12")


def split_records(data):
    """Split raw bytes into raw records (each including its line terminator).

    A newline ends a record only when the number of '"' bytes seen so far in
    that record is even, i.e. we are not inside a quoted field."""
    records = []
    start = 0
    quotes = 0
    i = 0
    n = len(data)
    while i < n:
        c = data[i]
        if c == 0x22:  # '"'
            quotes += 1
        elif c == 0x0A and quotes % 2 == 0:  # '\n' outside quotes
            records.append(data[start:i + 1])
            start = i + 1
            quotes = 0
        i += 1
    if start < n:  # last record without a terminator
        records.append(data[start:])
    return records


def parse_record(raw, strip_bom=False):
    text = raw.decode("utf-8")
    if strip_bom and text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if len(rows) != 1:
        raise ValueError("record did not parse as exactly one CSV row: %r" % raw[:200])
    return rows[0]


def subset(src, dst, keep):
    """Copy the header record and the records for which keep(header, row) is
    true from src to dst, byte for byte.  Returns (data_rows_in, data_rows_out)."""
    with open(src, "rb") as fh:
        data = fh.read()
    records = split_records(data)
    header = parse_record(records[0], strip_bom=True)
    out = [records[0]]
    for raw in records[1:]:
        row = parse_record(raw)
        if len(row) != len(header):
            raise ValueError("%s: %d fields, header has %d: %r"
                             % (src, len(row), len(header), raw[:200]))
        if keep(header, row):
            out.append(raw)
    tmp = dst + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(b"".join(out))
    os.replace(tmp, dst)
    return len(records) - 1, len(out) - 1


def main(argv):
    data_dir = argv[1] if len(argv) > 1 else "/work/shared/data"
    out_dir = argv[2] if len(argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(out_dir, "police"), exist_ok=True)

    imd_src = os.path.join(data_dir, "geo", "imd2019-lsoa.csv")
    pop_src = os.path.join(data_dir, "geo", "population-lsoa-mid2015.csv")

    # IMD subset; remember which LSOAs belong to the LA.
    mk_lsoas = set()

    def keep_imd(header, row):
        rec = dict(zip(header, row))
        if rec["Local Authority District code (2019)"] == LA:
            mk_lsoas.add(rec["LSOA code (2011)"])
            return True
        return False

    n_in, n_out = subset(imd_src, os.path.join(out_dir, "imd2019-milton-keynes.csv"), keep_imd)
    print("imd2019-milton-keynes.csv: %d of %d data rows" % (n_out, n_in))

    # Police subsets.
    for month in MONTHS:
        src = os.path.join(data_dir, "police", "%s-thames-valley-street.csv" % month)
        dst = os.path.join(out_dir, "police", "%s-milton-keynes-street.csv" % month)
        n_in, n_out = subset(
            src, dst,
            lambda header, row: row[header.index("LSOA code")] in mk_lsoas)
        print("police/%s-milton-keynes-street.csv: %d of %d data rows" % (month, n_out, n_in))

    # Population subset.
    pop_lsoas = set()

    def keep_pop(header, row):
        rec = dict(zip(header, row))
        if rec["la"] == LA:
            pop_lsoas.add(rec["lsoa"])
            return True
        return False

    n_in, n_out = subset(pop_src, os.path.join(out_dir, "population-milton-keynes.csv"), keep_pop)
    print("population-milton-keynes.csv: %d of %d data rows" % (n_out, n_in))

    # LSOA (2011) to LSOA (2021) lookup subset: the rows of the LA's 2011 LSOAs.
    lookup_src = os.path.join(data_dir, "geo", "lsoa2011-lsoa2021-lookup.csv")
    n_in, n_out = subset(lookup_src, os.path.join(out_dir, "lsoa-lookup-milton-keynes.csv"),
                         lambda header, row: row[header.index("LSOA11CD")] in mk_lsoas)
    print("lsoa-lookup-milton-keynes.csv: %d of %d data rows" % (n_out, n_in))

    print("MK LSOAs: IMD only %d, population only %d, both %d"
          % (len(mk_lsoas - pop_lsoas), len(pop_lsoas - mk_lsoas), len(mk_lsoas & pop_lsoas)))
    print("  IMD only: %s" % " ".join(sorted(mk_lsoas - pop_lsoas)))
    print("  population only: %s" % " ".join(sorted(pop_lsoas - mk_lsoas)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
