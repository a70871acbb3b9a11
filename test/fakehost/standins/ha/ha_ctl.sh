#!/bin/sh
# Stand-in for ha_ctl.sh of PortSIP's HA tarball, written for pbxplan's fake host from the
# project's domain notes (§2.2); not the vendor's code. status|show|master are queries (status
# lists the documented Pacemaker resources, exit 1 before deploy_pbx.sh); start|stop|restart
# [-s pbx] are mutations (state/ha/pbx-stopped).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake ha_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=ha_ctl.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
node="$(hostname)"
case $sub in
  status | show)
    [ -f "$FH/state/ha/deployed" ] || fh_die 1 "Error: cluster is not currently running on this node"
    if [ -f "$FH/state/ha/pbx-stopped" ]; then pbx="Stopped"; else pbx="Started $node"; fi
    echo "Cluster name: ha_cluster"
    echo "  * drbd_attr (ocf::linbit:drbd-attr): Started $node"
    echo "  * Clone Set: drbd_devpath-clone [drbd_devpath] (promotable): Masters: [ $node ]"
    echo "  * vip (ocf::heartbeat:IPaddr2): Started $node"
    echo "  * src_pkt_ip (ocf::heartbeat:IPsrcaddr): Started $node"
    echo "  * datapath_fs (ocf::heartbeat:Filesystem): Started $node"
    echo "  * pbx (ocf::portsip:pbx): $pbx"
    ;;
  master)
    [ -f "$FH/state/ha/deployed" ] || fh_die 1 "Error: cluster is not currently running on this node"
    echo "$node"
    ;;
  start | stop | restart)
    fh_mutation "$me" "$sub" "$@"
    while getopts "s:" opt; do
      case $opt in
        s) [ "$OPTARG" = pbx ] || fh_die 1 "$me: unknown resource $OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    fh_ha_deployed "$me"
    case $sub in
      stop) : >"$FH/state/ha/pbx-stopped" ;;
      *) rm -f "$FH/state/ha/pbx-stopped" ;;
    esac
    ;;
  *) fh_die 1 "$me: unknown command: $sub" ;;
esac
