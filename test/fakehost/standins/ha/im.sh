#!/bin/sh
# Stand-in for im.sh of PortSIP's HA tarball, written for pbxplan's fake host from the project's
# domain notes (§2.4); not the vendor's code (flags from the guides: no token flag, E12). run:
# getopts a:A:f:, one of -a/-A mandatory; needs the cluster deployed and password-less SSH to
# the IM host; creates the IM containers there. start|stop|restart|rm|upgrade.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake im.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=im.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
fh_mutation "$me" "$sub" "$@"
priv="" pub="" files=""
while getopts "a:A:f:" opt; do
  case $opt in
    a) priv="$OPTARG" ;;
    A) pub="$OPTARG" ;;
    f) files="$OPTARG" ;;
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
    image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    image="${image:-portsip/pbx:22}"
    vip="$(cat "$FH/state/ha/deployed")"
    fh_on_host "$host" fh_ha_role_here portsip.database portsip/postgresql:14.12 im-server-only
    fh_on_host "$host" fh_ha_role_here portsip.webserver "$image" im-server-only
    fh_on_host "$host" fh_ha_role_here portsip.instantmessage "$image" im-server-only -E -a "$vip" -x "$priv" -z "$pub"
    echo "$me: IM server is running on ${priv:-$pub} (fake)${files:+, chat files in $files}"
    ;;
  upgrade)
    # OP-IM: the IM containers to the image update.sh recorded (im.sh upgrade takes no image
    # and no token, E12); PostgreSQL keeps its image.
    fh_should_fail "$me" upgrade-before && fh_injected_failure "$me"
    image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    fh_ha_upgrade_remotes "$me" "" "portsip.webserver=${image:-portsip/pbx:22}" "portsip.instantmessage=${image:-portsip/pbx:22}"
    echo "$me: IM server upgraded to ${image:-portsip/pbx:22} (fake)"
    ;;
  start | stop | restart | rm)
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    ;;
  *) fh_die 1 "$me: unknown command: $sub" ;;
esac
