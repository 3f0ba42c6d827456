#!/usr/bin/env bash
# browser-test.sh: the notebooks as a reader uses them, in a real browser.
#
# Usage: docker/browser-test.sh [--image IMAGE] [--out DIR] [notebook.ipynb]
#
# Starts Jupyter Notebook (Debian's, with the gonb kernel from install.sh) on
# 127.0.0.1 with a random free port and a random token, in a fresh TMPDIR
# (the token goes to Jupyter, Docker, curl and node through the environment
# or a 0600 file, never through arguments other users can read in ps);
# drives Debian's Chromium headless with Playwright (npm playwright-core,
# docker/browser/): open the notebook (default 00-tour.ipynb), check the
# kernel is Go (gonb), Cell → Run All, wait until every cell finished, and
# assert: no error output, no panic/exit status text, at least one inline
# figure of non-zero size, the results table and an all-PASS reproduction
# table; save a full-page screenshot.
#
# With --image IMAGE the server is the Docker image instead
# (`docker run -p 127.0.0.1:PORT:8888 IMAGE`, on the engine DOCKER_HOST
# points at, e.g. the one docker/test-image.sh starts).
#
# Installs what is missing (as root): chromium from Debian, node/npm, and
# playwright-core at the version pinned in docker/browser/package.json
# (`npm ci`; Playwright's own browser download is not used). Every process it
# started is stopped by pid on exit. Exit 0 only when every assertion held;
# the last line printed is the screenshot's path. Results go to DIR (default
# <repo>/reproduced/browser).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
image=
out="$root/reproduced/browser"
nb=
while [ $# -gt 0 ]; do
	case $1 in
	--image) image=$2; shift ;;
	--image=*) image=${1#--image=} ;;
	--out) out=$2; shift ;;
	--out=*) out=${1#--out=} ;;
	-h | --help) sed -n '2,26p' "$0"; exit 0 ;;
	-*) echo "browser-test.sh: unknown option $1" >&2; exit 2 ;;
	*) nb=$1 ;;
	esac
	shift
done
nb=${nb:-notebooks/00-tour.ipynb}
nb=${nb#"$root/"}
nb=${nb#notebooks/}
[ -f "$root/notebooks/$nb" ] || { echo "browser-test.sh: no notebook notebooks/$nb" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

say() { printf 'browser-test.sh: %s\n' "$*"; }

# --- tools ----------------------------------------------------------------------
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || { say "missing ${need[*]}: run as root to install them"; exit 2; }
	say "installing ${need[*]} from Debian"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
want=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$here/browser/package.json")
have=$( (sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$here/browser/node_modules/playwright-core/package.json" 2>/dev/null || true) | head -n1) # empty before the first npm ci
if [ "$have" != "$want" ]; then
	say "installing playwright-core $want (npm ci)"
	(cd "$here/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ -z "$image" ]; then
	command -v jupyter >/dev/null 2>&1 && jupyter kernelspec list 2>/dev/null | grep -w gonb >/dev/null ||
		bash "$here/install.sh"
fi

# --- server -----------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d "${TMPDIR:-/tmp}/lrsense-browser.XXXXXX") # 0700
JUPYTER_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JUPYTER_TOKEN
# curl reads the token from a header file only this user can read.
(umask 077 && printf 'Authorization: token %s\n' "$JUPYTER_TOKEN" >"$work/auth-header")
server_pid=
container=
cleanup() {
	local rc=$?
	set +e
	if [ -n "$server_pid" ]; then
		# jupyter was started in its own process group (setsid): stop the
		# server and the kernels it started.
		kill -TERM -- "-$server_pid" 2>/dev/null
		for _ in $(seq 20); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
		kill -KILL -- "-$server_pid" 2>/dev/null
	fi
	[ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1
	rm -rf "$work"
	exit $rc
}
trap cleanup EXIT
# A signal ends the script through the EXIT trap, which stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$image" ]; then
	say "starting $image on 127.0.0.1:$port"
	# -e NAME without a value: docker copies it from this environment.
	container=$(docker run -d --rm -p "127.0.0.1:$port:8888" -e JUPYTER_TOKEN "$image")
	log="$out/jupyter-docker.log"
else
	say "starting Jupyter Notebook on 127.0.0.1:$port"
	log="$out/jupyter.log"
	mkdir -p "$work/tmp" "$work/home"
	# A fresh TMPDIR: GoNB's work directory and cache start empty.
	TMPDIR="$work/tmp" JUPYTER_RUNTIME_DIR="$work/runtime" setsid jupyter notebook \
		--no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 \
		--notebook-dir="$root/notebooks" \
		--allow-root >"$log" 2>&1 &
	server_pid=$!
fi
for i in $(seq 120); do
	curl -fsS -H "@$work/auth-header" "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
	if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
		say "Jupyter exited:"; tail -20 "$log" >&2; exit 1
	fi
	[ "$i" = 120 ] && { say "Jupyter did not answer in 120 s"; [ -n "$container" ] && docker logs "$container" >&2; tail -20 "$log" >&2; exit 1; }
	sleep 1
done

# --- browser ----------------------------------------------------------------------
say "running notebooks/$nb in Chromium"
set +e +o pipefail
node "$here/browser/run-notebook.mjs" "http://127.0.0.1:$port" "$nb" "$out" | tee "$out/browser.log"
rc=${PIPESTATUS[0]}
set -e -o pipefail
[ -n "$container" ] && docker logs "$container" >"$log" 2>&1
exit "$rc"
