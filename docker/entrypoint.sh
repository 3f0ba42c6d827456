#!/usr/bin/env bash
# entrypoint.sh: what `docker run IMAGE [command]` does.
#
#   notebook (default)   Jupyter Notebook on 0.0.0.0:8888 in notebooks/, with
#                        the Go (gonb) kernel. Publish it on the host's
#                        loopback only: docker run -p 127.0.0.1:8888:8888.
#                        A token is generated and printed unless
#                        JUPYTER_TOKEN is set. An empty JUPYTER_TOKEN (no
#                        token: whoever reaches the port runs code) is
#                        refused unless LRSENSE_ALLOW_NO_TOKEN=1 is set too,
#                        and then a warning stands out in the log.
#   reproduce [args]     docker/reproduce.sh [--quick] [--out DIR] [notebook...]:
#                        executed notebooks, figures, summary.tsv and the
#                        report page index.html in DIR
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
		if [ "${LRSENSE_ALLOW_NO_TOKEN:-}" != 1 ]; then
			cat >&2 <<-'EOF'
			entrypoint.sh: JUPYTER_TOKEN is set but empty: refusing to serve Jupyter
			without a token, since anyone who reaches the port could run code in
			this container. Leave JUPYTER_TOKEN unset (a token is generated and
			printed), set your own, or add -e LRSENSE_ALLOW_NO_TOKEN=1 if you really
			mean no token.
			EOF
			exit 2
		fi
		cat >&2 <<-'EOF'
		################################################################################
		## WARNING: JUPYTER IS SERVED WITHOUT A TOKEN OR PASSWORD                     ##
		## (JUPYTER_TOKEN is empty and LRSENSE_ALLOW_NO_TOKEN=1). ANYONE WHO CAN      ##
		## REACH THIS PORT CAN RUN ANY CODE IN THIS CONTAINER. Publish the port on    ##
		## 127.0.0.1 only (docker run -p 127.0.0.1:8888:8888) or set a token.         ##
		################################################################################
		EOF
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
