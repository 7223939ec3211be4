#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, for the tests that submit job arrays.
#
#   scripts/slurm-local.sh start   install slurm-wlm and munge if missing (Debian packages),
#                                  write a one-node slurm.conf for this host, start munged,
#                                  slurmctld and slurmd, and wait until the node is idle
#   scripts/slurm-local.sh stop    stop the daemons this script started (by their pid files)
#   scripts/slurm-local.sh status  print sinfo
#
# It needs root (it installs packages and starts daemons). It never overwrites a slurm.conf it
# did not write: on a machine that already runs SLURM, use that cluster instead. No systemd
# is needed: the daemons are started directly. Accounting is off (no sacct): use squeue and
# `scontrol show job`.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK="# written by thm scripts/slurm-local.sh"
log() { printf 'slurm-local: %s\n' "$*" >&2; }

install() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurm-wlm and munge (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    # The packages' postinst scripts try to start services; without systemd that is refused
    # harmlessly ("policy-rc.d denied execution").
    apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q slurm-wlm munge >/dev/null; }
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
}

write_conf() {
  local host cpus mem
  host=$(hostname -s)
  if ! getent hosts "$host" >/dev/null; then
    log "adding $host to /etc/hosts (SLURM needs its host name to resolve)"
    echo "127.0.0.1 $host" >>/etc/hosts
  fi
  if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    log "$CONF exists and was not written by this script: refusing to replace it"
    exit 2
  fi
  cpus=$(nproc)
  # slurmd -C prints what the node really has; keep RealMemory at or below it.
  mem=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  mem=$(( ${mem:-2000} * 9 / 10 ))
  mkdir -p /etc/slurm
  cat >"$CONF" <<CONF
$MARK
ClusterName=thm-local
SlurmctldHost=$host
SlurmUser=slurm
AuthType=auth/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# One scheduling pass per job end instead of one every ~3 s.
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

# The pid in a pid file, if that process is alive and is the named program.
alive() {
  local file=$1 name=$2 pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] && echo "$pid"
}

start() {
  [ "$(id -u)" = 0 ] || { log "needs root"; exit 2; }
  install
  write_conf
  mkdir -p /run/munge /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
  chown munge:munge /run/munge
  chmod 755 /run/munge
  chown slurm:slurm /var/lib/slurm/slurmctld /var/log/slurm
  if ! alive /run/munge/munged.pid munged >/dev/null; then
    su -s /bin/sh munge -c /usr/sbin/munged
  fi
  munge -n | unmunge >/dev/null
  if ! alive /run/slurmctld.pid slurmctld >/dev/null; then
    # A clean slate: no jobs or node state from an earlier run.
    rm -rf /var/lib/slurm/slurmctld/* /var/lib/slurm/slurmd/*
    rm -f /run/slurmctld.pid
    /usr/sbin/slurmctld
  fi
  if ! alive /run/slurmd.pid slurmd >/dev/null; then
    rm -f /run/slurmd.pid
    /usr/sbin/slurmd
  fi
  local waited=0
  until [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; do
    sleep 0.2
    waited=$((waited + 1))
    if [ "$waited" -gt 300 ]; then
      log "the node did not become idle within 60 s:"
      sinfo >&2 || true
      tail -n 20 /var/log/slurm/slurmctld.log >&2 || true
      exit 1
    fi
  done
  log "one-node cluster up: $(sinfo -h -o '%P %D %T %C')"
}

stop() {
  local pid
  for pair in /run/slurmd.pid:slurmd /run/slurmctld.pid:slurmctld /run/munge/munged.pid:munged; do
    if pid=$(alive "${pair%%:*}" "${pair##*:}"); then
      kill "$pid"
      for _ in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
  done
  # slurmctld runs as slurm and cannot remove its pid file under /run.
  rm -f /run/slurmctld.pid /run/slurmd.pid
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
