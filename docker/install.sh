#!/usr/bin/env bash
# install.sh: install what the lrsense notebooks need, as root, idempotently.
#
#   - Jupyter Notebook and nbconvert from Debian's packages (there is no
#     JupyterLab in Debian; `jupyter notebook` and `jupyter nbconvert` are
#     what we use);
#   - checks that the Go toolchain is at least the version go.mod asks for;
#   - GoNB v0.11.1, goimports and gopls, each built in its own throwaway
#     module with pinned versions (the Go proxy here serves exact versions
#     only, so `go install X@latest` is not an option);
#   - the GoNB Jupyter kernel spec (`gonb --install`).
#
# Binaries go to $GOBIN (default /usr/local/bin) and the kernel spec to
# $JUPYTER_DATA_DIR (default /usr/local/share/jupyter), so every user of the
# machine (and the non-root user of the Docker image) gets them.
#
# Works on a fresh Debian bookworm machine with Go at /usr/local/go. When
# everything is already installed at the pinned versions it only checks and
# prints the versions (a second or two).
#
# Environment knobs: GOBIN, JUPYTER_DATA_DIR, LRSENSE_SKIP_APT=1 (do not
# touch apt even if Jupyter is missing).
set -euo pipefail

GONB_VERSION=v0.11.1
# gopls and x/tools versions that build with Go >= 1.24 (checked with 1.26.8).
GOPLS_VERSION=v0.21.0
XTOOLS_VERSION=v0.39.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export GOBIN=${GOBIN:-/usr/local/bin}
export JUPYTER_DATA_DIR=${JUPYTER_DATA_DIR:-/usr/local/share/jupyter}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export GOFLAGS=${GOFLAGS:-}
export PATH="$GOBIN:/usr/local/go/bin:$PATH"

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: ERROR: %s\n' "$*" >&2; exit 1; }

t0=$(date +%s)

# --- Jupyter, from Debian -------------------------------------------------
if command -v jupyter >/dev/null 2>&1 &&
	jupyter notebook --version >/dev/null 2>&1 &&
	jupyter nbconvert --version >/dev/null 2>&1; then
	say "Jupyter already installed"
elif [ "${LRSENSE_SKIP_APT:-0}" = 1 ]; then
	die "Jupyter is missing and LRSENSE_SKIP_APT=1"
else
	[ "$(id -u)" = 0 ] || die "run as root to install Jupyter with apt-get"
	say "installing Jupyter from Debian (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends \
		jupyter-notebook jupyter-nbconvert jupyter-client jupyter-core \
		python3-jupyter-client python3-ipykernel ca-certificates git
fi

# --- Go toolchain -----------------------------------------------------------
command -v go >/dev/null 2>&1 || die "no Go toolchain: install Go to /usr/local/go"
have=$(go env GOVERSION)
have=${have#go}
have=${have%% *}
want=$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$root/go.mod" | head -n1)
want=${want:-1.24.0}
if [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n1)" != "$want" ]; then
	die "Go $have is older than go.mod's go $want"
fi
say "Go $have (go.mod wants >= $want)"

# --- GoNB, goimports, gopls -------------------------------------------------
# go_tool BIN PACKAGE VERSION builds PACKAGE@VERSION into $GOBIN from a
# throwaway module (go get pins the version, go install builds it).
go_tool() {
	local bin=$1 pkg=$2 ver=$3
	local tmp
	tmp=$(mktemp -d)
	(
		cd "$tmp"
		go mod init lrsense.local/tools-"$bin" >/dev/null 2>&1
		go get "$pkg@$ver" 2>&1 | grep -v '^go: \(added\|downloading\|upgraded\) ' || true
		go install "$pkg"
	) || {
		rm -rf "$tmp"
		die "building $bin failed"
	}
	rm -rf "$tmp"
}

# The Go build-info of a binary tells us which module version it came from.
modver() { go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'; }

if [ "$(modver "$GOBIN/gonb" github.com/janpfeifer/gonb)" != "$GONB_VERSION" ]; then
	say "building gonb $GONB_VERSION"
	go_tool gonb github.com/janpfeifer/gonb "$GONB_VERSION"
fi
if [ "$(modver "$GOBIN/goimports" golang.org/x/tools)" != "$XTOOLS_VERSION" ]; then
	say "building goimports (golang.org/x/tools $XTOOLS_VERSION)"
	go_tool goimports golang.org/x/tools/cmd/goimports "$XTOOLS_VERSION"
fi
if [ "$(modver "$GOBIN/gopls" golang.org/x/tools/gopls)" != "$GOPLS_VERSION" ]; then
	say "building gopls $GOPLS_VERSION"
	go_tool gopls golang.org/x/tools/gopls "$GOPLS_VERSION"
fi

# --- kernel spec --------------------------------------------------------------
spec="$JUPYTER_DATA_DIR/kernels/gonb/kernel.json"
if [ -f "$spec" ] && grep -qF "\"argv\":[\"$GOBIN/gonb\",\"--kernel\",\"{connection_file}\"" "$spec"; then
	say "GoNB kernel spec already at $spec"
else
	say "installing the GoNB kernel spec into $JUPYTER_DATA_DIR"
	gonb --install 2>&1 | sed 's/^/  gonb: /'
	[ -f "$spec" ] || die "gonb --install wrote no $spec"
fi
jupyter kernelspec list 2>/dev/null | grep '^ *gonb ' >/dev/null || die "jupyter does not see the gonb kernel"

# --- report ---------------------------------------------------------------------
say "versions:"
printf '  %-17s %s\n' \
	go "$(go env GOVERSION)" \
	jupyter-notebook "$(jupyter notebook --version 2>/dev/null)" \
	nbconvert "$(jupyter nbconvert --version 2>/dev/null)" \
	gonb "$(modver "$GOBIN/gonb" github.com/janpfeifer/gonb) ($GOBIN/gonb)" \
	goimports "x/tools $(modver "$GOBIN/goimports" golang.org/x/tools)" \
	gopls "$(modver "$GOBIN/gopls" golang.org/x/tools/gopls)" \
	kernel "$spec"
say "done in $(($(date +%s) - t0))s"
