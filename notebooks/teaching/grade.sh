#!/usr/bin/env bash
# grade.sh: grade students' submitted teaching notebooks and write a CSV
# for a gradebook.
#
# Usage: notebooks/teaching/grade.sh [--out DIR] [--jobs N] [--timeout D] [--execute] submission.ipynb ...
#
#   --out DIR     where the results go (default: <repo>/reproduced/grading,
#                 gitignored).
#   --jobs N      submissions checked at the same time (default 2: the
#                 number of cores of a small grading machine).
#   --timeout D   time limit for the checks of one submission, as Go
#                 durations ("3m", the default; "90s").
#   --execute     also execute every submission as a notebook with
#                 docker/reproduce.sh, into DIR/executed/ (notebook + HTML),
#                 to read the answers to the questions and see the figures.
#                 Slow: about a minute per notebook.
#
# The grades do not come from executing the notebooks: the grader
# (notebooks/teaching/grader) takes each submission's declaration cells —
# the functions the student wrote, what GoNB compiles — builds one small
# program per submission that runs the assignment's checks (package
# lrsense/assign, the same checks as the notebook's check cells) on them,
# builds all programs in one `go build` and runs them N at a time. The
# assignment is read from the notebook's metadata ("lrsense": {"assignment":
# …}). What the submission's own cells printed is ignored, so a forged
# CHECK line counts for nothing.
#
# Output: per student, the score and every check's verdict and hint on
# stdout, and DIR/grades.csv with the columns student, assignment, check,
# verdict, hint (student = the file name without .ipynb; one row per check;
# a submission that does not compile, or whose checks crash or time out,
# gets FAIL with the reason as the hint). Exit status 0 when every
# submission was graded (whatever the scores), 1 on a failure of the
# grader itself, 2 on bad usage.
#
# Submissions are programs: grade inside the Docker image with --network
# none (see notebooks/teaching/README.md), not on your own account.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/reproduced/grading"
jobs=2
timeout=3m
execute=0
subs=()
while [ $# -gt 0 ]; do
	case $1 in
	--out | --jobs | --timeout)
		[ $# -ge 2 ] || { echo "grade.sh: $1 needs a value" >&2; exit 2; }
		case $1 in --out) out=$2 ;; --jobs) jobs=$2 ;; --timeout) timeout=$2 ;; esac
		shift
		;;
	--out=*) out=${1#--out=} ;;
	--jobs=*) jobs=${1#--jobs=} ;;
	--timeout=*) timeout=${1#--timeout=} ;;
	--execute) execute=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "grade.sh: unknown option $1" >&2; exit 2 ;;
	*) subs+=("$1") ;;
	esac
	shift
done
[ ${#subs[@]} -gt 0 ] || { echo "usage: grade.sh [--out DIR] [--jobs N] [--timeout D] [--execute] submission.ipynb ..." >&2; exit 2; }
abs=()
for s in "${subs[@]}"; do
	[ -f "$s" ] || { echo "grade.sh: no such file: $s" >&2; exit 2; }
	abs+=("$(cd "$(dirname "$s")" && pwd)/$(basename "$s")")
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
export PATH="/usr/local/go/bin:$PATH"

(cd "$root" && go run ./notebooks/teaching/grader -repo "$root" -out "$out" -jobs "$jobs" -timeout "$timeout" "${abs[@]}")

if [ $execute = 1 ]; then
	# The notebooks find the lrsense module by walking up from their folder:
	# the copies go inside the repository.
	case $out/ in
	"$root"/*) ;;
	*) echo "grade.sh: --execute needs --out inside $root" >&2; exit 2 ;;
	esac
	rm -rf "$out/in" "$out/executed"
	mkdir -p "$out/in"
	copies=()
	i=0
	for s in "${abs[@]}"; do
		i=$((i + 1))
		copy=$(printf '%s/in/%02d-%s.ipynb' "$out" "$i" "$(basename "$s" .ipynb | sed 's/-student$/-submission/')")
		cp "$s" "$copy"
		copies+=("$copy")
	done
	# reproduce.sh fails whenever a check fails, which is expected here.
	bash "$root/docker/reproduce.sh" --out "$out/executed" "${copies[@]}" >"$out/reproduce.log" 2>&1 || true
	echo "grade.sh: executed notebooks and HTML in $out/executed/ (log: $out/reproduce.log)"
fi
