#!/bin/bash
# csa calc: issue 21, the cases where an answer was wrong or silent. Each
# case has its reference value written here with its source: PHEindicatormethods'
# test data (tests/testthat/testdata_DSR_ISR.xlsx), NHSRplotthedots' vignette,
# or a formula computed here in Python, never csa's own output.
set -u
csa=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail=0
check() { [ "$1" = "$2" ] || { echo "FAIL: $3"; echo " got: $1"; echo "want: $2"; fail=1; }; }
# close A B TOL NAME: |A - B| <= TOL * max(1, |B|)
# (a blank or a word is no number: awk would read it as 0)
number() { [[ $1 =~ ^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ ]]; }
close() {
    number "$1" && number "$2" && awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; m = b < 0 ? -b : b; if (m < 1) m = 1
        exit (d < 0 ? -d : d) > t * m }' || { echo "FAIL: $4: $1 != $2"; fail=1; }
}
# col FILE ROW NAME: a cell of a CSV (ROW 0 is the first data row); awk, not
# Python, as it is called some hundreds of times (quoted fields, "" inside)
col() { awk -v row="$2" -v name="$3" '
function cells(line, out,    n, i, c, f, q) {
    n = 0; f = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c != "\"") f = f c; else if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 }
        else if (c == "\"") q = 1
        else if (c == ",") { out[++n] = f; f = "" }
        else f = f c
    }
    out[++n] = f
    return n
}
{ sub(/\r$/, "") }
NR == 1 { n = cells($0, h); for (i = 1; i <= n; i++) if (h[i] == name) k = i; next }
NR == row + 2 { cells($0, v); print v[k]; exit }' "$1"; }

# ---- case 1: a missing denominator no longer corrupts the funnel centre ----
# 30/100, 40/(blank), 40/100: the centre is 70 / 200 = 35% (PHEindicatormethods
# refuses the table; the blank row cannot be in an average), the blank row gets no
# significance, and the two others are judged against Wilson limits around 35%,
# computed here.
for blank in '' '*'; do
    printf 'Team,Yes,Asked\nx,30,100\ny,40,%s\nz,40,100\n' "$blank" > f1.csv
    "$csa" calc funnel --kind proportion --count Yes --denominator Asked --decimals 9 f1.csv > f1-out.csv || fail=1
    close "$(col f1-out.csv 0 'Funnel centre')" 35 1e-12 "funnel centre without the blank row ('$blank')"
    want=$(/usr/bin/python3 -c '
from math import sqrt
from statistics import NormalDist
def wilson(p, n, level):
    z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
    x = p * n
    root = z * sqrt(z * z + 4 * x * (1 - p))
    return (2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z))
