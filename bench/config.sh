#!/bin/bash
# Times csa's config checking on hostile configs (issue 20 case 11): 20,000
# and 80,000 unknown keys, 800,000 keys given twice, a list of 800,000
# continuation lines, 5,000 indicators and a glob matching 3,000 files.
# Each config also holds one unknown key, so csa run stops after checking
# the config: the time is the config's. Prints seconds per case; asserts
# nothing (the tests assert the messages).
# Usage: bench/config.sh [CSA] (default build/csa); run from the source root.
set -eu
csa=$(realpath "${1:-build/csa}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r data-samples "$tmp/data"
cd "$tmp/data"
mkdir many
for i in $(seq 3000); do cp police/2018-10-milton-keynes-street.csv "many/f$i.csv"; done
/usr/bin/python3 - <<'PY'
b = open('assessment.ini').read().replace('harm = 120', 'harm = 120\nbogus = 1')
def w(name, text):
    open(name + '.ini', 'w').write(text)
for n in (20000, 80000):
    w('unknown-%dk' % (n // 1000),
      b.replace('[priorities]', '[priorities]\n' + ''.join('bogus%d = 1\n' % i for i in range(n))))
w('twice-800k', b.replace('[priorities]', '[priorities]\n' +
                          ''.join('weight.volume = %d\n' % (i % 50) for i in range(800000))))
w('continued-800k', b.replace('crime_types = Burglary',
                              'crime_types = Burglary,\n' + '  Burglary\n' * 800000))
w('indicators-5k', b + ''.join('[indicator.x%d]\ninput = police\n' % i for i in range(5000)))
w('glob-3000', b.replace('files = police/*.csv', 'files = many/*.csv'))
PY
for f in unknown-20k unknown-80k twice-800k continued-800k indicators-5k glob-3000; do
    start=$(date +%s.%N)
    "$csa" run "$f.ini" --out out > /dev/null 2>&1 && { echo "$f: the config was accepted"; exit 1; }
    printf '%-16s %6.2f s\n' "$f" "$(echo "$(date +%s.%N) - $start" | bc)"
done
