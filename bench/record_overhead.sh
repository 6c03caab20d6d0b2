#!/usr/bin/env bash
# Recording overhead: wall time of allocation-heavy programs run plainly and under
# memkit-record, alternating, in the same session. Prints the median of each and the
# ratio; never passes or fails on time.
# Usage: bench/record_overhead.sh PATH/TO/memkit-record [runs]   (default 11 runs)
set -euo pipefail
rec=$1
runs=${2:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/work.lua" <<'LUA'
local t = {}
for i = 1, 400000 do t[i % 5000 + 1] = { i, tostring(i) .. "x" } end
print(#t)
LUA
cat >"$tmp/work.sql" <<'SQL'
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200000)
INSERT INTO t SELECT i, printf('row-%08d', i) FROM k;
CREATE INDEX tb ON t(b);
SELECT count(*), max(length(b)) FROM t;
SQL
py='x = [str(i) * 3 for i in range(300000)]; d = {i: [i] for i in range(200000)}; print(len(x) + len(d))'

ms() { # command... -> elapsed milliseconds on stdout
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '| workload | plain ms (median of %d) | recorded ms | ratio | trace events |\n' "$runs"
printf '|---|---:|---:|---:|---:|\n'
bench() { # name, command...
    local name=$1
    shift
    local plain=() recorded=()
    for _ in $(seq "$runs"); do
        plain+=("$(ms "$@")")
        recorded+=("$(ms "$rec" -o "$tmp/t.trace" -- "$@")")
    done
    local p r
    p=$(printf '%s\n' "${plain[@]}" | median)
    r=$(printf '%s\n' "${recorded[@]}" | median)
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$p" "$r" \
        "$(awk -v a="$r" -v b="$p" 'BEGIN {printf "%.2f", a / b}')" "$(($(wc -l <"$tmp/t.trace") - 1))"
}
bench "lua5.4 (400k small tables)" lua5.4 "$tmp/work.lua"
bench "sqlite3 (200k rows + index)" sqlite3 :memory: ".read $tmp/work.sql"
bench "python3, PYTHONMALLOC=malloc" env PYTHONMALLOC=malloc /usr/bin/python3 -c "$py"
