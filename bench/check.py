#!/usr/bin/python3
"""Check that a peer's rate table is identical to csa's.

    check.py CSA_RATES.csv PEER.csv PEER_NAME

CSA_RATES.csv is csa's rates.csv (Crime type, IMD decile, Count, Population, "Rate per 1,000",
CIs, Note); PEER.csv has Crime type, IMD decile, Count, Population, Rate. The two tables must
have exactly the same (crime type, decile) rows, in any order, with equal Count and Population,
and a Rate that rounds to csa's 4-decimal figure (a peer's full-precision rate r matches csa's
printed x when "%.4f" % r == x, or when r lies exactly half-way, within 1e-12, so that the two
roundings may legitimately differ). No row is dropped or filled in on either side.

csa's own table is also checked for shape: every crime type, "All crime" included, has exactly
deciles 1..10, and every printed rate is Count * 1000 / Population rounded to 4 places.

Exits 0 and prints nothing when the tables agree; otherwise prints every differing row to stdout
and exits 1.
"""
import csv
import math
import sys


def read(path, rate_col):
    rows = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for rec in csv.DictReader(f):
            key = (rec["Crime type"], int(rec["IMD decile"]))
            if key in rows:
                raise SystemExit("%s: duplicate row %s, decile %d" % (path, *key))
            rows[key] = (int(rec["Count"]), int(float(rec["Population"])), rec[rate_col].strip())
    return rows


def rate_matches(full, printed):
    """Does the full-precision rate `full` (text) round to csa's 4-place `printed`?"""
    if printed == "" or full.lower() in ("", "na", "nan", "inf", "null"):
        return printed == "" and full.lower() in ("", "na", "nan", "inf", "null")
    r, x = float(full), float(printed)
    return "%.4f" % r == printed or math.isclose(abs(r - x), 0.00005, abs_tol=1e-12)


def main():
    csa_path, peer_path, name = sys.argv[1:4]
    csa = read(csa_path, "Rate per 1,000")
    peer = read(peer_path, "Rate")
    problems = []

    types = sorted({t for t, _ in csa})
    if "All crime" not in types:
        problems.append("csa: no \"All crime\" rows")
    for t in types:
        deciles = sorted(d for tt, d in csa if tt == t)
        if deciles != list(range(1, 11)):
            problems.append("csa: %s has deciles %s, not 1..10" % (t, deciles))
    for (t, d), (n, p, x) in sorted(csa.items()):
        own = repr(n * 1000 / p) if p else ""
        if not rate_matches(own, x):
            problems.append("csa: %s, decile %d: rate %s is not %d * 1000 / %d = %s"
                            % (t, d, x, n, p, own))

    for key in sorted(csa.keys() - peer.keys()):
        problems.append("only in csa:   %s, decile %d: %s" % (*key, ",".join(map(str, csa[key]))))
    for key in sorted(peer.keys() - csa.keys()):
        problems.append("only in %s: %s, decile %d: %s" % (name, *key, ",".join(map(str, peer[key]))))
    for key in sorted(csa.keys() & peer.keys()):
        (n, p, x), (pn, pp, pr) = csa[key], peer[key]
        if n != pn or p != pp or not rate_matches(pr, x):
            problems.append("differs: %s, decile %d: csa count %d population %d rate %s; "
                            "%s count %d population %d rate %s" % (*key, n, p, x, name, pn, pp, pr))
    if problems:
        print("%s vs csa: %d problem%s (%s vs %s)" % (name, len(problems),
              "" if len(problems) == 1 else "s", peer_path, csa_path))
        for line in problems:
            print("  " + line)
        sys.exit(1)


if __name__ == "__main__":
    main()
