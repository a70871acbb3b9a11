#!/bin/sh
# Stand-in for PortSIP's im_ctl.sh, written for pbxplan's fake host from the project's domain
# notes (§2.4, §7); not the vendor's code. run: getopts f:d:p:a:A:x:i:t:EU:P:R:; -t always
# mandatory; extended mode (-E) needs -x and one of -a/-A and refuses a host with a PBX compose
# project; internal mode needs the PBX on this host. -f must exist and differ from -p. Creates
# the IM containers (project im-server-only; the token is in portsip.instantmessage's
# arguments) and ./im-server-only/.configure_im; extended mode also trusts the PBX address in
# firewalld. start|stop|restart|status|rm, upgrade [-i IMAGE] (no -t: the token is kept).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake im_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=im_ctl.sh
fh_vendor_start "$0" "$me" "$@"
sub="${1:-}"
[ "$#" -eq 0 ] || shift
dir=im-server-only

case $sub in
  run)
    fh_mutation "$me" "$sub" "$@"
    files="" dbimage="portsip/postgresql:14.12" data="/var/lib/portsip" priv="" pub="" pbx="" image="portsip/pbx:22" token="" extended=0
    while getopts "f:d:p:a:A:x:i:t:EU:P:R:" opt; do
      case $opt in
        f) files="$OPTARG" ;;
        d) dbimage="$OPTARG" ;;
        p) data="$OPTARG" ;;
        a) priv="$OPTARG" ;;
        A) pub="$OPTARG" ;;
        x) pbx="$OPTARG" ;;
        i) image="$OPTARG" ;;
        t) token="$OPTARG" ;;
        E) extended=1 ;;
        U | P | R) ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    shift $((OPTIND - 1))
    [ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
    fh_require_docker "$me"
    [ -n "$token" ] || fh_die 1 "$me: option -t not specified (the IM token from the web portal)"
    if [ -n "$files" ]; then
      [ -d "$(fh_host_path "$files")" ] || fh_die 1 "$me: the chat file directory $files does not exist"
      [ "$files" != "$data" ] || fh_die 1 "$me: -f must differ from -p"
    fi
    if [ "$extended" = 1 ]; then
      [ -n "$pbx" ] || fh_die 1 "$me: option -x not specified"
      [ -n "$priv$pub" ] || fh_die 1 "$me: option -a or -A not specified"
      if fh_projects | grep -q pbx; then fh_die 1 "$me: a PBX is installed on this host; extended mode needs its own server"; fi
    else
      fh_projects | grep -q pbx || fh_die 1 "$me: internal mode needs the PBX on this host"
      for d in pbx postgresql pbx/system.ini; do
        [ -e "$(fh_host_path "$data")/$d" ] || fh_die 1 "$me: internal mode needs $data/$d"
      done
      priv=127.0.0.1 pbx=127.0.0.1
    fi
    fh_write_config "./$dir/.configure_im" "DATA_PATH=$data" "PRI_IP_ADDRESS=$priv" "PUB_IP_ADDRESS=$pub" \
      "PBX_IP_ADDRESS=$pbx" "IM_IMG=$image" "DB_IMG=$dbimage" "EXTEND_SVC_TYPE=$dir" "RUNNING_MODE=$extended" "STORAGE=$files"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    fh_pull_checked "$me" "$image" 22.0
    if [ "$extended" = 1 ]; then
      fh_pull "$dbimage"
      mkdir -p "$(fh_host_path "$data")/im-data" "$(fh_host_path "$data")/im-postgresql"
      fh_container_create portsip.database "$dbimage" "$dir"
      fh_container_create portsip.webserver "$image" "$dir"
      fh_container_create portsip.instantmessage "$image" "$dir" -E -a "$pbx" -x "$priv" -z "$pub" -t "$token"
      fh_fw_service portsip-im 8887/tcp
      fh_fw_zone_add permanent trusted sources "$pbx"
      fh_fw_reload
    else
      fh_container_create portsip.instantmessage "$image" "$dir" -a "$pbx" -x "$priv" -t "$token"
    fi
    echo "$me: IM server is running (fake)"
    ;;
  start | stop | restart | status | rm | upgrade)
    image=""
    while getopts "i:" opt; do
      case $opt in
        i) [ "$sub" = upgrade ] || fh_illegal_option "$me"; image="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    [ "$sub" = status ] || fh_mutation "$me" "$sub" "$@"
    fh_require_docker "$me"
    [ -d "./$dir" ] || fh_die 1 "$me: no IM configuration found"
    fh_container_exists portsip.instantmessage || fh_die 1 "$me: the IM server is not installed here"
    for c in $(fh_project_containers "$dir"); do
      case $sub in
        start | restart) fh_container_set_running "$c" true ;;
        stop) fh_container_set_running "$c" false ;;
        status) printf '%s %s\n' "$c" "$(cat "$(fh_cdir "$c")/running")" ;;
        rm) fh_container_rm "$c" ;;
        upgrade)
          fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
          [ -n "$image" ] || image="$(sed -n 's/^IM_IMG=//p' "./$dir/.configure_im")"
          fh_pull_checked "$me" "$image" 22.0
          [ "$c" = portsip.database ] || printf '%s\n' "$image" >"$(fh_cdir "$c")/image"
          ;;
      esac
    done
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
