#!/usr/bin/env bash
# slurm-cluster.sh: a throw-away single-node Slurm cluster for tests.
#
#   eval "$(docker/slurm-cluster.sh start DIR)"   # prints export lines
#   ...sbatch/squeue/scancel now talk to it (SLURM_CONF)...
#   docker/slurm-cluster.sh stop DIR
#
# start installs Debian's slurmctld, slurmd, slurm-client and munge when
# they are missing (root only), then starts munged, slurmctld and slurmd with
# their own key, socket, state, spool, logs and free ports, all under DIR
# (created 0700), so nothing of the machine's own configuration is used or
# changed. The node is this machine with all its CPUs, in one partition
# "test". stop kills the three daemons by the pids in DIR and waits for them.
set -euo pipefail

die() { printf 'slurm-cluster.sh: %s\n' "$*" >&2; exit 1; }
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: slurm-cluster.sh start|stop DIR"

stop() {
	for d in slurmd slurmctld munged; do
		f="$dir/$d.pid"
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$f"
	done
	# A start that was interrupted may have left a daemon without a pid
	# file: every daemon of this cluster names a file under DIR.
	pkill -TERM -f -- "$dir/(slurm.conf|munge/munge.key)" 2>/dev/null || true
	sleep 0.5
	pkill -KILL -f -- "$dir/(slurm.conf|munge/munge.key)" 2>/dev/null || true
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case $cmd in
stop)
	stop
	exit 0
	;;
start) ;;
*) die "unknown command $cmd" ;;
esac

[ "$(id -u)" = 0 ] || die "needs root (slurmd runs jobs as their users; munged and the daemons are started here)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	echo "slurm-cluster.sh: installing slurmctld slurmd slurm-client munge (apt-get)" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q slurmctld slurmd slurm-client munge >&2
fi

mkdir -p "$dir"
chmod 0700 "$dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 0700 "$dir/munge"
trap 'stop' ERR

# munge: our own key and socket.
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 0400 "$dir/munge/munge.key"
sock="$dir/munge/munge.socket"
munged --force --key-file="$dir/munge/munge.key" --socket="$sock" \
	--pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || die "munged did not start: $(tail -5 "$dir/log/munged.log" 2>/dev/null)"

node=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
cat >"$dir/slurm.conf" <<EOF
# Written by docker/slurm-cluster.sh for a test; see that script.
ClusterName=lrsense-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
MaxArraySize=10001
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$node"

# Wait for the node to be idle (slurmd registered).
for _ in $(seq 100); do
	st=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
	case $st in idle*|mix*|alloc*) break ;; esac
	sleep 0.2
done
case ${st:-} in
idle*|mix*|alloc*) ;;
*) stop; die "node $node is '${st:-unknown}', not idle; logs in $dir/log" ;;
esac
trap - ERR
echo "export SLURM_CONF='$SLURM_CONF'"
