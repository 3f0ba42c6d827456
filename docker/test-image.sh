#!/usr/bin/env bash
# test-image.sh: build the Docker image from scratch on this machine and run a
# notebook inside it with no network. As root, on Debian.
#
# Usage: docker/test-image.sh [notebook.ipynb]   (default notebooks/00-tour.ipynb,
#        or the first notebook found if there is no tour yet)
#
# Stages (each one timed):
#   1. install docker.io and debootstrap from Debian if missing;
#   2. start a private dockerd (own --data-root, --exec-root, --pidfile and
#      socket, so it touches no other Docker setup);
#   3. build a bookworm base with `debootstrap --variant=minbase` (cached as a
#      tarball in $CACHE, default /var/cache/lrsense-docker) and `docker
#      import` it as debian:bookworm-slim (no registry is reachable here);
#   4. build docker/Dockerfile with the repository as the build context, plus
#      this machine's CA bundle as docker/extra-ca.crt (for TLS-intercepting
#      networks) and this machine's GOPROXY/GOSUMDB/GOFLAGS;
#   4b. build again with a wrong GO_TOOLCHAIN_H1: the build must fail at
#      the toolchain step, refusing the zip (HASHCHECK=0 skips this);
#   5. run `reproduce --quick NOTEBOOK` in the image with --network none and
#      check the exit status, the scanned results and the report page, in a
#      results directory private to this run (mktemp -d, 0700, owned by the
#      image's user uid 1000 so the container can write it);
#      Then the report page: every link and thumbnail in index.html is a
#      relative link to a non-empty file in the results directory (or an
#      anchor that exists), and at least one figure file is linked;
#   5b. the served notebook's token: `-e JUPYTER_TOKEN=` must be refused
#      (non-zero exit, the refusal in the log), with LRSENSE_ALLOW_NO_TOKEN=1
#      it must start and warn; the documented `-p 127.0.0.1:...` run is
#      published on loopback only, prints its token, and answers GET
#      /api/kernels with 403 without the token and 200 with it;
#   6. serve the image with `docker run -p 127.0.0.1:PORT:8888` and run the
#      notebook in headless Chromium with docker/browser-test.sh --image
#      (BROWSER=0 skips this stage);
#   7. stop dockerd by its pid, remove the iptables rules and chains and the
#      docker0 bridge it added, restore ip_forward (also on failure).
#
# Environment: CACHE (base tarball dir), DOCKER_ROOT (default
# /var/lib/lrsense-docker; keep it to make rebuilds fast, delete it to start
# over), IMAGE (default lrsense:test), KEEP_DOCKERD=1 (leave dockerd running).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
CACHE=${CACHE:-/var/cache/lrsense-docker}
DOCKER_ROOT=${DOCKER_ROOT:-/var/lib/lrsense-docker}
IMAGE=${IMAGE:-lrsense:test}
run=/run/lrsense-docker
sock="$run/docker.sock"
pidfile="$run/dockerd.pid"
export DOCKER_HOST="unix://$sock"
export DOCKER_BUILDKIT=0 # the classic builder: no buildx needed, local base images only

[ "$(id -u)" = 0 ] || { echo "test-image.sh: run as root" >&2; exit 2; }

nb=${1:-}
if [ -z "$nb" ]; then
	if [ -f "$root/notebooks/00-tour.ipynb" ]; then
		nb=notebooks/00-tour.ipynb
	else
		nb=$(cd "$root" && find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort | head -n1)
		[ -n "$nb" ] || { echo "test-image.sh: no notebook to run" >&2; exit 2; }
		echo "test-image.sh: notebooks/00-tour.ipynb does not exist yet: testing with $nb"
	fi
