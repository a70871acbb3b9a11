#!/bin/sh
# Stand-in for extend.sh of PortSIP's HA tarball, written for pbxplan's fake host from the
# project's domain notes (§2.3); not the vendor's code (the HA tarball is not public: its flags
# come from the guides). run: getopts s:n:a:, -s -n -a mandatory (-s disk-only alone grows the
# AWS data volume); needs the cluster deployed and password-less SSH to -a; creates the role's
# container on that host (its fake root). start|stop|restart|rm|upgrade [-s TYPE] [-a IP].
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake extend.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=extend.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
fh_mutation "$me" "$sub" "$@"
type="" name="" ip=""
while getopts "s:n:a:" opt; do
  case $opt in
    s) type="$OPTARG" ;;
    n) name="$OPTARG" ;;
    a) ip="$OPTARG" ;;
    *) fh_illegal_option "$me" ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
container_of() {
  case $1 in
    media-server-only) echo portsip.mediaserver ;;
    queue-server-only) echo portsip.callqueue ;;
    meeting-server-only) echo portsip.conference ;;
    vr-server-only) echo portsip.virtualreceptionist ;;
    *) return 1 ;;
  esac
}
fh_ha_deployed "$me"
fh_ha_vars "$me"
case $sub in
  run)
    [ "$type" != disk-only ] || exit 0
    [ -n "$type" ] || fh_die 1 "$me: option -s not specified"
    [ -n "$name" ] || fh_die 1 "$me: option -n not specified"
    [ -n "$ip" ] || fh_die 1 "$me: option -a not specified"
    container="$(container_of "$type")" || fh_die 1 "$me: unknown service type $type"
    host="$(fh_ha_reach "$me" "$ip")"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    fh_on_host "$host" fh_ha_role_here "$container" "${image:-portsip/pbx:22}" "$type" -E -a "$(cat "$FH/state/ha/deployed")" -x "$ip" -n "$name"
    echo "$me: $type \"$name\" is running on $ip (fake)"
    ;;
  upgrade)
    # OP-SCALE "Upgrading servers": every extended server of the type (all types without -s)
    # to the image update.sh recorded in res/vars.yml; each torn down before its pull.
    fh_should_fail "$me" upgrade-before && fh_injected_failure "$me"
    image="$(fh_yaml_value ./res/vars.yml pbx_image)"
    set --
    for t in media-server-only queue-server-only meeting-server-only vr-server-only; do
      [ -z "$type" ] || [ "$type" = "$t" ] || continue
      set -- "$@" "$(container_of "$t")=${image:-portsip/pbx:22}"
    done
    [ "$#" -gt 0 ] || fh_die 1 "$me: unknown service type $type"
    fh_ha_upgrade_remotes "$me" "$ip" "$@"
    echo "$me: ${type:-all extended servers} upgraded to ${image:-portsip/pbx:22} (fake)"
    ;;
  start | stop | restart | rm)
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    for r in "$FH/remote"/*; do
      [ -d "$r/.fakehost" ] || continue
      h="$(basename "$r")"
      [ -z "$ip" ] || [ "$h" = "$ip" ] || continue
      for t in media-server-only queue-server-only meeting-server-only vr-server-only; do
        [ -z "$type" ] || [ "$type" = "$t" ] || continue
        c="$(container_of "$t")"
        case $sub in
          start | restart) fh_on_host "$h" fh_container_set_if_exists "$c" true ;;
          stop) fh_on_host "$h" fh_container_set_if_exists "$c" false ;;
          rm) fh_on_host "$h" fh_container_rm "$c" ;;
        esac
      done
    done
    ;;
  *) fh_die 1 "$me: unknown command: $sub" ;;
esac
