#!/usr/bin/env bash
# reproduce.sh: execute the lrsense notebooks headless and check what they claim.
#
# Usage: docker/reproduce.sh [--quick] [--out DIR] [notebook.ipynb ...]
#
#   --quick     set LRSENSE_SCALE=quick (small sizes, few trials). Without it
#               LRSENSE_SCALE is left as it is in the environment; unset means
#               the paper's scale.
#   --out DIR   where results go (default: <repo>/reproduced, gitignored).
#   notebook    run only these; default: every *.ipynb under notebooks/,
#               recursively (notebooks/teaching/ included), skipping
#               .ipynb_checkpoints/.
#
# For each notebook it runs `jupyter nbconvert --to notebook --execute` with
# the gonb kernel (per-cell timeout REPRO_CELL_TIMEOUT seconds, default 3600;
# errors are allowed so that the executed notebook is always written), then
# `--to html` (figures inline), into DIR mirroring the folders under
# notebooks/: DIR/x.ipynb, DIR/x.html, DIR/x.log (nbconvert's and GoNB's log).
# Every notebook runs with a fresh, empty TMPDIR and sweep store
# (LRSENSE_SWEEPS), so GoNB's work directory and every lrsense/experiment
# sweep start empty: a reproduction recomputes, it never reads stored results.
#
# The executed notebook is then read by lrsense/cmd/reproduce-report (built
# at the start; it parses the claim lines with lrsense/experiment). nbconvert
# exits 0 even when a Go cell panics, so the outputs are scanned. A notebook
# FAILS when:
#   - nbconvert itself failed (cell timeout, dead kernel, unreadable notebook);
#   - a cell did not compile (the compiler's message and the cell are shown)
#     or has another error output;
#   - a program panicked, hit a fatal error, was killed, or exited non-zero
#     (log.Fatal: the message printed before "exit status N" is shown);
#   - any REPRO line says FAIL;
#   - CHECK lines (teaching notebooks) have the wrong verdict, see below;
#   - the claim ids it printed differ from those its metadata declares,
#       {"metadata": {"lrsense": {"claims": ["id", ...],
#                                 "paper_scale_claims": ["id", ...]}}}
#     (a declared claim missing from the output, a claim printed but not
#     declared, or none declared and none printed; paper_scale_claims are
#     expected only at the paper's scale). `go run
#     ./lrsense/cmd/reproduce-report declare-claims -from DIR NOTEBOOK...`
#     writes the ids a run printed into the notebooks.
#
# Lines the notebooks print, tab-separated:
#   REPRO <json>   (see lrsense/experiment: Report, ParseLine)
#       a claim of a paper, measured against its target: verdict PASS,
#       FAIL or DEVIATION (a documented non-reproduction, which does not
#       fail the notebook but is counted). All REPRO lines are collected
#       into DIR/summary.tsv.
#   CHECK <json>
#       a teaching notebook's self-check. In a solution notebook every CHECK
#       line must be PASS. A STUDENT notebook (name ends in "-student.ipynb")
#       has the exercises left blank, so its checks are EXPECTED to fail:
#       it must still run to the end without any error output or panic, and
#       every one of its CHECK lines must be FAIL (a PASS there means the
#       blank version gives away the answer, or the check checks nothing).
#
# Outputs: DIR/summary.tsv (all REPRO lines, with a header),
# DIR/notebooks.tsv (one row per notebook: status, wall seconds, counts,
# first problem), DIR/figures/<notebook>/<n>.svg and .png (every figure; the
# PNG is drawn from the SVG with headless Chromium when it is installed,
# REPRO_PNG=off skips that), DIR/<notebook>.result.json (everything the scan
# found) and DIR/index.html, the report: a static page (no server, no
# network) with the run's facts, a summary table and, per notebook, its
# paper, verdicts, figures and claims. Both tables are printed at the end.
# Exit status: 0 when every notebook passed, 1 otherwise, 2 on bad usage or
# missing tools, 130 on SIGINT (Ctrl-C), 143 on SIGTERM, 129 on SIGHUP.
#
# Interrupts: every long-running child (go build, nbconvert, the scan) runs
# in a session of its own (setsid) with LRSENSE_REPRO_WORK=<its temp dir> in
# its environment, which the kernel jupyter starts (in yet another session),
# gopls and the Go programs GoNB runs inherit. On a signal, and after each
# notebook, every process carrying that mark is stopped with its process
# group (SIGTERM, then SIGKILL after 3 s), the temp dir is removed and the
# script exits with 128 + the signal's number.
#
# Runs docker/install.sh first when jupyter or the gonb kernel is missing
# (needs root).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out="$root/reproduced"
quick=0
nbs=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--out)
		[ $# -ge 2 ] || { echo "reproduce.sh: --out needs a directory" >&2; exit 2; }
		out=$2
		shift
		;;
	--out=*) out=${1#--out=} ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "reproduce.sh: unknown option $1" >&2; exit 2 ;;
	*) nbs+=("$1") ;;
	esac
	shift