fi
nb=${nb#"$root/"}

timings=()
stage_t0=0
stage() {
	stage_name=$1
	stage_t0=$(date +%s)
	echo
	echo "=== test-image.sh: $stage_name"
}
stage_done() {
	local s=$(($(date +%s) - stage_t0))
	timings+=("$(printf '%-80s %5ds' "$stage_name" "$s")")
	echo "=== test-image.sh: $stage_name: ${s}s"
}
print_timings() {
	echo
	echo "=== test-image.sh timings"
	printf '  %s\n' "${timings[@]}"
}

# --- 1. tools ------------------------------------------------------------------------
stage "install docker.io, debootstrap"
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
command -v docker >/dev/null 2>&1 || { echo "test-image.sh: no docker client" >&2; exit 1; }
stage_done

# --- 2. dockerd -----------------------------------------------------------------------
# What dockerd adds to the host, so that cleanup removes exactly that.
had_docker0=0
ip link show docker0 >/dev/null 2>&1 && had_docker0=1
ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)
had_chains=$( (iptables-save 2>/dev/null || true) | grep -c '^:DOCKER' || true)
# dockerd also sets the FORWARD policy to DROP and, with iptables-nft on a
# host that had no rules, creates the nftables tables it writes into.
forward_policy=$(iptables -S FORWARD 2>/dev/null | sed -n 's/^-P FORWARD //p')
had_tables=$( (nft list tables 2>/dev/null || true) | tr '\n' ';')
dockerd_pid=

cleanup() {
	local rc=$?
	set +e
	if [ -n "$dockerd_pid" ] && [ "${KEEP_DOCKERD:-0}" != 1 ]; then
		echo "test-image.sh: stopping dockerd (pid $dockerd_pid)"
		kill "$dockerd_pid" 2>/dev/null
		for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
		kill -0 "$dockerd_pid" 2>/dev/null && kill -9 "$dockerd_pid"
		# containerd was started by this dockerd (pid file under its exec root)
		for p in "$run"/containerd/containerd.pid "$run"/exec/containerd/containerd.pid; do
			[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
		done
		if [ "$had_chains" = 0 ]; then
			for ipt in iptables ip6tables; do
				command -v "$ipt-save" >/dev/null 2>&1 || continue
				for t in filter nat; do
					# rules in the built-in chains that point into Docker's chains or at docker0
					"$ipt-save" -t "$t" 2>/dev/null | grep -E '^-A ' | grep -vE '^-A DOCKER' |
						grep -E 'DOCKER|docker0' | sed 's/^-A /-D /' |
						while read -r rule; do eval "$ipt -t $t $rule"; done
					# then Docker's own chains
					for c in $("$ipt-save" -t "$t" 2>/dev/null | sed -n 's/^:\(DOCKER[^ ]*\) .*/\1/p'); do
						"$ipt" -t "$t" -F "$c"
					done
					for c in $("$ipt-save" -t "$t" 2>/dev/null | sed -n 's/^:\(DOCKER[^ ]*\) .*/\1/p'); do
						"$ipt" -t "$t" -X "$c"
					done
				done
			done
		fi
		[ -n "$forward_policy" ] && iptables -P FORWARD "$forward_policy"
		# tables that did not exist before and that nothing else has put a rule in
		if command -v nft >/dev/null 2>&1 && [ "$had_chains" = 0 ]; then
			for t in "ip filter" "ip nat" "ip6 filter" "ip6 nat"; do
				case ";$had_tables" in *";table $t;"*) continue ;; esac
				nft list table $t >/dev/null 2>&1 || continue
				[ "$(nft list table $t | grep -cvE '^\s*(table |chain |type |\}|$)')" = 0 ] &&
					nft delete table $t
			done
		fi
		[ "$had_docker0" = 0 ] && ip link show docker0 >/dev/null 2>&1 && ip link delete docker0
		echo "$ip_forward" >/proc/sys/net/ipv4/ip_forward
		left=$( (iptables-save 2>/dev/null || true) | grep -cE 'DOCKER|docker0' || true)
		echo "test-image.sh: cleaned up (docker iptables lines left: $left; docker0: $(ip link show docker0 >/dev/null 2>&1 && echo present || echo gone);" \
			"FORWARD policy: $(iptables -S FORWARD 2>/dev/null | sed -n 's/^-P FORWARD //p'), was ${forward_policy:-unknown};" \
			"nft tables: $( (nft list tables 2>/dev/null || true) | tr '\n' ' '), were: ${had_tables:-none})"
	fi
	print_timings
	if [ $rc = 0 ]; then echo "test-image.sh: OK"; else echo "test-image.sh: FAILED (exit $rc)" >&2; fi
	exit $rc
}
trap cleanup EXIT

stage "start dockerd"
mkdir -p "$run" "$DOCKER_ROOT"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
	echo "test-image.sh: a dockerd from an earlier run is still up (pid $(cat "$pidfile")): using it"
	dockerd_pid=$(cat "$pidfile")