(l95, u95), (l998, u998) = wilson(0.35, 100, 95), wilson(0.35, 100, 99.8)
for p in (0.30, 0.40):
    print("High (0.001)" if p > u998 else "Low (0.001)" if p < l998 else
          "High (0.025)" if p > u95 else "Low (0.025)" if p < l95 else "Not significant")')
    got=$(/usr/bin/python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(rows[0]["Significance"]); print(rows[2]["Significance"])' f1-out.csv)
    check "$got" "$want" "funnel significance around 35% ('$blank')"
    check "$(col f1-out.csv 1 Significance)|$(col f1-out.csv 1 Note)" \
        "|suppressed or missing input: no result, and left out of the funnel centre" "funnel blank row"
    check "$(col f1-out.csv 0 Note)" "the funnel centre leaves out 1 row with a suppressed or missing input" \
        "funnel note on the other rows"
done

# ---- cases 2 and 3: DSR on PHEindicatormethods' testdata_big ----
# testdata_DSR_ISR.xlsx, sheet testdata_multiarea (area testdata_big; the sheet's
# "55-69" is its 55-59 band), results sheet testresults_DSR, per 100,000:
# 10430.247991469423 (95% 9717.709067985681 to 11178.94091547925, 99.8%
# 9323.2878802199029 to 11620.595999522058).
counts=(127 25 18 21 12 27 48 27 29 32 32 34 45 65 38 68 74 82 91)
pops=(636 558 609 543 384 594 669 843 660 576 606 522 426 273 300 288 153 123 207)
{
    echo "Area,Band,Count,Population"
    for i in $(seq 0 18); do
        band=$((5 * i))-$((5 * i + 4)); [ "$i" = 18 ] && band=90+
        echo "Big,$band,${counts[$i]},${pops[$i]}"
    done
} > big.csv
dsr="--count Count --denominator Population --band Band --by Area --decimals 10"
"$csa" calc dsr $dsr big.csv > big-out.csv || fail=1
for c in "DSR per 100,000:10430.247991469423" "Lower 95% CI:9717.709067985681" \
         "Upper 95% CI:11178.94091547925" "Lower 99.8% CI:9323.2878802199029" \
         "Upper 99.8% CI:11620.595999522058"; do
    close "$(col big-out.csv 0 "${c%%:*}")" "${c##*:}" 1e-9 "dsr testdata_big ${c%%:*}"
done
# case 2: the 40-44 count suppressed gave 10,122.67 (the band's events taken as
# none); csa's help says a suppressed value gives no result
sed 's/^Big,40-44,29,/Big,40-44,*,/' big.csv > big-supp.csv
out=$("$csa" calc dsr $dsr big-supp.csv) || fail=1
check "$(echo "$out" | sed -n 2p)" "Big,,,,,,,a band's count is suppressed or blank: no result" \
    "dsr with a suppressed band"
# case 3: the 40-44 row dropped gave 10,884.6 (its standard population lost);
# now an error that says what to do. The band given as 0 events gives 10,122.67,
# Dobson's DSR computed here.
grep -v '^Big,40-44,' big.csv > big-gap.csv
msg=$("$csa" calc dsr $dsr big-gap.csv 2>&1 >/dev/null); status=$?
check "$status|$msg" "1|csa: big-gap.csv: Area \"Big\": no row for ages 40 to 44: a DSR without a band loses its share of the standard population; give the band its row, with a count of 0 if it had no events" \
    "dsr with a band missing"
sed 's/^Big,40-44,29,/Big,40-44,0,/' big.csv > big-zero.csv
"$csa" calc dsr $dsr big-zero.csv > big-zero-out.csv || fail=1
want=$(/usr/bin/python3 -c '
c = [127, 25, 18, 21, 12, 27, 48, 27, 0, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91]
p = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
esp = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000,
       4000, 2500, 1500, 1000]  # ESP2013, PHEindicatormethods data/esp2013.rda
print(repr(sum(ci / pi * w for ci, pi, w in zip(c, p, esp)) / sum(esp) * 100000))')
close "$(col big-zero-out.csv 0 'DSR per 100,000')" "$want" 1e-12 "dsr with the band at 0"
check "$(printf '%.2f' "$want")" "10122.67" "the issue's 10,122.67"
# a gap is not ages left out at the ends: an indicator for ages 16 and over is fine
grep -v -E '^Big,(0-4|5-9|10-14),' big.csv > big-15.csv
"$csa" calc dsr $dsr big-15.csv > /dev/null || { echo "FAIL: dsr for ages 15 and over"; fail=1; }

# ---- case 7 (part): a standard population of the table's own, ESP1976 ----
# testdata_DSR_ISR.xlsx, sheet testdata_1976 (18 bands to 85+, "55-69" again its
# 55-59), results testresults_DSR per 100,000: 804 events, 8592.0975850223658
# (95% 7991.160931442103 to 9225.2538803183179). Its 99.8% limits per 100,000
# (76592.82, 95992.12) are ten times its own per-10,000 ones (7659.2821065689559,
# 9599.2117985716977), which are the right figures per 100,000 for this DSR.
{
    echo "Band,Count,Population,ESP1976"
    esp76=(8000 7000 7000 7000 7000 7000 7000 7000 7000 7000 7000 6000 5000 4000 3000 2000 1000 1000)
    for i in $(seq 0 17); do
        band=$((5 * i))-$((5 * i + 4)); [ "$i" = 17 ] && band=85+
        echo "$band,${counts[$i]},${pops[$i]},${esp76[$i]}"
    done
} > e76.csv
"$csa" calc dsr --count Count --denominator Population --band Band --standard ESP1976 --decimals 10 e76.csv > e76-out.csv || fail=1
for c in "Count:804" "DSR per 100,000:8592.0975850223658" "Lower 95% CI:7991.160931442103" \
         "Upper 95% CI:9225.2538803183179" "Lower 99.8% CI:7659.2821065689559" \
         "Upper 99.8% CI:9599.2117985716977"; do
    close "$(col e76-out.csv 0 "${c%%:*}")" "${c##*:}" 1e-9 "dsr ESP1976 ${c%%:*}"
done
msg=$(sed 's/^40-44,29,660,7000/40-44,29,660,/' e76.csv | "$csa" calc dsr --count Count --denominator Population \
      --band Band --standard ESP1976 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:10:4: ESP1976 is blank: every band needs its standard population" "dsr blank standard"

# ---- case 7 (part): SII respects the quantile column, as phe_sii arranges by it ----
# (R/SII_function.R: arrange(quantile), 1 the most deprived); the slope of rates
# 2, 5, 8, 12, 20 per 1,000 on equal quintiles is 21.5, computed here
want=$(/usr/bin/python3 -c '
rate = [2, 5, 8, 12, 20]; x = [0.1, 0.3, 0.5, 0.7, 0.9]
mx, my = sum(x) / 5, sum(rate) / 5
print(repr(sum((a - mx) * (b - my) for a, b in zip(x, rate)) / sum((a - mx) ** 2 for a in x)))')
printf 'Quintile,Count,Population\n3,8,1000\n1,2,1000\n5,20,1000\n2,5,1000\n4,12,1000\n' > q.csv
"$csa" calc sii --count Count --denominator Population --quantile Quintile --decimals 9 q.csv > q-out.csv || fail=1
close "$(col q-out.csv 0 SII)" "$want" 1e-9 "sii by --quantile"
msg=$(sed 's/^5,20/3,20/' q.csv | "$csa" calc sii --count Count --denominator Population --quantile Quintile 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:4:1: Quintile repeats a quantile of its group: one row per quantile" "sii repeated quantile"

# ---- case 7 (part): DSR for non-independent events ----
# testdata_DSR_ISR.xlsx, sheet testdata_nonindepe: people by event frequency f1-f4
# in each band (the populations of testdata_big; the sheet's "55-69" is its 55-59;
# a blank frequency cell is 0 people, f4 only for testdata_nonind_big, as
# data-raw/LoadTestdata.R pivots it), results testresults_DSR rows 9-12 per 100,000
# from calculate_dsr(independent_events = FALSE, eventfreq = freq, ageband =
# ageband), given to 8 decimals:
#   big:   895, 10430.24799147 (95% 9532.94977862 to 11373.07483298,
#          99.8% 9036.25631357 to 11929.24980749)
#   dummy: 895, 10430.24799147 (95% 9512.29883752 to 11394.77359633,
#          99.8% 9004.17418121 to 11963.74870404)
#   small: 89, 1082.95419841 (95% 817.68609755 to 1393.55884927,
#          99.8% 684.16751792 to 1585.49645593)
#   tiny:  9, suppressed ("dsr NA for total count < 10")
# near A B TOL NAME: |A - B| <= TOL
near() {
    number "$1" && number "$2" && awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit (d < 0 ? -d : d) > t }' ||
        { echo "FAIL: $4: $1 != $2"; fail=1; }
}
{
    echo "Area,Band,Frequency,People,Population"
    while read -r area f people; do
        read -r -a n <<< "$people"
        for i in $(seq 0 18); do
            band=$((5 * i))-$((5 * i + 4)); [ "$i" = 18 ] && band=90+
            echo "$area,$band,$f,${n[$i]},${pops[$i]}"
        done
    done <<'EOF'
big 1 75 16 11 12 8 18 26 18 18 21 21 23 23 39 25 40 46 49 56
big 2 16 3 2 3 0 3 6 3 4 4 4 4 6 8 5 9 9 10 11
big 3 4 1 1 1 0 1 2 1 1 1 1 1 2 2 1 2 2 3 3
big 4 2 0 0 0 1 0 1 0 0 0 0 0 1 1 0 1 1 1 1
dummy 1 80 15 10 17 12 25 30 20 19 23 19 30 19 25 15 20 30 29 22
dummy 2 10 5 1 2 0 1 9 2 5 3 5 2 7 14 10 18 16 19 21
dummy 3 9 0 2 0 0 0 0 1 0 1 1 0 4 4 1 4 4 5 9
small 1 7 4 3 0 3 4 5 2 2 3 4 5 3 5 5 3 5 5 4
small 2 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
small 3 1 0 0 0 0 0 1 0 0 0 0 0 1 1 0 1 0 0 0
tiny 1 0 0 0 0 0 0 1 0 0 0 0 0 1 0 0 1 1 0 0
tiny 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0
tiny 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1
EOF
} > nonind.csv
nonind="--count People --denominator Population --band Band --by Area --independent-events no --event-frequency Frequency"
"$csa" calc dsr $nonind --decimals 12 nonind.csv > nonind-out.csv || fail=1
r=0
for want in "big:895:10430.24799147:9532.94977862:11373.07483298:9036.25631357:11929.24980749" \
            "dummy:895:10430.24799147:9512.29883752:11394.77359633:9004.17418121:11963.74870404" \
            "small:89:1082.95419841:817.68609755:1393.55884927:684.16751792:1585.49645593"; do
    IFS=: read -r area events v l95 u95 l998 u998 <<< "$want"
    w=("$v" "$l95" "$u95" "$l998" "$u998")
    check "$(col nonind-out.csv $r Area)" "$area" "dsr non-independent row $r"
    close "$(col nonind-out.csv $r Events)" "$events" 0 "dsr non-independent $area events"
    i=0
    for c in "DSR per 100,000" "Lower 95% CI" "Upper 95% CI" "Lower 99.8% CI" "Upper 99.8% CI"; do
        near "$(col nonind-out.csv $r "$c")" "${w[$i]}" 5.1e-9 "dsr non-independent $area $c"
        i=$((i + 1))
    done
    r=$((r + 1))
done
check "$(sed -n 5p nonind-out.csv)" "tiny,9.000000000000,,,,,,fewer than 10 events: suppressed" \
    "dsr non-independent tiny"
msg=$("$csa" calc dsr $nonind --independent-events yes nonind.csv 2>&1 >/dev/null)
check "$msg" "csa: calc dsr --independent-events no needs --event-frequency COL (how many events each row's people had), and --event-frequency needs --independent-events no" \
    "dsr --event-frequency without --independent-events no"
msg=$(sed '2s/,636$/,637/' nonind.csv | "$csa" calc dsr $nonind 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:21:5: Population of band \"0-4\" is 636 where an earlier row of the band has 637: each frequency's row repeats the band's one population" \
    "dsr non-independent populations differ"
msg=$(sed '2s/,1,75,/,,75,/' nonind.csv | "$csa" calc dsr $nonind 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:2:3: Frequency is blank: every row needs its event frequency" \
    "dsr non-independent blank frequency"

# ---- case 7 (part): SII from values with their limits, and of proportions ----
# testdata_SII.xlsx (PHEindicatormethods tests/testthat), rows 1-10 (normal, area1),
# 71-80 (rate, area1), 91-110 (proportion, areas 1 and 2), each quantile's
# Population, Count, Value, LowerCL and UpperCL as the sheet has them. phe_sii's
# results there (100,000 repetitions, 95%; testSII.R gives the proportions by value
# and limits and again by x = Count with the same limits, which are Wilson's):
#   row 1   normal:     SII 6.9346164736688189 (3.1275946176508169 to 10.7586873680794),
#                       RII 1.0888180804446217 (1.0383690591642838 to 1.1412993360251238)
#   row 71  rate:       SII -3.2752012326471758 (-3.5868233016744155 to -2.9653170017272723),
#                       RII 0.40600068953980034 (0.36888170199068804 to 0.44624776652446996)
#   row 91  proportion: SII -0.10720032333730493 (-0.11220857220984691 to -0.1021798062145461),
#                       RII 0.53340153064655071 (0.51712731963580183 to 0.55015384129130041)
#   row 101 proportion: SII -0.0581854710713103 (-0.062166295708858489 to -0.054174547731294348),
#                       RII 0.54701284615554346 (0.52371450740074543 to 0.5714617043537692)
#   row 111 proportion, multiplier 100: SII -10.720032333730494 (-11.220857220984691
#                       to -10.217980621454609), RII as row 91
# Points match to 1e-9; limits are simulated (R's generator is not csa's), so they
# match within four Monte Carlo standard errors of the difference of two 100,000-draw
# quantiles (as tests/unit/test_inequality.c's mc_tol).
mc() {  # mc GOT WANT LOWER UPPER NAME: |GOT - WANT| within the Monte Carlo tolerance
    # (4 standard errors of a 2.5% quantile of 100,000 draws, the spread from the
    # reference interval; z = 1.959964)
    number "$1" && awk -v got="$1" -v want="$2" -v lo="$3" -v hi="$4" 'BEGIN { p = 0.025; z = 1.959964
        sd = (hi - lo) / (2 * z); pdf = exp(-z * z / 2) / sqrt(2 * 3.141592653589793)
        tol = 4 * sd * sqrt(p * (1 - p)) / pdf * sqrt(2 / 100000); d = got - want
        exit (d < 0 ? -d : d) > tol }' || { echo "FAIL: $5: $1 not near $2"; fail=1; }
}
sii_check() {  # sii_check FILE ROW SII LO HI RII RLO RHI NAME
    local f=$1 r=$2
    close "$(col "$f" "$r" SII)" "$3" 1e-9 "$9 SII"
    close "$(col "$f" "$r" RII)" "$6" 1e-9 "$9 RII"
    mc "$(col "$f" "$r" 'SII lower 95% CI')" "$4" "$4" "$5" "$9 SII lower"
    mc "$(col "$f" "$r" 'SII upper 95% CI')" "$5" "$4" "$5" "$9 SII upper"
    mc "$(col "$f" "$r" 'RII lower 95% CI')" "$7" "$7" "$8" "$9 RII lower"
    mc "$(col "$f" "$r" 'RII upper 95% CI')" "$8" "$7" "$8" "$9 RII upper"
}
{
    echo "Kind,Area,Quantile,Population,Count,Value,LowerCL,UpperCL"
    cat <<'EOF'
normal,area1,1,7291,,75.9334590103081,72.7220530546453,79.1448649659708
normal,area1,2,7997,,78.3442382727843,75.2509802190802,81.4374963264884
normal,area1,3,6105,,83.8360631041654,80.8697295124759,86.8023966958549
normal,area1,4,7666,,83.6375399664931,80.157578356036,87.1175015769501
normal,area1,5,5790,,80.4655031529559,77.1308785969275,83.8001277089842
normal,area1,6,6934,,81.1156759857022,78.0499986811178,84.1813532902866
normal,area1,7,5918,,81.6930835718562,79.011578491948,84.3745886517644
normal,area1,8,5974,,84.1900062060987,81.4457282769343,86.9342841352631
normal,area1,9,7147,,80.5955641081472,75.827185168894,85.3639430474004
normal,area1,10,7534,,86.2894349578624,83.2190593454592,89.3598105702656
rate,area1,1,279012,,5.892219689475721,5.614959662410748,6.183085357576154
rate,area1,2,255993,,4.7345044591063035,4.475920770781004,5.0079519402470885
rate,area1,3,236961,,3.827634083245766,3.586926055445024,4.0844291026854505
rate,area1,4,214315,,3.8681380211371112,3.6140791140579505,4.1399822998098585
rate,area1,5,192812,,3.6771570234217785,3.4166969870147965,3.9573934822289045
rate,area1,6,183546,,3.1436261209723995,2.8977176350029272,3.4103317188858107
rate,area1,7,168593,,3.1258711808912585,2.870493809285979,3.4038909874130083
rate,area1,8,164822,,2.942568346458604,2.6924041297904315,3.2159015715579464
rate,area1,9,154836,,2.82879950399132,2.57630573787527,3.1059621495836955
rate,area1,10,138165,,2.7648101907140012,2.501420619088458,3.05584866618335
proportion,area1,1,34353,7287,0.21212121212121202,0.207830499225555,0.216476300812899
proportion,area1,2,32112,6881,0.214281265570503,0.209827711465288,0.218803170788612
proportion,area1,3,27715,5656,0.204077214504781,0.19937351725899902,0.208862933590925
proportion,area1,4,25372,4868,0.19186504808450303,0.187066648694241,0.19675673996565
proportion,area1,5,23889,4176,0.174808489262841,0.170044640703038,0.17967690552753499
proportion,area1,6,23260,3876,0.16663800515907098,0.16190410576997,0.17148199783416998
proportion,area1,7,23180,3617,0.156039689387403,0.151425075468518,0.160768288675927
proportion,area1,8,24193,3546,0.146571322283305,0.142170753783533,0.151084110529924
proportion,area1,9,23609,3314,0.140370197805921,0.13599767093637602,0.144859737537153
proportion,area1,10,24488,2960,0.120875530872264,0.11685200990738201,0.125017980504761
proportion,area2,1,36111,4362,0.12079421782836301,0.117473271937339,0.12419583434331499
proportion,area2,2,31803,3734,0.117410307203723,0.11391851782536101,0.120994510822713
proportion,area2,3,26681,3032,0.11363891908099401,0.109886239767609,0.117502836842961
proportion,area2,4,24184,2561,0.105896460469732,0.102080757108839,0.10983734511402099
proportion,area2,5,23023,2304,0.10007383920427401,0.09626388594689321,0.104017228033421
proportion,area2,6,21506,2024,0.09411327071514931,0.0902830437346462,0.09808847293030461
proportion,area2,7,22197,1938,0.08730909582376001,0.0836665612937408,0.09109444792373561
proportion,area2,8,23679,1981,0.0836606275602855,0.08020120762600881,0.0872551115710111
proportion,area2,9,23271,1856,0.0797559193846418,0.0763441201710209,0.0833064392278473
proportion,area2,10,23464,1635,0.0696812137742925,0.0664933849950753,0.0730099206057122
EOF
} > siiv.csv
for k in normal rate proportion; do { head -1 siiv.csv; grep "^$k," siiv.csv; } > "siiv-$k.csv"; done
vals="--value Value --lower LowerCL --upper UpperCL --denominator Population --quantile Quantile --by Area --level 95 --decimals 12"
"$csa" calc sii $vals --kind normal siiv-normal.csv > siiv-normal-out.csv || fail=1
sii_check siiv-normal-out.csv 0 6.9346164736688189 3.1275946176508169 10.7586873680794 \
    1.0888180804446217 1.0383690591642838 1.1412993360251238 "sii normal values (row 1)"
"$csa" calc sii $vals siiv-rate.csv > siiv-rate-out.csv || fail=1
sii_check siiv-rate-out.csv 0 -3.2752012326471758 -3.5868233016744155 -2.9653170017272723 \
    0.40600068953980034 0.36888170199068804 0.44624776652446996 "sii rate values (row 71)"
counts="--count Count --denominator Population --quantile Quantile --by Area --level 95 --decimals 12 --kind proportion"
"$csa" calc sii $vals --kind proportion siiv-proportion.csv > siiv-prop-out.csv || fail=1
"$csa" calc sii $counts --per 1 siiv-proportion.csv > siic-prop-out.csv || fail=1
for f in siiv-prop-out.csv siic-prop-out.csv; do
    sii_check $f 0 -0.10720032333730493 -0.11220857220984691 -0.1021798062145461 \
        0.53340153064655071 0.51712731963580183 0.55015384129130041 "sii proportions $f (row 91)"
    sii_check $f 1 -0.0581854710713103 -0.062166295708858489 -0.054174547731294348 \
        0.54701284615554346 0.52371450740074543 0.5714617043537692 "sii proportions $f (row 101)"
done
# from counts a proportion's SII is in percentage points unless --per says otherwise
"$csa" calc sii $counts siiv-proportion.csv > siic-prop100-out.csv || fail=1
sii_check siic-prop100-out.csv 0 -10.720032333730494 -11.220857220984691 -10.217980621454609 \
    0.53340153064655071 0.51712731963580183 0.55015384129130041 "sii proportions x 100 (row 111)"
# what phe_sii stops on names the line here; a blank limit gives no SII, as phe_sii
msg=$(sed 's/^proportion,area1,3,27715,5656,0.204077214504781,/proportion,area1,3,27715,5656,1.2,/' \
      siiv-proportion.csv | "$csa" calc sii $vals --kind proportion 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:4: value 1.2 is not a proportion between 0 and 1" "sii proportion above 1"
msg=$(sed 's/^proportion,area1,3,27715,5656,/proportion,area1,3,27715,30000,/' \
      siiv-proportion.csv | "$csa" calc sii $counts 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:4: count 30000 is more than its population: not a proportion" \
    "sii count above its population"
sed 's/,0.19937351725899902,0.208862933590925$/,,0.208862933590925/' siiv-proportion.csv \
    | "$csa" calc sii $vals --kind proportion > siiv-blank.csv || fail=1
check "$(col siiv-blank.csv 0 SII)|$(col siiv-blank.csv 0 Note)|$(col siiv-blank.csv 1 Note)" \
    "|a quantile has a blank or suppressed value or limit, or no population: no SII (as phe_sii)|" \
    "sii blank limit"
msg=$("$csa" calc sii $vals --count Count siiv-rate.csv 2>&1 >/dev/null)
check "$msg" "csa: calc sii takes --count and --denominator, or --value, --lower, --upper and --denominator (the population), not both" \
    "sii counts and values"
msg=$("$csa" calc funnel --count Count --denominator Population --kind normal siiv-rate.csv 2>&1 >/dev/null)
check "$(echo "$msg" | head -1)" "csa: --kind normal is for sii --value only; funnel takes rate or proportion" \
    "--kind normal elsewhere"

# ---- case 7 (part): ratio and DSR funnels, and limits at each row ----
# PHEindicatormethods tests/testthat: testdata_funnel_ratio_inputs.csv (obs,
# expected, the significance assign_funnel_significance(statistic = "ratio") gives;
# three rows of each kind quoted here) and testdata_funnel_rate_dsr_inputs.csv
# (all 40 rows: count, rate_dsr, pop, and the significance of
# dsr_per_100000_with_0 (statistic = "rate", rate_type = "dsr", multiplier 1e5)
# and crude_per_100000_with_0 (rate_type = "crude", with pop)). H3 High (0.001),
# H2 High (0.025), L3/L2 Low, NS not significant, NA not applicable (a DSR of
# fewer than 10 events); the DSR of the 0-event row is NA there, blank here.
sig_name() { case $1 in H3) echo "High (0.001)";; H2) echo "High (0.025)";; L3) echo "Low (0.001)";;
    L2) echo "Low (0.025)";; NS) echo "Not significant";; NA) echo "Not applicable for events less than 10 for dsrs";; esac; }
{ echo "obs,expected,want"; cat <<'EOF'
8,6.239860227,NS
191,184.0963855,NS
220,249.8012944,NS
151,106.4429719,H3
206,139.4719025,H3
141,106.7211626,H3
159,232.9329036,L3
124,183.894409,L3
0,240.6273499,L3
150,119.5695496,H2
182,143.6804295,H2
174,141.4404162,H2
101,126.2973615,L2
241,288.6919023,L2
157,185.666982,L2
EOF
} > fr.csv
"$csa" calc funnel --kind ratio --count obs --denominator expected fr.csv > fr-out.csv || fail=1
for r in $(seq 0 14); do
    check "$(col fr-out.csv $r Significance)" "$(sig_name "$(col fr-out.csv $r want)")" "ratio funnel row $r"
