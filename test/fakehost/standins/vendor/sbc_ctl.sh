#!/bin/sh
# Stand-in for PortSIP's sbc_ctl.sh, written for pbxplan's fake host from the project's domain
# notes (§2.6, §7) and the facts of the v22 script; not the vendor's code. Every call turns
# automatic updates off. run: disables ufw and sets the sysctl before it reads its arguments;
# getopts p:i:U:P:R:; without -p or -i it prints its usage and exits 0 (E16); pulls every time,
# writes ./.configure_sbc (in the scripts directory itself) and then fails on the portsip.sbc
# name conflict when the container exists (C30), else creates portsip.sbc (plain docker run, no
# compose project). start|stop|restart|status [-s SERVICE], rm, upgrade [-i IMAGE]. status is
# a query.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake sbc_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=sbc_ctl.sh
fh_vendor_start "$0" "$me" "$@"
fh_vendor_disables_updates
sub="${1:-}"
[ "$#" -eq 0 ] || shift

case $sub in
  run)
    fh_mutation "$me" "$sub" "$@"
    fh_require_docker "$me"
    fh_vendor_host_setup ufw
    data="" image="" hubuser="" hubserver="" hubpass=""
    while getopts "p:i:U:P:R:" opt; do
      case $opt in
        p) data="$OPTARG" ;;
        i) image="$OPTARG" ;;
        U) hubuser="$OPTARG" ;;
        R) hubserver="$OPTARG" ;;
        P) hubpass="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    if [ -z "$data" ] || [ -z "$image" ]; then
      echo "usage: $me run -p DATA_PATH -i IMAGE" >&2
      exit 0
    fi
    fh_vendor_login "$hubuser" "$hubpass" "$hubserver"
    fh_pull "$image"
    mkdir -p "$(fh_host_path "$data")/sbc"
    fh_write_config ./.configure_sbc "SBC_DATA_PATH=$data" "SBC_IMG=$image" "HUB_USER=$hubuser" "HUB_SERVER=$hubserver"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    fh_container_exists portsip.sbc && fh_die 125 "docker: Error response from daemon: Conflict. The container name \"/portsip.sbc\" is already in use."
    fh_container_create portsip.sbc "$image" ""
    fh_fw_service portsip-sbc 25000-34999/udp 5066/udp 5065/tcp 5067/tcp 5069/tcp 8882/tcp 8883/tcp 10443/tcp
    echo "$me: SBC is running (fake)"
    ;;
  start | stop | restart | status | rm | upgrade)
    image=""
    while getopts "s:i:" opt; do
      case $opt in
        s) ;;
        i) [ "$sub" = upgrade ] || fh_illegal_option "$me"; image="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    [ "$sub" = status ] || fh_mutation "$me" "$sub" "$@"
    fh_require_docker "$me"
    fh_container_exists portsip.sbc || fh_die 1 "$me: the SBC is not installed here"
    case $sub in
      start | restart) fh_container_set_running portsip.sbc true ;;
      stop) fh_container_set_running portsip.sbc false ;;
      status) printf 'portsip.sbc %s\n' "$(cat "$(fh_cdir portsip.sbc)/running")" ;;
      # v22: docker stop -t 300, then docker rm -f (set -e: no container, exit 1); the
      # firewalld service portsip-sbc, ./.configure_sbc and the data stay.
      rm) fh_container_rm portsip.sbc ;;
      upgrade)
        fh_vendor_host_setup ufw
        fh_upgrade "$me" - "$image" ./.configure_sbc SBC_IMG portsip.sbc
        ;;
    esac
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
