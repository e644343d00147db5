#!/usr/bin/env bash
# Network namespaces for storage agents that each need an address of their own on this
# machine (the multi-host dev stack, BP_DEMO_HOSTS, and the tests' startStack({ hosts })).
#
#   netns.sh up SET COUNT OWNER_PID   makes namespaces bp-SET-1 … bp-SET-COUNT, each with a
#                                      veth to a bridge bpbr-SET in the root namespace, on a
#                                      private /24 that overlaps none of the machine's routes;
#                                      prints `gateway <bridge address>` and `host <i> <ns> <address> <veth>`
#   netns.sh down SET                 removes SET's namespaces, veths and bridge
#   netns.sh prune                    removes every set whose owner process has exited
#
# SET is 1-8 of [a-z0-9] (interface names have 15 characters). A bridge rather than routed
# /30s: agents reach each other (replication) without IP forwarding on the host. Every set
# is recorded in /run/branchpoint-netns/SET with its owner (pid and start time, so a reused
# pid does not count), so a run killed with SIGKILL is cleaned up by the next `up` or `prune`.
# Run processes in a namespace with `nsenter --net=/run/netns/NS`, not `ip netns exec`: that
# one also makes a mount namespace, which (with / mounted private) would not see the datasets
# zfs-fuse mounts later.
set -euo pipefail

STATE_DIR=/run/branchpoint-netns
# Candidates: 10.213.0.0/24 … 10.213.255.0/24, the first that clashes with nothing.
SUBNET_BASE='10.213'

die() { echo "netns.sh: $*" >&2; exit 1; }

valid_set() { [[ "$1" =~ ^[a-z0-9]{1,8}$ ]] || die "set name '$1' must be 1-8 of [a-z0-9]"; }

start_time() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null; }

owner_alive() { # SET
  local pid started
  read -r pid started <"$STATE_DIR/$1/owner" 2>/dev/null || return 1
  [ -n "$pid" ] && [ "$(start_time "$pid")" = "$started" ]
}

ip_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# clashes NET/LEN — some IPv4 route or address of the machine (any namespace's bridge too)
# overlaps it. The default route is everything and does not count.
clashes() {
  local net=${1%/*} len=${1#*/} candidate_start candidate_end prefix pnet plen start end
  candidate_start=$(ip_to_int "$net")
  candidate_end=$((candidate_start + (1 << (32 - len)) - 1))
  while read -r prefix; do
    [ "$prefix" = default ] && continue
    pnet=${prefix%/*}
    plen=32
    [[ "$prefix" == */* ]] && plen=${prefix#*/}
    [ "$plen" = 0 ] && continue
    start=$(ip_to_int "$pnet")
    start=$((start & ~((1 << (32 - plen)) - 1) & 0xffffffff))
    end=$((start + (1 << (32 - plen)) - 1))
    if [ "$start" -le "$candidate_end" ] && [ "$end" -ge "$candidate_start" ]; then return 0; fi
  done < <({
    ip -4 route show table all | awk '{ print ($1 == "local" || $1 == "broadcast") ? $2 : $1 }'
    ip -4 -o addr show | awk '{ print $4 }'
  })
  return 1
}

free_subnet() {
  local third
  for third in $(seq 0 255); do
    clashes "$SUBNET_BASE.$third.0/24" || { echo "$SUBNET_BASE.$third"; return 0; }
  done
  die "no free /24 in $SUBNET_BASE.0.0/16"
}

down() { # SET
  local set=$1 ns
  for ns in $(ip netns list | awk '{ print $1 }' | grep -E "^bp-$set-[0-9]+$" || true); do
    # Deleting the namespace deletes its end of the veth, and with it the pair.
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "bpbr-$set" 2>/dev/null || true
  rm -rf "${STATE_DIR:?}/$set"
}

prune() {
  local dir set
  for dir in "$STATE_DIR"/*/; do
    [ -d "$dir" ] || continue
    set=$(basename "$dir")
    owner_alive "$set" || down "$set"
  done
}

up() { # SET COUNT OWNER_PID
  local set=$1 count=$2 owner=$3 subnet i ns veth address
  [[ "$count" =~ ^[1-9]$ ]] || die "count must be 1-9"
  kill -0 "$owner" 2>/dev/null || die "owner $owner is not running"
  prune
  down "$set"
  mkdir -p "$STATE_DIR/$set"
  echo "$owner $(start_time "$owner")" >"$STATE_DIR/$set/owner"
  subnet=$(free_subnet)
  ip link add "bpbr-$set" type bridge
  ip addr add "$subnet.1/24" dev "bpbr-$set"
  ip link set "bpbr-$set" up
  echo "gateway $subnet.1"
  for i in $(seq 1 "$count"); do
    ns="bp-$set-$i"
    veth="bp${set}h$i"
    address="$subnet.$((i + 1))"
    ip netns add "$ns"
    ip link add "$veth" type veth peer name "bp${set}n$i"
    ip link set "bp${set}n$i" netns "$ns"
    ip link set "$veth" master "bpbr-$set" up
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link set "bp${set}n$i" name eth0
    ip netns exec "$ns" ip addr add "$address/24" dev eth0
    ip netns exec "$ns" ip link set eth0 up
    echo "host $i $ns $address $veth"
  done
}

main() {
  [ "$(id -u)" = 0 ] || die "network namespaces need root"
  mkdir -p "$STATE_DIR"
  # One change at a time: two runs must not pick the same free subnet.
  exec 9>"$STATE_DIR/.lock"
  flock 9
  case "${1:-}" in
    up) valid_set "${2:-}"; up "$2" "${3:-}" "${4:-}" ;;
    down) valid_set "${2:-}"; down "$2" ;;
    prune) prune ;;
    *) die "usage: netns.sh up SET COUNT OWNER_PID | down SET | prune" ;;
  esac
}

main "$@"