else
	dockerd --data-root "$DOCKER_ROOT" --exec-root "$run/exec" --pidfile "$pidfile" \
		--host "$DOCKER_HOST" >"$run/dockerd.log" 2>&1 &
	dockerd_pid=$!
fi
for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}' ||
	{ tail -30 "$run/dockerd.log" >&2; exit 1; }
stage_done

# --- 3. base image -------------------------------------------------------------------
stage "base image debian:bookworm-slim"
base_tar="$CACHE/bookworm-minbase.tar"
if [ ! -s "$base_tar" ]; then
	mkdir -p "$CACHE"
	rootfs=$(mktemp -d /var/tmp/lrsense-rootfs.XXXXXX)
	debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
	cat >"$rootfs/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
	tar -C "$rootfs" --numeric-owner -cf "$base_tar.tmp" .
	mv "$base_tar.tmp" "$base_tar"
	rm -rf "$rootfs"
fi
want_id=$(sha256sum "$base_tar" | cut -c1-12)
if [ "$(docker image inspect -f '{{index .Config.Labels "lrsense.base"}}' debian:bookworm-slim 2>/dev/null)" != "$want_id" ]; then
	docker import --change "LABEL lrsense.base=$want_id" --change 'CMD ["bash"]' "$base_tar" debian:bookworm-slim
fi
docker image ls debian:bookworm-slim
stage_done

# --- 4. build -------------------------------------------------------------------------
stage "docker build $IMAGE"
ca=/etc/ssl/certs/ca-certificates.crt
[ -f "$ca" ] || ca=/dev/null
# The build context is the repository (as .dockerignore filters it), streamed
# as a tar with the host's CA bundle added as docker/extra-ca.crt.
cabase=$(basename "$(readlink -f "$ca")")
build_args=(
	--build-arg GOPROXY="$(go env GOPROXY 2>/dev/null || echo https://proxy.golang.org,direct)"
	--build-arg GOSUMDB="$(go env GOSUMDB 2>/dev/null || echo sum.golang.org)"
	--build-arg GOFLAGS="$(go env GOFLAGS 2>/dev/null || true)"
)
set +e +o pipefail
(
	cd "$root"
	tar --exclude=./.git --exclude=./reproduced --exclude='*/.ipynb_checkpoints' \
		--exclude='*/.gonb_cache' --exclude='*.test' --exclude='*/node_modules' \
		--transform "s|^$cabase\$|./docker/extra-ca.crt|" \
		-cf - . -C "$(dirname "$(readlink -f "$ca")")" "$cabase"
) | docker build -f docker/Dockerfile -t "$IMAGE" "${build_args[@]}" \
	--build-arg LRSENSE_COMMIT="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" \
	- 2>&1 | tee "$run/build.log"
rc=${PIPESTATUS[1]}
set -e -o pipefail
[ "$rc" = 0 ] || { echo "test-image.sh: docker build failed (log: $run/build.log)" >&2; exit 1; }
docker image ls "$IMAGE"
stage_done

# --- 4b. the Go toolchain's hash ------------------------------------------------------------
# The same build with a wrong GO_TOOLCHAIN_H1 must stop at the toolchain
# step, refusing the zip. The context is only what the steps up to it read.
# HASHCHECK=0 skips this (it downloads the 70 MB zip again).
if [ "${HASHCHECK:-1}" != 0 ]; then
	stage "a wrong GO_TOOLCHAIN_H1 fails the build"
	bad_h1="h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" # the hash of nothing real
	set +e +o pipefail
	(
		cd "$root"
		tar --transform "s|^$cabase\$|docker/extra-ca.crt|" -cf - docker/Dockerfile docker/install.sh go.mod \
			-C "$(dirname "$(readlink -f "$ca")")" "$cabase"
	) | docker build --force-rm -f docker/Dockerfile -t lrsense:badhash "${build_args[@]}" \
		--build-arg GO_TOOLCHAIN_H1="$bad_h1" - >"$run/badhash.log" 2>&1
	rc=${PIPESTATUS[1]}
	set -e -o pipefail
	# (the builder colours the step's stderr: strip the escapes to find the line)
	sed 's/\x1b\[[0-9;]*m//g' "$run/badhash.log" | grep -m1 '^golang.org/toolchain@.*refusing this zip' || true
	echo "test-image.sh: build with GO_TOOLCHAIN_H1=$bad_h1: exit status $rc"
	[ "$rc" != 0 ] && grep -q 'the checksum database says '"$bad_h1"': refusing this zip' "$run/badhash.log" ||
		{ echo "test-image.sh: a wrong GO_TOOLCHAIN_H1 did not stop the build at the hash check (log: $run/badhash.log)" >&2; exit 1; }
	! docker image inspect lrsense:badhash >/dev/null 2>&1 ||
		{ echo "test-image.sh: an image lrsense:badhash was built" >&2; exit 1; }
	stage_done