done

export PATH="/usr/local/bin:/usr/local/go/bin:$PATH"
have_tools() {
	command -v jupyter >/dev/null 2>&1 && command -v go >/dev/null 2>&1 &&
		jupyter kernelspec list 2>/dev/null | grep '^ *gonb ' >/dev/null
}
if ! have_tools; then
	if [ "$(id -u)" = 0 ]; then
		echo "reproduce.sh: jupyter or the gonb kernel is missing: running docker/install.sh"
		bash "$here/install.sh"
	fi
	have_tools || { echo "reproduce.sh: jupyter, go or the gonb kernel is missing (run docker/install.sh as root)" >&2; exit 2; }
fi

if [ ${#nbs[@]} -eq 0 ]; then
	while IFS= read -r f; do nbs+=("$f"); done < <(
		find "$root/notebooks" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort)
	[ ${#nbs[@]} -gt 0 ] || { echo "reproduce.sh: no notebooks under $root/notebooks" >&2; exit 2; }
fi

if [ $quick = 1 ]; then
	export LRSENSE_SCALE=quick
fi
scale=paper
[ "${LRSENSE_SCALE:-}" != quick ] || scale=quick
cell_timeout=${REPRO_CELL_TIMEOUT:-3600}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- processes and temp dirs ------------------------------------------------------
# Everything this run starts and leaves on disk lives under $work.
work=$(mktemp -d "${TMPDIR:-/tmp}/lrsense-repro.XXXXXX")
own_pgid=
current=

# pgid_of PID: the process group of PID (field 5 of /proc/PID/stat).
pgid_of() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- $s
	echo "$3"
}
own_pgid=$(pgid_of $$)

# marked: the pids of the processes whose environment carries this run's
# mark (the children started by bg, and everything they started).
marked() {
	local f
	for f in $(grep -lzxF -- "LRSENSE_REPRO_WORK=$work" /proc/[0-9]*/environ 2>/dev/null || true); do
		f=${f#/proc/}
		echo "${f%/environ}"
	done
}

# signal_marked SIG: send SIG to every marked process and its process group
# (never to this script's own group).
signal_marked() {
	local p g
	if [ -n "$current" ]; then
		kill -s "$1" -- "-$current" 2>/dev/null || true
	fi
	for p in $(marked); do
		g=$(pgid_of "$p") || continue
		if [ -n "$g" ] && [ "$g" != 0 ] && [ "$g" != "$own_pgid" ]; then
			kill -s "$1" -- "-$g" 2>/dev/null || true
		fi
		kill -s "$1" "$p" 2>/dev/null || true
	done
}

# reap: stop every marked process: SIGTERM, then SIGKILL after 3 s.
reap() {
	local i
	[ -n "$current" ] || [ -n "$(marked)" ] || return 0
	signal_marked TERM
	for i in $(seq 30); do
		[ -n "$(marked)" ] || break
		sleep 0.1
	done
	if [ -n "$(marked)" ]; then
		signal_marked KILL
		for i in $(seq 20); do
			[ -n "$(marked)" ] || break
			sleep 0.1
		done
	fi
	current=
}

cleanup() {
	reap
	rm -rf "$work"
}
on_signal() {
	trap - INT TERM HUP EXIT
	echo >&2
	echo "reproduce.sh: interrupted by SIG$2: stopping nbconvert, the kernel and gopls; removing $work" >&2
	cleanup
	exit "$1"
}
trap 'on_signal 130 INT' INT
trap 'on_signal 143 TERM' TERM
trap 'on_signal 129 HUP' HUP
trap cleanup EXIT

# bg CMD...: run CMD in a session of its own, marked, and wait for it (the
# wait returns at once on a signal, so the trap runs without waiting for
# CMD). Sets rc to CMD's exit status.
rc=0
bg() {
	LRSENSE_REPRO_WORK="$work" setsid "$@" &
	current=$!
	rc=0
	wait "$current" || rc=$?
	current=
}

# --- the report tool ------------------------------------------------------------------
tool="$work/reproduce-report"
bg go -C "$root" build -o "$tool" ./lrsense/cmd/reproduce-report
[ -x "$tool" ] || { echo "reproduce.sh: cannot build lrsense/cmd/reproduce-report" >&2; exit 2; }
"$tool" init -out "$out"

failed=0
t_all=$(date +%s)
i=0
for nb in "${nbs[@]}"; do
	[ -f "$nb" ] || { echo "reproduce.sh: no such notebook: $nb" >&2; exit 2; }
	abs=$(cd "$(dirname "$nb")" && pwd)/$(basename "$nb")
	rel=${abs#"$root/notebooks/"}
	[ "$rel" != "$abs" ] || rel=$(basename "$abs")
	sub=$(dirname "$rel")
	base=$(basename "$rel" .ipynb)
	dir="$out/$sub"
	mkdir -p "$dir"

	echo "reproduce.sh: running $rel${LRSENSE_SCALE:+ (LRSENSE_SCALE=$LRSENSE_SCALE)}"
	i=$((i + 1))
	tmp="$work/tmp.$i"
	mkdir "$tmp"
	rm -f "$dir/$base.ipynb" "$dir/$base.html" "$dir/$base.result.json"
	t0=$(date +%s.%N)
	bg env TMPDIR="$tmp" LRSENSE_SWEEPS="$tmp/sweeps" jupyter nbconvert --to notebook --execute --allow-errors \
		--ExecutePreprocessor.kernel_name=gonb \
		--ExecutePreprocessor.timeout="$cell_timeout" \
		--ExecutePreprocessor.interrupt_on_timeout=True \
		--output-dir "$dir" --output "$base.ipynb" "$abs" >"$dir/$base.log" 2>&1
	nbrc=$rc
	t1=$(date +%s.%N)
	reap # a kernel or gopls that outlived nbconvert
	rm -rf "$tmp"
	if [ -f "$dir/$base.ipynb" ]; then
		bg jupyter nbconvert --to html --output-dir "$dir" --output "$base.html" "$dir/$base.ipynb" >>"$dir/$base.log" 2>&1
		[ $rc = 0 ] || echo "reproduce.sh:   $rel: HTML export failed (see $dir/$base.log)" >&2
	fi
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	bg env TMPDIR="$work" "$tool" scan -out "$out" -name "$rel" -source "$abs" -rc "$nbrc" -seconds "$secs" \
		-scale "$scale" -png "${REPRO_PNG:-auto}" "$dir/$base.ipynb"
	case $rc in
	0) status=ok ;;
	3) status=FAIL ;;
	*)
		status=FAIL
		printf '%s\tFAIL\t%s\t0\t0\t0\t0\t0\tthe scan failed (exit %s)\n' "$rel" "$secs" "$rc" >>"$out/notebooks.tsv"
		;;
	esac
	[ $status = ok ] || failed=$((failed + 1))
	echo "reproduce.sh:   $rel: $status in ${secs}s"
done
total=$(($(date +%s) - t_all))

bg "$tool" html -out "$out" -root "$root" -scale "$scale" -seconds "$total"
[ $rc = 0 ] || echo "reproduce.sh: writing the report failed" >&2

echo
echo "== notebooks ($out/notebooks.tsv)"
column -t -s $'\t' "$out/notebooks.tsv" 2>/dev/null || cat "$out/notebooks.tsv"
echo
echo "== claims ($out/summary.tsv)"
column -t -s $'\t' "$out/summary.tsv" 2>/dev/null || cat "$out/summary.tsv"
echo
echo "reproduce.sh: report: $out/index.html"
echo "reproduce.sh: ${#nbs[@]} notebook(s), $failed failed, ${total}s in total"
[ "$failed" = 0 ]
