#!/usr/bin/python3
"""Runs `csa validate --format json` on every file of tests/validate and
checks each expected finding (tests/validate/expected.tsv) by identifier,
line, column and message, the exit status, and that every check csa reports
for a file is one the table expects there (nothing unexpected).

usage: check-validate.py CSA SOURCE_ROOT
"""
import collections
import json
import os
import subprocess
import sys

csa, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
corpus = f"{root}/tests/validate"
cases = collections.OrderedDict()
for line in open(f"{corpus}/expected.tsv", encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    file, spec, args, status, check, ln, col, msg = line.rstrip("\n").split("\t")
    key = (file, spec, args)
    cases.setdefault(key, {"status": int(status), "want": []})
    cases[key]["want"].append((check, int(ln), int(col), None if msg == "-" else msg))

# notes that come with any police file and need not be listed for each
incidental = {"asb-without-id", "blank-area"}
failures = 0
for (file, spec, args), case in cases.items():
    cmd = [csa, "validate", "--format", "json", "--spec", spec]
    cmd += [] if args == "-" else args.split()
    cmd.append(file)
    run = subprocess.run(cmd, cwd=corpus, capture_output=True)
    try:
        doc = json.loads(run.stdout.decode("utf-8"))
    except ValueError as e:
        print(f"FAIL {file}: output is not JSON ({e}): {run.stdout[:200]!r} {run.stderr!r}")
        failures += 1
        continue
    result = doc["files"][0]
    if run.returncode != case["status"]:
        print(f"FAIL {file}: exit {run.returncode}, expected {case['status']}")
        failures += 1
    got = [(f["check"], f["line"], f["column"], f["message"]) for f in result["findings"]]
    for check, ln, col, msg in case["want"]:
        if not any(g[0] == check and g[1] == ln and g[2] == col and (msg is None or g[3] == msg)
                   for g in got):
            print(f"FAIL {file}: no {check} at {ln}:{col}: {msg}\n  got: {got}")
            failures += 1
    wanted = {w[0] for w in case["want"]}
    for c in result["checks"]:
        if c["check"] not in wanted and c["check"] not in incidental:
            print(f"FAIL {file}: unexpected {c['check']}")
            failures += 1
print(f"{len(cases)} files, {failures} failures")
sys.exit(1 if failures else 0)