done
check "$(col fr-out.csv 0 'Funnel centre')" "1.000000" "ratio funnel centre"
{ echo "count,rate_dsr,pop,dsr,crude"; cat <<'EOF'
2419,907.6174266,264102,H3,H3
2337,948.5620216,259711,H3,H3
2291,799.9690496,289247,H3,H3
2242,852.5637927,265029,H3,H3
2218,868.5358183,284649,H3,H3
2159,769.6242217,293578,H3,H3
2130,752.3254955,286718,H2,H3
2111,710.2689402,307381,NS,NS
2105,815.3530325,274145,H3,H3
2083,717.7035916,297424,NS,H2
2078,755.8016993,272628,H3,H3
2062,825.9742848,269656,H3,H3
2061,702.2972468,294692,NS,H2
2033,785.6210132,277710,H3,H3
2033,743.6763018,259213,H2,H3
2010,781.8323058,285516,H3,H2
2004,772.6781064,269449,H3,H3
2002,652.3391553,290888,L3,NS
1977,648.4969973,287112,L3,NS
1944,727.5777428,286492,NS,NS
1932,625.6551186,287012,L3,NS
1922,688.5582424,291277,NS,NS
1912,662.4465438,289859,L2,NS
1881,627.1624732,289653,L3,NS
1844,657.1114147,282519,L2,NS
1835,724.8456714,274220,NS,NS
1833,659.7820553,280271,L2,NS
1825,654.7053631,284206,L3,NS
1816,624.4435507,274508,L3,NS
1809,646.7588823,288384,L3,L2
1798,703.1689982,287072,NS,L2
1754,567.9922764,282744,L3,L3
1746,617.7750715,289208,L3,L3
1709,610.8327232,287736,L3,L3
1694,608.5089462,296175,L3,L3
1688,662.3775859,303255,L2,L3
1649,667.6454503,285959,L2,L3
1553,604.1141693,274661,L3,L3
1332,469.5645784,281425,L3,L3
0,,297820,NA,L3
EOF
} > fd.csv
"$csa" calc funnel --kind dsr --count count --value rate_dsr --decimals 9 fd.csv > fd-out.csv || fail=1
"$csa" calc funnel --count count --denominator pop --per 100000 --decimals 9 fd.csv > fc-out.csv || fail=1
for r in $(seq 0 39); do
    check "$(col fd-out.csv $r Significance)" "$(sig_name "$(col fd-out.csv $r dsr)")" "dsr funnel row $r"
    check "$(col fc-out.csv $r Significance)" "$(sig_name "$(col fc-out.csv $r crude)")" "crude rate funnel row $r"
