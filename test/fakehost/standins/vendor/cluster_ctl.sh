#!/bin/sh
# Stand-in for PortSIP's cluster_ctl.sh, written for pbxplan's fake host from the project's
# domain notes (§2.3, §7) and the facts of the v22 script; not the vendor's code. Every call
# turns automatic updates off and echoes its arguments (-P included). run: getopts
# p:a:x:i:s:n:U:P:R:, all of -p -a -x -i -s -n mandatory, -s one of media-server-only,
# queue-server-only, meeting-server-only, vr-server-only (anything else, e.g. ivr-server-only,
# is rejected), image version >= 22.0; sets the sysctl, disables ufw, writes
# ./TYPE/.configure_extend before the pull, pulls every time, writes ./TYPE/docker-compose.yml
# and (re)creates the role's container (compose project = the type). start|stop|restart|
# status|rm|upgrade need -s TYPE and ./TYPE (else exit 255). rm deletes the type's firewalld
# service and takes the container down, keeping ./TYPE and the data; it succeeds with nothing
# to remove. status is a query; an unknown subcommand prints an error and exits 0 (domain E16).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake cluster_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=cluster_ctl.sh
fh_vendor_start "$0" "$me" "$@"
fh_vendor_disables_updates
sub="${1:-}"
[ "$#" -eq 0 ] || shift

container_of() {
  case $1 in
    media-server-only) echo portsip.mediaserver ;;
    queue-server-only) echo portsip.callqueue ;;
    meeting-server-only) echo portsip.conference ;;
    vr-server-only) echo portsip.virtualreceptionist ;;
    *) return 1 ;;
  esac
}

ports_of() {
  case $1 in
    media-server-only) echo "35000-65000/udp 8840-8845/udp 8840-8845/tcp" ;;
    queue-server-only) echo "8916-8921/udp 8916-8921/tcp" ;;
    meeting-server-only) echo "8928-8933/udp 8928-8933/tcp" ;;
    vr-server-only) echo "8922-8927/udp 8922-8927/tcp" ;;
  esac
}

case $sub in
  run)
    fh_mutation "$me" "$sub" "$@"
    fh_echo_args "$@"
    data="" ip="" pbx="" image="" type="" name="" hubuser="" hubserver="" hubpass=""
    while getopts "p:a:x:i:s:n:U:P:R:" opt; do
      case $opt in
        p) data="$OPTARG" ;;
        a) ip="$OPTARG" ;;
        x) pbx="$OPTARG" ;;
        i) image="$OPTARG" ;;
        s) type="$OPTARG" ;;
        n) name="$OPTARG" ;;
        U) hubuser="$OPTARG" ;;
        R) hubserver="$OPTARG" ;;
        P) hubpass="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    shift $((OPTIND - 1))
    [ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
    for pair in "p:$data" "a:$ip" "x:$pbx" "i:$image" "s:$type" "n:$name"; do
      [ -n "${pair#?:}" ] || fh_die 1 "$me: option -${pair%%:*} not specified"
    done
    container="$(container_of "$type")" || fh_die 1 "$me: unknown service type $type (use media-server-only, queue-server-only, meeting-server-only or vr-server-only)"
    fh_require_docker "$me"
    fh_vendor_host_setup ufw
    mkdir -p "./$type"
    fh_write_config "./$type/.configure_extend" "PBX_DATA_PATH=$data" "IP_ADDRESS=$ip" "PBX_IP_ADDRESS=$pbx" \
      "PBX_IMG=$image" "EXTEND_SVC_TYPE=$type" "EXTEND_SVC_NAME=$name" "EXTEND_SVC_DATAPATH=$data/$type" \
      "HUB_USER=$hubuser" "HUB_SERVER=$hubserver"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    fh_vendor_login "$hubuser" "$hubpass" "$hubserver"
    fh_pull_checked "$me" "$image" 22.0
    printf 'services:\n  %s:\n    image: %s\n    command: ["-E", "-a", "%s", "-x", "%s", "-n", "%s"]\n' "$type" "$image" "$pbx" "$ip" "$name" >"./$type/docker-compose.yml"
    mkdir -p "$(fh_host_path "$data")/$type"
    fh_container_create "$container" "$image" "$type" -E -a "$pbx" -x "$ip" -n "$name"
    # shellcheck disable=SC2046 # port specs are single words
    fh_fw_service "$type" $(ports_of "$type")
    echo "$me: $type \"$name\" is running (fake)"
    ;;
  start | stop | restart | status | rm | upgrade)
    type="" image=""
    while getopts "s:i:" opt; do
      case $opt in
        s) type="$OPTARG" ;;
        i) [ "$sub" = upgrade ] || fh_illegal_option "$me"; image="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    [ "$sub" = status ] || fh_mutation "$me" "$sub" "$@"
    [ "$sub" = upgrade ] || fh_echo_args "$@"
    # The real op() exits -1 (255) without -s or without ./TYPE.
    [ -n "$type" ] || fh_die 255 "$me: option -s not specified"
    [ -d "./$type" ] || fh_die 255 "$me: no service configuration found for $type"
    fh_require_docker "$me"
    container="$(container_of "$type")" || fh_die 1 "$me: unknown service type $type"
    # rm is `docker compose down -v`, which succeeds with nothing to remove; the others need
    # the container.
    [ "$sub" = rm ] || fh_container_exists "$container" || fh_die 1 "$me: $type is not running here"
    case $sub in
      start | restart) fh_container_set_running "$container" true ;;
      stop) fh_container_set_running "$container" false ;;
      status) printf '%s %s\n' "$container" "$(cat "$(fh_cdir "$container")/running")" ;;
      rm)
        # v22: the firewalld service of the type is deleted (it leaves every zone, as
        # firewalld's removeService does), firewalld reloaded, then the compose project taken
        # down with its volumes: bind mounts, so the data under -p and ./TYPE/.configure_extend
        # stay. The PBX's trust of this host is not the script's business (it runs here).
        rm -f "$FH/state/firewalld/permanent/services/$type"
        for z in "$FH/state/firewalld/permanent/zones"/*; do
          [ -d "$z" ] && fh_del_line "$z/services" "$type"
        done
        fh_fw_reload
        fh_container_rm "$container"
        ;;
      upgrade)
        fh_vendor_host_setup ufw
        fh_upgrade "$me" 22.0 "$image" "./$type/.configure_extend" PBX_IMG "$container"
        ;;
    esac
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
