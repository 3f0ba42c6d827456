#!/usr/bin/env bash
# slurm-test.sh: the Slurm runner of lrsense/experiment on a real cluster.
#
# Starts a single-node Slurm cluster of its own (docker/slurm-cluster.sh:
# Debian's slurmctld, slurmd, munge; own key, state, spool, logs and ports
# under a private temp dir), then runs, against it:
#   - the Go tests of the Slurm runner (go test ./lrsense/experiment -run Slurm):
#     a job array of shards, a failing task reported with its stderr, Ctrl-C
#     (context cancellation) running scancel, a task cancelled from outside;
#     and a whole sweep run through Slurm compared with the in-process runner,
#     one array task cancelled then the sweep rerun (only that shard is
#     resubmitted), a corrupted shard file recomputed;
#   - an executed notebook (docker/testdata/slurm-sweep.ipynb, through
#     docker/reproduce.sh) whose sweep runs on the cluster;
# and stops the cluster by pid. It prints one line
#
#   SLURM<TAB>shards=N<TAB>identical=true|false<TAB>resubmitted=K
#
# (from the sweep test) and exits non-zero on any failure. Needs root (the
# daemons); installs the Debian packages when they are missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export PATH="/usr/local/go/bin:$PATH"

[ "$(id -u)" = 0 ] || { echo "slurm-test.sh: needs root to start slurmctld, slurmd and munged" >&2; exit 2; }

t0=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/lrsense-slurm.XXXXXX")
cleanup() {
	"$here/slurm-cluster.sh" stop "$work/cluster" || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

eval "$("$here/slurm-cluster.sh" start "$work/cluster")"
export SLURM_CONF
echo "slurm-test.sh: cluster up in $(($(date +%s) - t0))s ($(sinfo -h -o '%P %D node(s) %c CPUs %t'))"

result="$work/sweep-result.tsv"
cd "$root"
LRSENSE_SLURM_RESULT="$result" go test -count=1 -timeout 10m -run 'Slurm' -v ./lrsense/experiment 2>&1 |
	tee "$work/go-test.log" | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|slurm_test' || true
if ! grep -q '^ok' "$work/go-test.log"; then
	echo "slurm-test.sh: the Go tests of the Slurm runner failed:" >&2
	tail -40 "$work/go-test.log" >&2
	exit 1
fi
if grep -- '--- SKIP: TestSlurm' "$work/go-test.log" | grep -qv WorkerHelper; then
	echo "slurm-test.sh: a Slurm test skipped although the cluster is up:" >&2
	grep -A2 -- '--- SKIP: TestSlurm' "$work/go-test.log" >&2
	exit 1
fi

nb="$here/testdata/slurm-sweep.ipynb"
if [ -f "$nb" ]; then
	LRSENSE_SLURM_NOTEBOOK=1 "$here/reproduce.sh" --quick --out "$work/notebook" "$nb" >"$work/notebook.log" 2>&1 || {
		echo "slurm-test.sh: the notebook sweep on Slurm failed:" >&2
		tail -30 "$work/notebook.log" >&2
		exit 1
	}
	# A DEVIATION would mean the notebook did not see the cluster.
	grep -q $'^slurm-sweep\tslurm-identical\t.*\tPASS\t' "$work/notebook/summary.tsv" || {
		echo "slurm-test.sh: the notebook's claim slurm-identical is not PASS:" >&2
		cat "$work/notebook/summary.tsv" >&2
		exit 1
	}
	echo "slurm-test.sh: notebook $(basename "$nb") ran its sweep on the cluster: slurm-identical PASS"
fi

[ -s "$result" ] || { echo "slurm-test.sh: the sweep test wrote no result ($result)" >&2; exit 1; }
line=$(cat "$result")
echo "$line"
echo "slurm-test.sh: done in $(($(date +%s) - t0))s"
case $line in
*identical=true*) ;;
*) exit 1 ;;
esac