done
# each row's limits agree with its significance: a value above the upper 95% limit
# is High, and so on (the limits are the exact Poisson ones at the row's
# person-years; the unit test checks them against the package's funnel lines)
/usr/bin/python3 - fd-out.csv fc-out.csv <<'EOF' || fail=1
import csv, sys
bad = 0
for path, value in ((sys.argv[1], lambda r: float(r["rate_dsr"])),
                    (sys.argv[2], lambda r: float(r["count"]) / float(r["pop"]) * 1e5)):
    for r in csv.DictReader(open(path)):
        if not r["Lower 95% limit"]:
            continue
        v = value(r)
        lo, hi, lo3, hi3 = (float(r[k]) for k in ("Lower 95% limit", "Upper 95% limit",
                                                  "Lower 99.8% limit", "Upper 99.8% limit"))
        want = ("High (0.001)" if v > hi3 else "High (0.025)" if v > hi else
                "Low (0.001)" if v < lo3 else "Low (0.025)" if v < lo else "Not significant")
        if want != r["Significance"]:
            print(f"FAIL: funnel limits against significance in {path}: {r}")
            bad = 1
sys.exit(bad)
EOF
msg=$("$csa" calc funnel --kind dsr --count count --denominator pop fd.csv 2>&1 >/dev/null)
check "$msg" "csa: calc funnel --kind dsr takes --count and --value (the DSR), the other kinds --count and --denominator" \
    "dsr funnel inputs"

