#!/bin/sh
# Stand-in for PortSIP's pbx_ctl.sh, written for pbxplan's fake host from the project's domain
# notes (§2.1, §7) and the facts of the v22 script; not the vendor's code. Every call turns
# automatic updates off. run: getopts p:a:i:d:f:U:P:R:, -p -a -i mandatory, -f must exist;
# sets the unprivileged-port sysctl and disables ufw, keeps the database password of an earlier
# install (<p>/pbx/system.ini) or makes one, writes ./pbx/.configure_pbx (DB_PASSWORD included)
# before the pull, pulls every time, writes ./pbx/docker-compose-portsip-pbx*.yml (with the
# password), all under the caller's umask, and (re)creates the PBX containers (compose project
# "pbx"): a second run recreates them and bounces the database. start|stop|restart|status
# [-s SERVICE] (restart stops with a 300 s timeout), rm (containers only: data, record and
# firewalld service stay), up, upgrade [-i IMAGE]. status is a
# query; every other subcommand is a mutation, and an unknown subcommand prints an error and
# exits 0 (domain E16).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake pbx_ctl.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=pbx_ctl.sh
fh_vendor_start "$0" "$me" "$@"
fh_vendor_disables_updates
sub="${1:-}"
[ "$#" -eq 0 ] || shift

installed() { [ -n "$(fh_project_containers pbx)" ]; }

