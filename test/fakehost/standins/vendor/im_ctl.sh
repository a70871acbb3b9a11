#!/bin/sh
# Stand-in for PortSIP's im_ctl.sh, written for pbxplan's fake host from the project's domain
# notes (§2.4, §7) and the facts of the v22 script; not the vendor's code. Every call turns
# automatic updates off and echoes its arguments (the token and -P included). run: getopts
# f:d:p:a:A:x:i:t:EU:P:R:; -t always mandatory; extended mode (-E) needs -x and one of -a/-A
# and refuses a host with a PBX compose project; internal mode needs the PBX on this host. -f
# must exist and differ from -p. Sets the sysctl, pulls every time, prints the token again,
# writes ./im-server-only/.configure_im after the pull and ./im-server-only/docker-compose.yml
# holding the token (extended mode also a generated database password), all under the
# caller's umask, and (re)creates the IM containers (project im-server-only; the token is in
# portsip.instantmessage's arguments); extended mode also disables ufw and trusts the PBX
# address in firewalld. A second run recreates them and bounces the database.
# start|stop|restart|status|rm, upgrade [-i IMAGE] (no -t: the token is kept). rm takes the
# containers down and nothing else: the PBX address stays trusted in firewalld and the
# firewalld service portsip-im stays, as do the record, the compose files and the data.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake im_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=im_ctl.sh
fh_vendor_start "$0" "$me" "$@"
fh_vendor_disables_updates
sub="${1:-}"
[ "$#" -eq 0 ] || shift
dir=im-server-only

case $sub in
  run)
    fh_mutation "$me" "$sub" "$@"
    fh_echo_args "$@"
    files="" dbimage="portsip/postgresql:14.12" data="/var/lib/portsip" priv="" pub="" pbx="" image="portsip/pbx:22" token="" extended=0
    hubuser="" hubserver="" hubpass=""
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
        U) hubuser="$OPTARG" ;;
        R) hubserver="$OPTARG" ;;
        P) hubpass="$OPTARG" ;;
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
    if [ "$extended" = 1 ]; then fh_vendor_host_setup ufw; else fh_vendor_host_setup no-ufw; fi
    mkdir -p "./$dir"
    echo "[info]: variables"
    echo "ip(pbx)   : $pbx"
    echo "im img    : $image"
    echo "token     : $token"
    fh_vendor_login "$hubuser" "$hubpass" "$hubserver"
    fh_pull_checked "$me" "$image" 22.0
    fh_write_config "./$dir/.configure_im" "DATA_PATH=$data" "PRI_IP_ADDRESS=$priv" "PUB_IP_ADDRESS=$pub" \
      "PBX_IP_ADDRESS=$pbx" "IM_IMG=$image" "DB_IMG=$dbimage" "EXTEND_SVC_TYPE=$dir" "RUNNING_MODE=$extended" "STORAGE=$files" \
      "HUB_USER=$hubuser" "HUB_SERVER=$hubserver"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    if [ "$extended" = 1 ]; then
      if fh_container_exists portsip.instantmessage; then
        echo "$me: warning: run on a live IM server re-creates its containers and bounces the database (C30)" >&2
      fi
      fh_pull "$dbimage"
      mkdir -p "$(fh_host_path "$data")/im-data" "$(fh_host_path "$data")/im-postgresql"
      chmod 755 "$(fh_host_path "$data")/im-data" "$(fh_host_path "$data")/im-postgresql"
      password="$(fh_ini_value "$(fh_host_path "$data")/im-data/system.ini" database superuser_password)"
      [ -n "$password" ] || password="$(fh_new_password)"
      fh_container_file "$(fh_host_path "$data")/im-data/system.ini" "$(printf '[database]\nsuperuser_password = %s\n' "$password")"
      printf 'services:\n  database:\n    environment:\n      - POSTGRES_PASSWORD=%s\n' "$password" >"./$dir/docker-compose-portsip-im-init.yml"
      printf 'services:\n  database:\n    image: %s\n    environment:\n      - POSTGRES_PASSWORD=%s\n  instantmessage:\n    image: %s\n    command: ["serve", "-E", "-t", "%s", "-a", "%s", "-x", "%s", "-z", "%s"]\n' \
        "$dbimage" "$password" "$image" "$token" "$pbx" "$priv" "$pub" >"./$dir/docker-compose.yml"
      fh_container_create portsip.database "$dbimage" "$dir"
      fh_container_create portsip.webserver "$image" "$dir"
      fh_container_create portsip.instantmessage "$image" "$dir" -E -a "$pbx" -x "$priv" -z "$pub" -t "$token"
      fh_fw_service portsip-im 8887/tcp
      fh_fw_zone_add permanent trusted sources "$pbx"
      fh_fw_reload
      fh_host_effect "firewalld service portsip-im rewritten, $pbx trusted"
    else
      printf 'services:\n  instantmessage:\n    image: %s\n    command: ["serve", "-D", "/var/lib/portsip/pbx", "-t", "%s"]\n' "$image" "$token" >"./$dir/docker-compose.yml"
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
    [ "$sub" = upgrade ] || fh_echo_args "$@"
    fh_require_docker "$me"
    # The real op() exits -1 (255) without ./im-server-only. rm is `docker compose down -v`
    # there: it needs the compose file and succeeds with nothing to remove; the others need the
    # containers.
    [ -d "./$dir" ] || fh_die 255 "$me: no service configuration found, not exist directory $dir"
    if [ "$sub" = rm ]; then
      [ -f "./$dir/docker-compose.yml" ] || fh_die 1 "$me: open $dir/docker-compose.yml: no such file or directory"
    else
      fh_container_exists portsip.instantmessage || fh_die 1 "$me: the IM server is not installed here"
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
      fh_vendor_host_setup ufw
      echo "token     : $(sed -n 's/.*"-t", "\([^"]*\)".*/\1/p' "./$dir/docker-compose.yml")"
      # shellcheck disable=SC2046 # container names are single words
      fh_upgrade "$me" 22.0 "$image" "./$dir/.configure_im" IM_IMG $(fh_project_containers "$dir")
    fi
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