# ---- case 4: SPC screens large moving ranges by default, as NHSRplotthedots ----
# vignettes/deviations.Rmd: ptd_spc() on 1,2,1,2,10,1,2,1,2,1,2,1,2,1,2,1,2,1 gives
# UPL 4.6, mean 1.94, LPL -0.72 (screen_outliers = TRUE); screen_outliers = FALSE, as
# the Making Data Count spreadsheet, UPL 6.95, LPL -3.06.
{ echo v; for x in 1 2 1 2 10 1 2 1 2 1 2 1 2 1 2 1 2 1; do echo $x; done; } > spc.csv
"$csa" calc spc --value v --decimals 9 spc.csv > spc-screen.csv || fail=1
"$csa" calc spc --value v --moving-ranges all --decimals 9 spc.csv > spc-all.csv || fail=1
check "$(printf '%.2f %.2f %.2f' "$(col spc-screen.csv 0 'Lower limit')" "$(col spc-screen.csv 0 Centre)" \
         "$(col spc-screen.csv 0 'Upper limit')")" "-0.72 1.94 4.60" "spc default = ptd_spc()"
check "$(printf '%.2f %.2f' "$(col spc-all.csv 0 'Lower limit')" "$(col spc-all.csv 0 'Upper limit')")" \
    "-3.06 6.95" "spc --moving-ranges all = the spreadsheet"
