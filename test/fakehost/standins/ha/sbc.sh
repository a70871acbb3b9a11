#!/bin/sh
# Stand-in for sbc.sh of PortSIP's HA tarball, written for pbxplan's fake host from the project's
# domain notes (§2.6); not the vendor's code (flags from the guides). run: getopts a:i:c, -a
# (comma-separated addresses) and -i mandatory; needs the cluster deployed and password-less SSH
# to every SBC; creates portsip.sbc on each (a name conflict fails, C30).
# start|stop|restart|rm -a LIST, upgrade -a LIST -i IMAGE [-c].
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake sbc.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=sbc.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
fh_mutation "$me" "$sub" "$@"
list="" image="" cert=0
while getopts "a:i:c" opt; do
  case $opt in
    a) list="$OPTARG" ;;
    i) image="$OPTARG" ;;
    c) cert=1 ;;
    *) fh_illegal_option "$me" ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
fh_ha_deployed "$me"
[ -n "$list" ] || fh_die 1 "$me: option -a not specified"
case $sub in
  run)
    [ -n "$image" ] || fh_die 1 "$me: option -i not specified"
    hosts=""
    for ip in $(printf '%s' "$list" | tr ',' ' '); do
      hosts="$hosts $(fh_ha_reach "$me" "$ip")"
    done
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    for h in $hosts; do
      fh_on_host "$h" fh_ha_role_here portsip.sbc "$image" ""
    done
    echo "$me: SBC running on $list (fake)$([ "$cert" = 0 ] || echo ', with the Cert Manager')"
    ;;
  upgrade)
    # OP-SBC: each SBC in -a to the -i image, torn down before the pull.
    [ -n "$image" ] || fh_die 1 "$me: option -i not specified"
    for ip in $(printf '%s' "$list" | tr ',' ' '); do fh_ha_reach "$me" "$ip" >/dev/null; done
    fh_should_fail "$me" upgrade-before && fh_injected_failure "$me"
    fh_ha_upgrade_remotes "$me" "$list" "portsip.sbc=$image"
    echo "$me: SBC upgraded to $image on $list (fake)"
    ;;
  start | stop | restart | rm)
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    ;;
  *) fh_die 1 "$me: unknown command: $sub" ;;
esac
