#!/usr/bin/env bash
# entrypoint.sh: what `docker run IMAGE [command]` does.
#
#   notebook (default)   Jupyter Notebook on 0.0.0.0:8888 in notebooks/, with
#                        the Go (gonb) kernel. A token is generated and printed
#                        unless JUPYTER_TOKEN is set (JUPYTER_TOKEN= for none).
#   reproduce [args]     docker/reproduce.sh [--quick] [--out DIR] [notebook...]
#   test [args]          go test -timeout 80m ./... (or your go test args)
#   anything else        run as a command (bash, go, jupyter ...)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmd=${1:-notebook}
[ $# -eq 0 ] || shift
case $cmd in
notebook | jupyter-notebook)
	args=(--ip=0.0.0.0 --port=8888 --no-browser --notebook-dir="$PWD/notebooks")
	if [ "${JUPYTER_TOKEN+set}" = set ] && [ -z "$JUPYTER_TOKEN" ]; then
		args+=(--NotebookApp.token= --NotebookApp.password=)
	fi
	exec jupyter notebook "${args[@]}" "$@"
	;;
reproduce) exec bash docker/reproduce.sh "$@" ;;
test)
	[ $# -gt 0 ] || set -- -timeout 80m ./...
	exec go test "$@"
	;;
*) exec "$cmd" "$@" ;;
esac