case $sub in
  run | up)
    fh_mutation "$me" "$sub" "$@"
    data="" ip="" image="" dbimage="portsip/postgresql:14.12" storage="" hubuser="" hubserver="" hubpass=""
    while getopts "p:a:i:d:f:U:P:R:" opt; do
      case $opt in
        p) data="$OPTARG" ;;
        a) ip="$OPTARG" ;;
        i) image="$OPTARG" ;;
        d) dbimage="$OPTARG" ;;
        f) storage="$OPTARG" ;;
        U) hubuser="$OPTARG" ;;
        R) hubserver="$OPTARG" ;;
        P) hubpass="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    shift $((OPTIND - 1))
    [ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
    fh_require_docker "$me"
    fh_vendor_host_setup ufw
    [ -n "$data" ] || fh_die 1 "$me: option -p not specified"
    [ -n "$ip" ] || fh_die 1 "$me: option -a not specified"
    [ -n "$image" ] || fh_die 1 "$me: option -i not specified"
    if [ -n "$storage" ] && [ ! -d "$(fh_host_path "$storage")" ]; then
      fh_die 1 "$me: the storage directory $storage does not exist"
    fi
    if [ "$sub" = up ]; then
      for c in $(fh_project_containers pbx); do fh_container_rm "$c"; done
    elif installed; then
      echo "$me: warning: run on a live PBX re-creates its containers and bounces the database (C30)" >&2
    fi
    mkdir -p ./pbx "$(fh_host_path "$data")/pbx" "$(fh_host_path "$data")/postgresql"
    password="$(fh_ini_value "$(fh_host_path "$data")/pbx/system.ini" database superuser_password)"
    [ -n "$password" ] || password="$(fh_new_password)"
    echo "[info]: variables"
    echo "    datapath: $data"
    echo "    ip      : $ip"
    echo "    pbx  img: $image"
    echo "    hub user: $hubuser"
    fh_write_config ./pbx/.configure_pbx "PBX_DATA_PATH=$data" "IP_ADDRESS=$ip" "PBX_IMG=$image" "PBX_DB_IMG=$dbimage" \
      "DB_PASSWORD=$password" "STORAGE=$storage" "HUB_USER=$hubuser" "HUB_SERVER=$hubserver"
    fh_should_fail "$me" "$sub" && fh_injected_failure "$me"
    fh_vendor_login "$hubuser" "$hubpass" "$hubserver"
    fh_pull_checked "$me" "$image" 22.0
    fh_pull "$dbimage"
    ver="$(fh_image_version "$image")"
    printf 'services:\n  database:\n    image: %s\n    environment:\n      - POSTGRES_PASSWORD=%s\n' "$dbimage" "$password" >./pbx/docker-compose-portsip-pbx-init.yml
    printf 'services:\n  database:\n    image: %s\n    environment:\n      - POSTGRES_PASSWORD=%s\n  callmanager:\n    image: %s\n' "$dbimage" "$password" "$image" >./pbx/docker-compose-portsip-pbx.yml
    printf '%s\n' "$ver" >"$(fh_host_path "$data")/pbx/VERSION"
    fh_container_file "$(fh_host_path "$data")/pbx/system.ini" "$(printf '[database]\nsuperuser_password = %s\n' "$password")"
    extra=ai
    fh_version_ge "$ver" 22.3 || extra=databoard
    fh_container_create portsip.database "$dbimage" pbx
    for svc in nats callmanager mediaserver webserver wsspublisher voicemail virtualreceptionist notificationcenter provision conference callqueue callpark announcement loadbalancer gateway "$extra"; do
      fh_container_create "portsip.$svc" "$image" pbx
    done
    fh_fw_service portsip-pbx 80/tcp 443/tcp 4222/tcp 5060/udp 5061/tcp 5063/tcp 8885/tcp 8887-8889/tcp 45000-65000/udp
    fh_fw_zone_add permanent public services ssh
    fh_fw_reload
    fh_host_effect "firewalld service portsip-pbx rewritten, ssh added to the default zone"
    echo "$me: PBX $ver is running (fake)"
    ;;
  start | stop | restart | status)
    svc=""
    while getopts "s:" opt; do
      case $opt in
        s) svc="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    [ "$sub" = status ] || fh_mutation "$me" "$sub" "$@"
    fh_require_docker "$me"
    installed || fh_die 1 "$me: the PBX is not installed here (no containers of project pbx)"
    [ "$sub" = status ] || ! fh_should_fail "$me" "$sub" || fh_injected_failure "$me"
    if [ -n "$svc" ]; then
      c="$svc"
      case $c in portsip.*) ;; *) c="portsip.$svc" ;; esac
      fh_container_exists "$c" || fh_die 1 "$me: no such service: $svc"
      set -- "$c"
    else
      # shellcheck disable=SC2046 # container names are single words
      set -- $(fh_project_containers pbx)
    fi
    # restart and stop: docker compose stop -t 300, every PBX service unless -s names one.
    [ "$sub" = status ] || echo "[info]: $sub (stop timeout 300 s)"
    for c in "$@"; do
      case $sub in
        start | restart) fh_container_set_running "$c" true ;;
        stop) fh_container_set_running "$c" false ;;
        status) printf '%s %s\n' "$c" "$(cat "$(fh_cdir "$c")/running")" ;;
      esac
    done
    ;;
  rm)
    # v22: `docker compose -f docker-compose-portsip-pbx.yml down -v` in ./pbx (set -e: no
    # compose file, exit 1). Every PBX container goes; the volumes are bind mounts, so the data
    # under -p stays, and so do ./pbx/.configure_pbx and the firewalld service portsip-pbx
    # (its deletion is commented out in the script).
    fh_mutation "$me" "$sub" "$@"
    fh_require_docker "$me"
    [ -f ./pbx/docker-compose-portsip-pbx.yml ] || fh_die 1 "$me: open docker-compose-portsip-pbx.yml: no such file or directory"
    for c in $(fh_project_containers pbx); do fh_container_rm "$c"; done
    ;;
  upgrade)
    fh_mutation "$me" "$sub" "$@"
    image=""
    while getopts "i:" opt; do
      case $opt in
        i) image="$OPTARG" ;;
        *) fh_illegal_option "$me" ;;
      esac
    done
    fh_require_docker "$me"
    fh_vendor_host_setup ufw
    if [ ! -f ./pbx/.configure_pbx ] || ! installed; then fh_die 1 "$me: nothing to upgrade"; fi
    # shellcheck disable=SC2046 # container names are single words
    fh_upgrade "$me" 22.0 "$image" ./pbx/.configure_pbx PBX_IMG $(fh_project_containers pbx)
    data="$(sed -n 's/^PBX_DATA_PATH=//p' ./pbx/.configure_pbx)"
    fh_image_version "$(sed -n 's/^PBX_IMG=//p' ./pbx/.configure_pbx)" >"$(fh_host_path "$data")/pbx/VERSION"
    ;;
  *)
    echo "$me: unknown command: $sub" >&2
    exit 0
    ;;
esac