check "$(col spc-screen.csv 4 Rules)" "A point outside the process limits" "spc: the 10 is outside"
check "$(col spc-screen.csv 0 Note)" "2 moving ranges of 3.267 x their mean or more screened out of the limits (as NHSRplotthedots; --moving-ranges all keeps them)" \
    "spc note names the screening"
check "$(col spc-all.csv 0 Note)" "" "spc --moving-ranges all: nothing screened"
"$csa" help calc spc | grep -q "NHSRplotthedots ptd_spc (screen_outliers = TRUE" ||
    { echo "FAIL: help calc spc does not say which behaviour"; fail=1; }

# ---- case 5: the silent cases get notes ----
# SPC on 2 points: limits from one moving range are trial limits (NHSRplotthedots'
# ptd_add_short_group_warnings warns below 12 points)
out=$(printf 'v\n3\n5\n' | "$csa" calc spc --value v --decimals 2)
check "$(echo "$out" | sed -n 2p)" "3,4.00,-1.32,9.32,,trial limits from 2 points (fewer than 12): they will move as points are added" \
    "spc on two points"
# all-equal baseline: limits on the centre, the next different value outside, and the note says why
printf 'v\n3\n3\n3\n3\n3\n3\n3\n3\n3\n3\n3\n3\n4\n' > flat.csv
"$csa" calc spc --value v --baseline 12 --decimals 1 flat.csv > flat-out.csv || fail=1
check "$(col flat-out.csv 12 'Upper limit')|$(col flat-out.csv 12 Rules)|$(col flat-out.csv 12 Note)" \
    "3.0|A point outside the process limits|the baseline does not vary: the limits equal the centre, so any other value is outside" \
    "spc with no spread"