fi

# --- 5. run -----------------------------------------------------------------------------
stage "reproduce --quick $nb (--network none)"
# A private directory: mktemp -d makes it 0700 under a 0700 parent; only the
# image's user (uid 1000) and root can write or read it. Nothing in it
# predates this run.
outer=$(mktemp -d /var/tmp/lrsense-image.XXXXXX)
out="$outer/out"
install -d -m 0700 -o 1000 -g 1000 "$out"
[ -z "$(ls -A "$out")" ] || { echo "test-image.sh: $out is not empty" >&2; exit 1; }
set +e +o pipefail
docker run --rm --network none -v "$out:/out" "$IMAGE" reproduce --quick --out /out "$nb" 2>&1 |
	tee "$run/run.log"
rc=${PIPESTATUS[0]}
set -e -o pipefail
echo "test-image.sh: container exit status $rc; results in $out"
[ "$rc" = 0 ] || { echo "test-image.sh: the notebook FAILED in the image" >&2; exit 1; }
for f in notebooks.tsv summary.tsv index.html; do
	[ -f "$out/$f" ] && [ ! -L "$out/$f" ] && [ "$(stat -c %u "$out/$f")" = 1000 ] ||
		{ echo "test-image.sh: $out/$f is missing or was not written by the container" >&2; exit 1; }
done
grep -q $'\tok\t' "$out/notebooks.tsv" || { echo "test-image.sh: no ok row in $out/notebooks.tsv" >&2; exit 1; }
grep -q 'lrsense reproduction report' "$out/index.html" || { echo "test-image.sh: $out/index.html is not the report" >&2; exit 1; }
# The image has Chromium, so every extracted SVG figure also has its PNG.
nsvg=$(find "$out/figures" -name '*.svg' | wc -l)
npng=$(find "$out/figures" -name '*.png' -size +0 | wc -l)
[ "$nsvg" -gt 0 ] && [ "$npng" -ge "$nsvg" ] ||
	{ echo "test-image.sh: $nsvg SVG but $npng PNG figures under $out/figures (Chromium in the image renders them)" >&2; exit 1; }
echo "test-image.sh: figures: $nsvg SVG, $npng PNG"
# The page as a reader opens it from the output folder: every link and image
# is relative and names a non-empty file in the folder (a path that only
# exists inside the container would be dead here), every #anchor exists in
# its page, and the notebook has at least one figure file.
python3 - "$out" <<'EOF' || { echo "test-image.sh: $out/index.html has dead links" >&2; exit 1; }
import html.parser, os, sys, urllib.parse
out = os.path.realpath(sys.argv[1])
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)
            if (k == "href" and tag == "a") or (k == "src" and tag == "img"):
                self.refs.append((tag, v or ""))
def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p
page = parse(os.path.join(out, "index.html"))
bad, files, imgs, external = [], set(), 0, 0
for tag, ref in page.refs:
    u = urllib.parse.urlsplit(ref)
    if u.scheme in ("http", "https") and tag == "a":
        external += 1
        continue
    if u.scheme or u.netloc or u.path.startswith("/"):
        bad.append(f"{ref}: not a relative link")
        continue
    path = urllib.parse.unquote(u.path)
    frag = urllib.parse.unquote(u.fragment)
    if not path:
        if frag not in page.ids:
            bad.append(f"{ref}: no such anchor")
        continue
    full = os.path.realpath(os.path.join(out, path))
    if not full.startswith(out + os.sep) or not os.path.isfile(full) or os.path.getsize(full) == 0:
        bad.append(f"{ref}: not a non-empty file in the output folder")
        continue
    files.add(path)
    imgs += tag == "img"
    if frag and full.endswith(".html") and frag not in parse(full).ids:
        bad.append(f"{ref}: no such anchor in {path}")
