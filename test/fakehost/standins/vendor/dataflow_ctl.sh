#!/bin/sh
# Stand-in for PortSIP's dataflow_ctl.sh, written for pbxplan's fake host from the project's
# domain notes (§2.5, §7) and the facts of the v22 script; not the vendor's code. Every call
# turns automatic updates off and echoes its arguments (-P included). run: getopts
# d:p:a:A:x:i:U:P:R:, -x and one of -a/-A mandatory, PBX image version >= 22.3; no token flag
# (E11). Sets the sysctl, pulls every time, writes ./dataflow-server-only/.configure_dataflow
# after the pull, keeps the ClickHouse password of an earlier install (and prints it) or makes
# one, writes ./dataflow-server-only/docker-compose*.yml holding it under the caller's umask,
# and (re)creates portsip.clickhouse and portsip.dataflow (project dataflow-server-only); no
# firewall change (E17). upgrade parses only -i (E13: -d is reported and ignored). rm takes
# the containers down (the record, compose files and data stay). status is a query.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake dataflow_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=dataflow_ctl.sh
fh_vendor_start "$0" "$me" "$@"
fh_vendor_disables_updates
sub="${1:-}"
[ "$#" -eq 0 ] || shift
dir=dataflow-server-only

case $sub in
  run)
    fh_mutation "$me" "$sub" "$@"
    fh_echo_args "$@"
    chimage="portsip/clickhouse:25.8" data="/var/lib/portsip" priv="" pub="" pbx="" image="portsip/pbx:22"
    hubuser="" hubserver="" hubpass=""
    while getopts "d:p:a:A:x:i:U:P:R:" opt; do
      case $opt in
        d) chimage="$OPTARG" ;;
        p) data="$OPTARG" ;;
        a) priv="$OPTARG" ;;
        A) pub="$OPTARG" ;;
        x) pbx="$OPTARG" ;;
        i) image="$OPTARG" ;;
        U) hubuser="$OPTARG" ;;
        R) hubserver="$OPTARG" ;;
        P) hubpass="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    shift $((OPTIND - 1))
    [ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
    fh_require_docker "$me"
    [ -n "$pbx" ] || fh_die 1 "$me: option -x not specified"
    [ -n "$priv$pub" ] || fh_die 1 "$me: option -a or -A not specified"
    fh_vendor_host_setup no-ufw
    mkdir -p "./$dir"
    fh_vendor_login "$hubuser" "$hubpass" "$hubserver"
    fh_pull_checked "$me" "$image" 22.3
    fh_write_config "./$dir/.configure_dataflow" "DATA_PATH=$data" "PRI_IP_ADDRESS=$priv" "PUB_IP_ADDRESS=$pub" \
      "PBX_IP_ADDRESS=$pbx" "DATAFLOW_IMG=$image" "DB_IMG=$chimage" "EXTEND_SVC_TYPE=$dir" \
      "HUB_USER=$hubuser" "HUB_SERVER=$hubserver"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    fh_pull "$chimage"
    mkdir -p "$(fh_host_path "$data")/dataflow" "$(fh_host_path "$data")/clickhouse/data" "$(fh_host_path "$data")/clickhouse/log"
    password="$(fh_ini_value "$(fh_host_path "$data")/dataflow/system.ini" dataflow password)"
    if [ -n "$password" ]; then
      echo "[info]: use existed old password $password"
      echo "$me: warning: run on a live Data Flow server re-creates its containers and bounces ClickHouse (C30)" >&2
    else
      password="$(fh_new_password)"
    fi
    printf 'services:\n  clickhouse:\n    environment:\n      - CLICKHOUSE_PASSWORD=%s\n' "$password" >"./$dir/docker-compose-portsip-dataflow-init.yml"
    printf 'services:\n  clickhouse:\n    image: %s\n    environment:\n      - CLICKHOUSE_PASSWORD=%s\n  dataflow:\n    image: %s\n' "$chimage" "$password" "$image" >"./$dir/docker-compose.yml"
    fh_container_file "$(fh_host_path "$data")/dataflow/system.ini" "$(printf '[dataflow]\npassword = %s\n' "$password")"
    fh_container_create portsip.clickhouse "$chimage" "$dir"
    fh_container_create portsip.dataflow "$image" "$dir" serve -D /var/lib/portsip/dataflow -a "$pbx" -x "$priv" -z "$pub"
    echo "$me: Data Flow is running (fake)"
    ;;
  start | stop | restart | status | rm | upgrade)
    image=""
    while getopts "i:" opt; do
      case $opt in
        i) [ "$sub" = upgrade ] || fh_illegal_option "$me"; image="$OPTARG" ;;
        *) [ "$sub" = upgrade ] || fh_illegal_option "$me" ;;
      esac
    done
    [ "$sub" = status ] || fh_mutation "$me" "$sub" "$@"
    [ "$sub" = upgrade ] || fh_echo_args "$@"
    fh_require_docker "$me"
    # The real op() exits -1 (255) without ./dataflow-server-only. rm is `docker compose down
    # -v` there: it needs the compose file and succeeds with nothing to remove; the others need
    # the containers.
    [ -d "./$dir" ] || fh_die 255 "$me: no service configuration found, not exist directory $dir"
    if [ "$sub" = rm ]; then
      [ -f "./$dir/docker-compose.yml" ] || fh_die 1 "$me: open $dir/docker-compose.yml: no such file or directory"
    else
      fh_container_exists portsip.dataflow || fh_die 1 "$me: Data Flow is not installed here"
    fi
    for c in $(fh_project_containers "$dir"); do
      case $sub in
        start | restart) fh_container_set_running "$c" true ;;
        stop) fh_container_set_running "$c" false ;;
        status) printf '%s %s\n' "$c" "$(cat "$(fh_cdir "$c")/running")" ;;
        rm) fh_container_rm "$c" ;;
        upgrade) ;;
      esac
    done
    if [ "$sub" = upgrade ]; then
      fh_vendor_host_setup no-ufw
      # shellcheck disable=SC2046 # container names are single words
      fh_upgrade "$me" 22.3 "$image" "./$dir/.configure_dataflow" DATAFLOW_IMG $(fh_project_containers "$dir")
    fi
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
