#!/bin/sh
# Stand-in for dataflow.sh of PortSIP's HA tarball, written for pbxplan's fake host from the
# project's domain notes (§2.5); not the vendor's code (flags from the guides). run: getopts
# p:a:A:d:i:, one of -a/-A mandatory; needs the cluster deployed and password-less SSH to the
# Data Flow host; creates portsip.clickhouse and portsip.dataflow there.
# start|stop|restart|rm, upgrade [-d CLICKHOUSE_IMAGE].
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake dataflow.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=dataflow.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
fh_mutation "$me" "$sub" "$@"
newch=0 data="/var/lib/portsip" priv="" pub="" chimage="portsip/clickhouse:25.8" image=""
while getopts "p:a:A:d:i:" opt; do
  case $opt in
    p) data="$OPTARG" ;;
    a) priv="$OPTARG" ;;
    A) pub="$OPTARG" ;;
    d) chimage="$OPTARG" newch=1 ;;
    i) image="$OPTARG" ;;
    *) fh_illegal_option "$me" ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
fh_ha_deployed "$me"
fh_ha_vars "$me"
case $sub in
  run)
    [ -n "$priv$pub" ] || fh_die 1 "$me: option -a or -A not specified"
    host="$(fh_ha_reach "$me" "${priv:-$pub}")"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    [ -n "$image" ] || image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    image="${image:-portsip/pbx:22}"
    fh_pull_checked "$me" "$image" 22.3
    vip="$(cat "$FH/state/ha/deployed")"
    fh_on_host "$host" fh_ha_role_here portsip.clickhouse "$chimage" dataflow-server-only
    fh_on_host "$host" fh_ha_role_here portsip.dataflow "$image" dataflow-server-only serve -D "$data/dataflow" -a "$vip" -x "$priv" -z "$pub"
    echo "$me: Data Flow is running on ${priv:-$pub} (fake)"
    ;;
  upgrade)
    # OP-DF: Data Flow to the image update.sh recorded; with -d, ClickHouse to that image too
    # (as the HA guide documents it; whether the HA script honours -d is not public, E13).
    fh_should_fail "$me" upgrade-before && fh_injected_failure "$me"
    image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    if [ "$newch" = 1 ]; then
      fh_ha_upgrade_remotes "$me" "" "portsip.dataflow=${image:-portsip/pbx:22}" "portsip.clickhouse=$chimage"
    else
      fh_ha_upgrade_remotes "$me" "" "portsip.dataflow=${image:-portsip/pbx:22}"
    fi
    echo "$me: Data Flow upgraded to ${image:-portsip/pbx:22} (fake)"
    ;;
  start | stop | restart | rm)
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    ;;
  *) fh_die 1 "$me: unknown command: $sub" ;;
esac