# SII with a quintile of no events: the SII is the weighted regression slope
# (computed here), with no interval, and the note says why
printf 'Quintile,Count,Population\n1,0,1000\n2,5,1000\n3,8,1000\n4,12,1000\n5,20,1000\n' > sii.csv
"$csa" calc sii --count Count --denominator Population --level 95 --decimals 9 sii.csv > sii-out.csv || fail=1
want=$(/usr/bin/python3 -c '
rate = [0, 5, 8, 12, 20]
x = [0.1, 0.3, 0.5, 0.7, 0.9]  # equal populations: the midpoints of the cumulative share
mx, my = sum(x) / 5, sum(rate) / 5
print(repr(sum((a - mx) * (b - my) for a, b in zip(x, rate)) / sum((a - mx) ** 2 for a in x)))')
close "$(col sii-out.csv 0 SII)" "$want" 1e-9 "sii with a zero quintile"
check "$(col sii-out.csv 0 'SII lower 95% CI')|$(col sii-out.csv 0 Note)" \
    "|a quantile has no events: its rate of 0 has no error on the log scale, so the SII and RII have no interval" \
    "sii zero quintile note"
# survey: blank and zero weights are left out (Kish's sums have nothing from them), and said
printf 'id,Ward,Q,W\n1,A,Yes,1.2\n2,A,No,\n3,A,yes,0\n4,A,No,0.8\n5,B,No,1.5\n' > w.csv
"$csa" calc survey --answer Q --weight W --by Ward --level 95 --decimals 6 w.csv > w-out.csv || fail=1
check "$(col w-out.csv 0 Respondents)|$(col w-out.csv 0 'Percent yes')|$(col w-out.csv 0 Note)" \
    "2|60.000000|2 respondents with a blank or zero weight left out" "survey: unweighted rows said"
check "$(col w-out.csv 1 Note)" "" "survey: no note where every weight counts"

# ---- case 6: under --by a group with a blank input gets no result, the others go on ----
# (PHEindicatormethods' phe_rate sums each group with sum(), NA when a value is
# NA, R/Rates.R; group B is its published 5 events in 1,000: 1.62348639 to 11.66833208)
printf 'Area,Month,Count,Population\nA,1,30,6500\nA,2,*,6500\nB,1,5,1000\nC,1,4,\n' > g.csv
out=$("$csa" calc rate --count Count --denominator Population --by Area --level 95 --decimals 8 g.csv); status=$?
check "$status" "0" "--by with a blank goes on"
check "$out" "Area,Count,Population,\"Rate per 1,000\",Lower 95% CI,Upper 95% CI,Note
A,,,,,,a suppressed or missing input in the group: no result
B,5.00000000,1000.00000000,5.00000000,1.62348639,11.66833208,
C,,,,,,a suppressed or missing input in the group: no result" "--by group with a blank"

# ---- case 8: small things ----
# the c-chart names the value's line and counts from 1
msg=$(printf 'Month,Crimes\n1,3\n2,4\n3,2.5\n' | "$csa" calc spc --value Crimes --chart c 2>&1 >/dev/null)
check "$msg" "csa: <stdin>:4:2: value 3 (2.5) is not a count: a c-chart needs whole numbers of 0 or more" \
    "c-chart error counts from 1 and names the line"
# five levels: the count is the trouble, not the format
msg=$(printf 'C,D\n1,2\n' | "$csa" calc rate --count C --denominator D --level 80,90,95,99,99.8 2>&1 >/dev/null | head -1)
check "$msg" "csa: calc: --level takes at most 4 levels, not '80,90,95,99,99.8'" "five levels"

# ---- done when: every method's help says its reference, defaults and inputs ----
for m in rate proportion ratio difference dsr isr compare funnel spc trend rolling sii survey survey-change; do
    h=$("$csa" help calc $m) || { echo "FAIL: help calc $m"; fail=1; continue; }
    for part in "Usage: csa calc $m" "Options (defaults in brackets):" "Reference:" \
                "Missing, suppressed (*, .., c) and zero inputs:" "1.959964"; do
        echo "$h" | grep -qF "$part" || { echo "FAIL: help calc $m lacks '$part'"; fail=1; }
    done
    [ "$(echo "$h" | grep -A1 '^Missing, suppressed' | tail -1 | tr -d ' ')" != "" ] ||
        { echo "FAIL: help calc $m: nothing on missing inputs"; fail=1; }
    check "$("$csa" calc $m --help)" "$h" "csa calc $m --help"
done
"$csa" help calc nothing > /dev/null 2>&1; check "$?" "2" "help for no such method"

exit $fail