figs = [f for f in files if f.startswith("figures/")]
print(f"test-image.sh: index.html: {len(page.refs)} links and images, {len(files)} files, "
      f"{imgs} thumbnails, {len(figs)} figure files, {external} external links (not followed)")
if not figs:
    bad.append("no figure of the notebook is linked from the page")
for b in bad:
    print("test-image.sh: index.html:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
ls -lR "$out/figures" | head -n 20
stage_done

# --- 5b. token -----------------------------------------------------------------------------
stage "served notebook: empty token refused, opt-in warns, loopback run needs its token"
set +e
log=$(docker run --rm --network none -e JUPYTER_TOKEN= "$IMAGE" 2>&1)
rc=$?
set -e
printf '%s\n' "$log" | tail -n 8
[ "$rc" != 0 ] && printf '%s' "$log" | grep -q 'LRSENSE_ALLOW_NO_TOKEN=1' ||
	{ echo "test-image.sh: JUPYTER_TOKEN= was not refused (exit $rc)" >&2; exit 1; }
# With the opt-in it starts, and says so: run it briefly, then stop it.
name="lrsense-notoken-$$"
docker run -d --rm --name "$name" --network none -e JUPYTER_TOKEN= -e LRSENSE_ALLOW_NO_TOKEN=1 "$IMAGE" >/dev/null
ok=0
for _ in $(seq 60); do
	if docker logs "$name" 2>&1 | grep -q 'WARNING: JUPYTER IS SERVED WITHOUT A TOKEN'; then ok=1; break; fi
	sleep 1
done
docker logs "$name" 2>&1 | tail -n 12
docker rm -f "$name" >/dev/null 2>&1 || true
[ "$ok" = 1 ] || { echo "test-image.sh: with LRSENSE_ALLOW_NO_TOKEN=1 the log has no warning" >&2; exit 1; }
# The documented run command (the Dockerfile header's, on a free port): the
# port is published on the host's loopback only, and a client without the
# generated token cannot start a kernel.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
name="lrsense-served-$$"
docker run -d --rm --name "$name" -p "127.0.0.1:$port:8888" "$IMAGE" >/dev/null
served=0
for _ in $(seq 90); do
	if docker logs "$name" 2>&1 | grep -q 'token='; then served=1; break; fi
	sleep 1
done
published=$(docker port "$name" 8888 2>&1 || true)
# GET, not POST: a POST without a token is refused for its missing _xsrf
# cookie whether or not a token is required. The token goes to curl in a
# 0600 header file, not in its arguments.
logs=$(docker logs "$name" 2>&1 || true)
token=
[[ $logs =~ [?\&]token=([0-9a-f]+) ]] && token=${BASH_REMATCH[1]}
(umask 077 && printf 'Authorization: token %s\n' "$token" >"$outer/auth-header")
without=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/kernels" || true)
with=$(curl -s -o /dev/null -w '%{http_code}' -H "@$outer/auth-header" "http://127.0.0.1:$port/api/kernels" || true)
rm -f "$outer/auth-header"
docker logs "$name" 2>&1 | grep -v 'token=' | tail -n 6 # (the lines with the token stay out of this log)
docker rm -f "$name" >/dev/null 2>&1 || true
echo "test-image.sh: served: token in the log: $served; published on: $published; GET /api/kernels without the token: $without, with it: $with"
[ "$served" = 1 ] || { echo "test-image.sh: the served notebook printed no token URL" >&2; exit 1; }
[ "$published" = "127.0.0.1:$port" ] || { echo "test-image.sh: published on $published, want 127.0.0.1:$port only" >&2; exit 1; }
[ "$without" = 403 ] && [ "$with" = 200 ] ||
	{ echo "test-image.sh: GET /api/kernels gave HTTP $without without the token and $with with it, want 403 and 200" >&2; exit 1; }
stage_done

# --- 6. browser ---------------------------------------------------------------------------
# The image as a reader uses it: `docker run -p` on loopback, the notebook in
# headless Chromium (docker/browser-test.sh --image). BROWSER=0 skips it.
if [ "${BROWSER:-1}" != 0 ]; then
	stage "browser test against the image (docker run -p 127.0.0.1)"
	bash "$here/browser-test.sh" --image "$IMAGE" --out "$out/browser" "$nb"
	stage_done
fi
