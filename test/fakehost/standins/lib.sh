# shellcheck shell=sh
# Shared by every stand-in of the fake host (sourced, never run). Test code written for pbxplan:
# it models the observable effects of outside commands and of the PortSIP scripts, from the facts
# in the project's domain notes. State lives in files under "$PBXPLAN_ROOT/.fakehost":
#   facts/      what the test says the host is (addresses, CPUs, memory, disk, NTP, registry…)
#   state/      what the stand-ins changed (packages, units, containers, firewalld, SSH, HA…)
#   mutations.log  one line per state-changing call; read-only queries never write here
#   argv.log       one line per vendor-script call, its exact argv
# A log line is the command name and its arguments, separated by single spaces, each argument
# percent-encoded outside [A-Za-z0-9_./:,=@+-] (an empty argument is written "").

if [ -z "${PBXPLAN_ROOT:-}" ] || [ ! -d "${PBXPLAN_ROOT:-}/.fakehost" ]; then
  echo "fake host: PBXPLAN_ROOT does not name a fake root; refusing to touch the real system" >&2
  exit 99
fi
FH="$PBXPLAN_ROOT/.fakehost"

# FAKEHOST_EXIT=name:code[,…] makes the named stand-in exit with that code before it does
# anything: a tool answering with a code the bundle must not mistake for one of its own.
for _fh_e in $(printf '%s' "${FAKEHOST_EXIT:-}" | tr ',' ' '); do
  if [ "${_fh_e%%:*}" = "${0##*/}" ]; then
    echo "${0##*/}: exit ${_fh_e#*:} forced by FAKEHOST_EXIT" >&2
    exit "${_fh_e#*:}"
  fi
done

fh_die() {
  _fh_code="$1"
  shift
  printf '%s\n' "$*" >&2
  exit "$_fh_code"
}

# ---- log lines ---------------------------------------------------------------------------
fh_enc() {
  case $1 in
    '') printf '""' ;;
    *[!A-Za-z0-9_./:,=@+-]*)
      printf '%s' "$1" | od -An -v -tu1 | awk '{
        for (i = 1; i <= NF; i++) {
          c = $i + 0
          if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 43 || c == 44 || c == 45 || c == 46 || c == 47 || c == 58 || c == 61 || c == 64 || c == 95) printf "%c", c
          else printf "%%%02X", c
        }
      }'
      ;;
    *) printf '%s' "$1" ;;
  esac
}

fh_line() {
  _fh_l=""
  for _fh_a in "$@"; do
    _fh_l="$_fh_l${_fh_l:+ }$(fh_enc "$_fh_a")"
  done
  printf '%s\n' "$_fh_l"
}

fh_mutation() {
  fh_line "$@" >>"$FH/mutations.log"
}

fh_argv() {
  fh_line "$@" >>"$FH/argv.log"
}

# ---- facts and state files ---------------------------------------------------------------
# fh_fact NAME DEFAULT: the first line of facts/NAME, or DEFAULT.
fh_fact() {
  if [ -f "$FH/facts/$1" ]; then
    _fh_v=""
    IFS= read -r _fh_v <"$FH/facts/$1" || true
    printf '%s\n' "$_fh_v"
  else
    printf '%s\n' "$2"
  fi
}

fh_has_line() { # FILE LINE
  [ -f "$1" ] && grep -Fxq -- "$2" "$1"
}

fh_add_line() { # FILE LINE
  [ -d "${1%/*}" ] || mkdir -p "${1%/*}"
  fh_has_line "$1" "$2" || printf '%s\n' "$2" >>"$1"
}

fh_del_line() { # FILE LINE
  if fh_has_line "$1" "$2"; then
    grep -Fxv -- "$2" "$1" >"$1.new" || true
    mv "$1.new" "$1"
  fi
}

# A path a stand-in is asked to touch on the host must lie inside the fake root: a path
# outside it means the caller forgot the $ROOT prefix.
fh_in_root() {
  case $1 in
    "$PBXPLAN_ROOT" | "$PBXPLAN_ROOT"/*) return 0 ;;
  esac
  fh_die 99 "fake host: $2 was given a path outside the fake root: $1 (missing \$ROOT prefix?)"
}

# ---- failure switch ----------------------------------------------------------------------
# FAKEHOST_FAIL=name[,name:subcommand…] makes the named vendor stand-ins fail mid-way, with exit
# status FAKEHOST_FAIL_CODE (default 1; 100 is how a failing apt-get inside them ends them).
fh_should_fail() { # SCRIPT SUBCOMMAND
  case ",${FAKEHOST_FAIL:-}," in
    *",$1,"* | *",$1:$2,"*) return 0 ;;
  esac
  return 1
}

fh_injected_failure() {
  fh_die "${FAKEHOST_FAIL_CODE:-1}" "$1: failure injected by FAKEHOST_FAIL"
}

# ---- packages and units -------------------------------------------------------------------
fh_pkg_installed() { fh_has_line "$FH/state/packages" "$1"; }
fh_pkg_add() { fh_add_line "$FH/state/packages" "$1"; }
fh_pkg_del() { fh_del_line "$FH/state/packages" "$1"; }

# Units: state/units/NAME holds "installed", "enabled", "active" or "masked" lines.
fh_unit_has() { fh_has_line "$FH/state/units/$1" "$2"; }
fh_unit_set() { fh_add_line "$FH/state/units/$1" "$2"; }
fh_unit_unset() { fh_del_line "$FH/state/units/$1" "$2"; }

fh_install_unit() { # NAME: installed, enabled and started, like a Debian package does
  fh_unit_set "$1" installed
  fh_unit_set "$1" enabled
  fh_unit_set "$1" active
}

# Puts a stand-in from the fake package pool onto the host (as a package would install it).
fh_install_bin() { # NAME DIR
  mkdir -p "$PBXPLAN_ROOT$2"
  cp "$FH/pkg/$1" "$PBXPLAN_ROOT$2/$1"
  chmod 755 "$PBXPLAN_ROOT$2/$1"
}

# ---- dpkg's conffile question --------------------------------------------------------------
# With facts/conffile-prompt, the next upgrade meets a changed /etc/cloud/cloud.cfg and dpkg asks
# "(Y/I/N/O/D/Z)". DEBIAN_FRONTEND does not answer it; these do: --force-confnew/--force-confold
# in DPKG_FORCE, in dpkg options apt passes on (-o Dpkg::Options::=…, or Dpkg::Options in the
# file APT_CONFIG names), or an answer on standard input. Without one (no terminal: end of
# file), dpkg fails and leaves cloud-init half-configured (state/dpkg/half-configured, which
# `dpkg --audit` lists). The answer is kept in state/conffiles/cloud.cfg (new or old).
fh_dpkg_conffile() { # apt|dpkg [APT -o VALUE…]: who runs dpkg (only apt reads APT_CONFIG)
  [ -f "$FH/facts/conffile-prompt" ] || return 0
  [ ! -f "$FH/state/conffiles/cloud.cfg" ] || return 0
  _fh_by="$1"
  shift
  _fh_ans=""
  _fh_opts="$* ${DPKG_FORCE:-}"
  if [ "$_fh_by" = apt ] && [ -n "${APT_CONFIG:-}" ] && [ -f "$APT_CONFIG" ]; then _fh_opts="$_fh_opts $(tr '\n' ' ' <"$APT_CONFIG")"; fi
  case $_fh_opts in
    *confnew*) _fh_ans=Y ;;
    *confold*) _fh_ans=N ;;
  esac
  if [ -z "$_fh_ans" ]; then
    printf 'Configuration file /etc/cloud/cloud.cfg\n ==> Modified (by you or by a script) since installation.\n ==> Package distributor has shipped an updated version.\n   What would you like to do about it ?  Your options are:\n    Y or I  : install the package maintainer'"'"'s version\n    N or O  : keep your currently-installed version\n*** cloud.cfg (Y/I/N/O/D/Z) [default=N] ? '
    if ! IFS= read -r _fh_ans; then
      echo
      mkdir -p "$FH/state/dpkg"
      fh_add_line "$FH/state/dpkg/half-configured" cloud-init
      fh_host_effect "cloud-init left half-configured: the cloud.cfg question had no answer"
      fh_die 100 "dpkg: error processing package cloud-init (--configure):
 end of file on stdin at conffile prompt
E: Sub-process /usr/bin/dpkg returned an error code (1)"
    fi
  fi
  mkdir -p "$FH/state/conffiles"
  case $_fh_ans in
    Y | y | I | i) echo new >"$FH/state/conffiles/cloud.cfg" ;;
    *) echo old >"$FH/state/conffiles/cloud.cfg" ;;
  esac
  fh_del_line "$FH/state/dpkg/half-configured" cloud-init
}

# ---- images and the fake registry ---------------------------------------------------------
fh_image_key() { printf '%s' "$1" | sed 's/[^A-Za-z0-9._-]/_/g'; }

# The version label an image carries: facts/registry lines "IMAGE VERSION" first, else the tag
# read as a version (22 -> 22.0.0, 22.3 -> 22.3.0).
fh_registry_version() {
  _fh_v=""
  if [ -f "$FH/facts/registry" ]; then
    _fh_v="$(awk -v img="$1" '$1 == img { print $2; exit }' "$FH/facts/registry")"
  fi
  if [ -z "$_fh_v" ]; then
    _fh_v="${1##*:}"
    case $_fh_v in
      *[!0-9.]* | '') ;;
      *.*.*) ;;
      *.*) _fh_v="$_fh_v.0" ;;
      *) _fh_v="$_fh_v.0.0" ;;
    esac
  fi
  printf '%s\n' "$_fh_v"
}

fh_image_present() { [ -f "$FH/state/docker/images/$(fh_image_key "$1")" ]; }

fh_image_version() { cat "$FH/state/docker/images/$(fh_image_key "$1")"; }

# An offline host (facts/offline) reaches only the hosts (host or host:port) listed in
# facts/reachable-registries: the site's own registry or mirror.
fh_reachable() { # HOST[:PORT]
  case $1 in 127.* | localhost | localhost:*) fh_local_registry "$1"; return ;; esac
  [ ! -f "$FH/facts/offline" ] && return 0
  fh_has_line "$FH/facts/reachable-registries" "$1" || fh_has_line "$FH/facts/reachable-registries" "${1%%:*}"
}

# A registry container (registry:*) running on this host publishes HOST:PORT: on a loopback
# address only a container answers, online or not.
fh_local_registry() { # HOST:PORT
  for _fh_c in "$FH/state/docker/containers"/*; do
    if [ ! -f "$_fh_c/ports" ] || [ "$(cat "$_fh_c/running")" != true ]; then continue; fi
    case $(cat "$_fh_c/image") in registry:*) ;; *) continue ;; esac
    grep -q "^$1:" "$_fh_c/ports" && return 0
  done
  return 1
}

# A loopback registry holds IMAGE (a Docker Hub name, pushed as HOST:PORT/IMAGE).
fh_local_registry_has() { # HOST:PORT IMAGE
  [ -f "$FH/state/docker/registries/$1/$(fh_image_key "$2")" ]
}

# The host[:port] of a URL.
fh_url_host() { _fh_u="${1#*://}"; printf '%s\n' "${_fh_u%%/*}"; }

# Pulls an image from the fake registry, every time it is asked (as the vendor scripts do, even
# when the image is loaded). Offline, a registry-qualified name needs its registry reachable,
# and a Docker Hub name a mirror the daemon uses that is reachable.
# facts/registry-auth: registries (host[:port]) that answer a pull only after a `docker login`
# (state/docker/logins), as a site registry does.
# The login is the one Docker stored in its client configuration (root's, or DOCKER_CONFIG):
# pbx_ctl.sh upgrade has no registry options and pulls with it, so a lost config.json makes
# its pull fail after the teardown.
fh_pull_authorised() { # IMAGE
  case ${1%%/*} in *.* | *:*) ;; *) return 0 ;; esac
  fh_has_line "$FH/facts/registry-auth" "${1%%/*}" || return 0
  fh_has_line "$FH/state/docker/logins" "${1%%/*}" || return 1
  grep -Fq -- "\"${1%%/*}\"" "${DOCKER_CONFIG:-$PBXPLAN_ROOT/root/.docker}/config.json" 2>/dev/null
}

# The real scripts log in before they pull when both -U and -P are given (the password on
# docker's command line); otherwise the pull uses the login Docker has stored.
fh_vendor_login() { # USER PASSWORD SERVER
  [ -n "$1" ] && [ -n "$2" ] || return 0
  docker login -u "$1" -p "$2" ${3:+"$3"} >/dev/null || fh_die 1 "docker login to ${3:-Docker Hub} failed"
}

fh_pull() {
  fh_pull_authorised "$1" ||
    fh_die 1 "Error response from daemon: pull access denied for $1: unauthorized: authentication required (no docker login to ${1%%/*})"
  if [ -f "$FH/facts/offline" ]; then
    _fh_reg=""
    case ${1%%/*} in *.* | *:*) _fh_reg="${1%%/*}" ;; esac
    if [ -n "$_fh_reg" ]; then
      fh_reachable "$_fh_reg" ||
        fh_die 1 "Error response from daemon: Get https://$_fh_reg/v2/: dial tcp: host unreachable (offline)"
    else
      _fh_ok=0
      if [ -s "$FH/state/docker/mirrors" ]; then
        while IFS= read -r _fh_m; do
          _fh_mh="$(fh_url_host "$_fh_m")"
          fh_reachable "$_fh_mh" || continue
          # A loopback registry answers only for what was pushed into it; a site mirror has all.
          case $_fh_mh in
            127.* | localhost*) fh_local_registry_has "$_fh_mh" "$1" && _fh_ok=1 ;;
            *) _fh_ok=1 ;;
          esac
        done <"$FH/state/docker/mirrors"
      fi
      [ "$_fh_ok" = 1 ] ||
        fh_die 1 "Error response from daemon: cannot pull $1 from Docker Hub: dial tcp: no such host (offline, and no reachable mirror)"
    fi
  fi
  mkdir -p "$FH/state/docker/images"
  fh_registry_version "$1" >"$FH/state/docker/images/$(fh_image_key "$1")"
}

# fh_version_ge A B: dotted version A >= B.
fh_version_ge() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    na = split(a, x, "."); nb = split(b, y, ".")
    for (i = 1; i <= 3; i++) { p = (i <= na) ? x[i] + 0 : 0; q = (i <= nb) ? y[i] + 0 : 0; if (p != q) exit !(p > q) }
    exit 0
  }'
}

# ---- containers -----------------------------------------------------------------------------
fh_docker_running() { fh_unit_has docker active; }

fh_cdir() { printf '%s\n' "$FH/state/docker/containers/$1"; }

fh_container_exists() { [ -d "$(fh_cdir "$1")" ]; }

# fh_container_create NAME IMAGE PROJECT ARG…: a running container; ARGs are its command line.
# Creating one that exists replaces it (as compose recreates it); its generation counts how
# often it was created.
fh_container_create() {
  _fh_d="$(fh_cdir "$1")"
  _fh_g=0
  if [ -f "$_fh_d/generation" ]; then _fh_g="$(cat "$_fh_d/generation")"; fi
  mkdir -p "$_fh_d"
  printf '%s\n' "$((_fh_g + 1))" >"$_fh_d/generation"
  printf '%s\n' "$2" >"$_fh_d/image"
  printf '%s\n' "$3" >"$_fh_d/project"
  printf 'true\n' >"$_fh_d/running"
  shift 3
  fh_line "$@" >"$_fh_d/args"
}

fh_container_set_running() { # NAME true|false
  printf '%s\n' "$2" >"$(fh_cdir "$1")/running"
}

fh_container_rm() { rm -rf "$(fh_cdir "$1")"; }

fh_container_set_if_exists() { # NAME true|false
  if fh_container_exists "$1"; then fh_container_set_running "$1" "$2"; fi
}

# Containers of a compose project, one name a line.
fh_project_containers() {
  for _fh_c in "$FH/state/docker/containers"/*; do
    [ -f "$_fh_c/project" ] || continue
    [ "$(cat "$_fh_c/project")" = "$1" ] && basename "$_fh_c"
  done
  return 0
}

fh_projects() {
  for _fh_c in "$FH/state/docker/containers"/*; do
    [ -f "$_fh_c/project" ] && cat "$_fh_c/project"
  done | sed '/^$/d' | sort -u
}

# ---- firewalld -----------------------------------------------------------------------------
# state/firewalld/{permanent,runtime}/zones/ZONE/{sources,services}; permanent/services/NAME.
fh_fw_running() { fh_unit_has firewalld active; }

fh_fw_zone_add() { # permanent|runtime ZONE sources|services VALUE
  fh_add_line "$FH/state/firewalld/$1/zones/$2/$3" "$4"
}

fh_fw_zone_del() {
  fh_del_line "$FH/state/firewalld/$1/zones/$2/$3" "$4"
}

fh_fw_zone_has() {
  fh_has_line "$FH/state/firewalld/$1/zones/$2/$3" "$4"
}

fh_fw_reload() { # runtime := permanent
  rm -rf "$FH/state/firewalld/runtime"
  mkdir -p "$FH/state/firewalld/permanent"
  cp -R "$FH/state/firewalld/permanent" "$FH/state/firewalld/runtime"
}

# A firewalld service as a vendor script defines it: ports in the permanent configuration,
# enabled in the default zone, then a reload.
fh_fw_service() { # NAME PORT…
  _fh_svc="$1"
  shift
  mkdir -p "$FH/state/firewalld/permanent/services"
  printf '%s\n' "$@" >"$FH/state/firewalld/permanent/services/$_fh_svc"
  fh_fw_zone_add permanent public services "$_fh_svc"
  fh_fw_reload
}

# ---- vendor helpers ------------------------------------------------------------------------
# The vendor scripts keep their state in directories relative to where they run (C28).
fh_write_config() { # FILE KEY=VALUE…
  _fh_f="$1"
  shift
  mkdir -p "$(dirname "$_fh_f")"
  printf '%s\n' "$@" >"$_fh_f"
}

fh_require_docker() {
  command -v docker >/dev/null 2>&1 || fh_die 1 "$1: docker is not installed (run install_docker.sh first)"
  fh_docker_running || fh_die 1 "$1: Cannot connect to the Docker daemon"
}

# Data paths given to a vendor script are host paths: the fake root is put in front of them.
fh_host_path() { printf '%s%s\n' "$PBXPLAN_ROOT" "$1"; }

# ---- SSH and other hosts ---------------------------------------------------------------------
# Another host reached over SSH is a fake root of its own under remote/HOST, sharing this
# host's stand-ins; its mutations are copied into this host's log, prefixed "ssh@HOST".
# This host under one of its names or addresses.
fh_is_self() {
  [ "${1#*@}" = "$(fh_fact hostname localhost)" ] && return 0
  [ -f "$FH/facts/addresses" ] && cut -d/ -f1 "$FH/facts/addresses" | grep -Fxq -- "${1#*@}"
}

fh_remote_root() { # HOST [NAME] → prints the remote root (this root for this host), creating it on first use
  if fh_is_self "$1"; then
    printf '%s\n' "$PBXPLAN_ROOT"
    return 0
  fi
  _fh_h="${1#*@}"
  _fh_n="${2:-$_fh_h}"
  _fh_rr="$FH/remote/$_fh_h"
  if [ ! -d "$_fh_rr/.fakehost" ]; then
    mkdir -p "$_fh_rr/.fakehost/state/units" "$_fh_rr/.fakehost/facts" "$_fh_rr/etc" "$_fh_rr/root" "$_fh_rr/tmp" \
      "$_fh_rr/usr/bin" "$_fh_rr/proc/sys/kernel/random"
    cp "$FH/lib.sh" "$_fh_rr/.fakehost/lib.sh"
    cp -R "$FH/pkg" "$_fh_rr/.fakehost/pkg"
    # Same OS and accounts on every host (C5, C6).
    for _fh_f in os-release passwd group; do
      if [ -f "$PBXPLAN_ROOT/etc/$_fh_f" ]; then cp "$PBXPLAN_ROOT/etc/$_fh_f" "$_fh_rr/etc/$_fh_f"; fi
    done
    if [ -d "$PBXPLAN_ROOT/home" ]; then
      for _fh_f in "$PBXPLAN_ROOT/home"/*; do
        [ -d "$_fh_f" ] && mkdir -p "$_fh_rr/home/$(basename "$_fh_f")"
      done
    fi
    for _fh_f in cpus memory-mib disk-kib ntp-synchronized registry uid ssh-accepted-keys offline reachable-registries registry-auth; do
      if [ -f "$FH/facts/$_fh_f" ]; then cp "$FH/facts/$_fh_f" "$_fh_rr/.fakehost/facts/$_fh_f"; fi
    done
    printf '%s\n' "$_fh_n" >"$_fh_rr/.fakehost/facts/hostname"
    case $_fh_h in
      *[!0-9.]*) : >"$_fh_rr/.fakehost/facts/addresses" ;;
      *) printf '%s/24 eth0\n' "$_fh_h" >"$_fh_rr/.fakehost/facts/addresses" ;;
    esac
    printf 'fakeboot-%s-0\n' "$_fh_n" >"$_fh_rr/proc/sys/kernel/random/boot_id"
    printf 'openssh-server\n' >"$_fh_rr/.fakehost/state/packages"
    printf 'installed\nenabled\nactive\n' >"$_fh_rr/.fakehost/state/units/ssh"
    : >"$_fh_rr/.fakehost/mutations.log"
    : >"$_fh_rr/.fakehost/argv.log"
  fi
  printf '%s\n' "$_fh_rr"
}

# Password-less SSH to HOST works once ssh-copy-id has put a key there (state/ssh/authorized),
# or with a key every host accepts (facts/ssh-accepted-keys: the AWS key pair, set at launch).
fh_ssh_authorized() { # HOST [KEY_FILE]
  fh_has_line "$FH/state/ssh/authorized" "${1#*@}" && return 0
  [ -n "${2:-}" ] && [ -f "$2" ] && fh_has_line "$FH/facts/ssh-accepted-keys" "$2"
}

fh_ssh_shared_key() { # prints a key every host accepts, if there is one
  [ -f "$FH/facts/ssh-accepted-keys" ] && head -n 1 "$FH/facts/ssh-accepted-keys"
}

fh_ssh_reachable() {
  ! fh_has_line "$FH/facts/ssh-unreachable" "${1#*@}"
}

# ---- what the real scripts do to the whole host ------------------------------------------------
# Recorded in state/host-effects (one line per kind of effect) besides the state itself, so that
# a dump of the fake host shows them.
fh_host_effect() { fh_add_line "$FH/state/host-effects" "$*"; }

# Every call of a ctl script, any subcommand, on Ubuntu: unattended-upgrades stopped, disabled,
# masked and removed; the apt-daily and apt-daily-upgrade timers and services stopped, disabled
# and masked.
fh_vendor_disables_updates() {
  [ "$(sed -n 's/^ID=//p' "$PBXPLAN_ROOT/etc/os-release" 2>/dev/null | tr -d '"')" = ubuntu ] || return 0
  for _fh_u in unattended-upgrades apt-daily.timer apt-daily.service apt-daily-upgrade.timer apt-daily-upgrade.service; do
    fh_unit_unset "$_fh_u" active
    fh_unit_unset "$_fh_u" enabled
    fh_unit_set "$_fh_u" masked
  done
  fh_pkg_del unattended-upgrades
  fh_unit_unset unattended-upgrades installed
  fh_host_effect "automatic updates off: unattended-upgrades removed and masked, apt-daily and apt-daily-upgrade masked"
}

# What run and upgrade do besides the role: unprivileged ports from 0 (a sysctl file written
# under the caller's umask) and, with "ufw" (not with "no-ufw": dataflow_ctl.sh, im_ctl.sh in
# internal mode set up no firewall), ufw stopped and disabled.
fh_vendor_host_setup() { # ufw|no-ufw
  mkdir -p "$PBXPLAN_ROOT/etc/sysctl.d" "$FH/state/sysctl"
  printf 'net.ipv4.ip_unprivileged_port_start=0\n' >"$PBXPLAN_ROOT/etc/sysctl.d/ip_unprivileged_port_start.conf"
  printf '0\n' >"$FH/state/sysctl/net.ipv4.ip_unprivileged_port_start"
  fh_host_effect "net.ipv4.ip_unprivileged_port_start=0 (/etc/sysctl.d/ip_unprivileged_port_start.conf)"
  if [ "$1" = ufw ] && [ -f "$FH/state/units/ufw" ]; then
    fh_unit_unset ufw active
    fh_unit_unset ufw enabled
    fh_host_effect "ufw stopped and disabled"
  fi
}

# The scripts echo their arguments (cluster_ctl.sh, im_ctl.sh and dataflow_ctl.sh print
# "[info]: args $@"), secrets included: a test can see what reaches a terminal.
fh_echo_args() { echo "[info]: args $*"; }

# A database password the vendor script generates (20 characters from /dev/urandom in the real
# scripts); the prefix lets a test find it wherever it lands.
fh_new_password() {
  printf 'fakedbpw-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
}

# fh_ini_value FILE SECTION KEY: a value of an ini file such as system.ini.
fh_ini_value() {
  [ -f "$1" ] || return 0
  awk -v sec="[$2]" -v key="$3" '
    /^\[/ { insec = ($0 == sec); next }
    insec { k = $0; sub(/[ \t]*=.*/, "", k); if (k == key) { v = $0; sub(/^[^=]*=[ \t]*/, "", v); print v; exit } }
  ' "$1"
}

# A file a container writes (system.ini and the like): its mode is the container's, not the
# caller's umask.
fh_container_file() { # PATH CONTENT
  mkdir -p "$(dirname "$1")"
  printf '%s' "$2" >"$1"
  chmod 644 "$1"
}

# ---- vendor stand-ins ----------------------------------------------------------------------
# Every vendor stand-in starts here: its argv is recorded, and it insists on running from the
# directory that holds it, as the real scripts keep state relative to it (C28).
fh_vendor_start() { # SCRIPT_PATH NAME ARG…
  _fh_self="$1"
  shift
  fh_argv "$@"
  if [ "$(cd "$(dirname "$_fh_self")" && pwd -P)" != "$(pwd -P)" ]; then
    fh_die 1 "$1: run me from the directory that holds me ($(dirname "$_fh_self")), not $(pwd -P)"
  fi
  fh_in_root "$(pwd -P)" "$1 (working directory)"
}

fh_illegal_option() { # NAME
  fh_die 1 "$1: illegal option (see its usage)"
}

# The version label of IMAGE after a pull, checked against a floor.
fh_pull_checked() { # NAME IMAGE FLOOR
  fh_pull "$2"
  _fh_ver="$(fh_image_version "$2")"
  fh_version_ge "$_fh_ver" "$3" || fh_die 1 "$1: image $2 is version $_fh_ver; $3 or later is required"
}

# Runs a lib function (or command) on another host's fake root, in a process of its own.
fh_on_host() { # HOST CMD…
  _fh_rr="$(fh_remote_root "$1")"
  shift
  PBXPLAN_ROOT="$_fh_rr" /bin/sh -c '. "$PBXPLAN_ROOT/.fakehost/lib.sh" && "$@"' fh_on_host "$@"
}

# Docker reads /etc/docker/daemon.json when it starts: its registry mirrors are kept for
# `docker info`.
fh_docker_reads_config() {
  mkdir -p "$FH/state/docker"
  : >"$FH/state/docker/mirrors"
  [ -f "$PBXPLAN_ROOT/etc/docker/daemon.json" ] || return 0
  tr -d '\n' <"$PBXPLAN_ROOT/etc/docker/daemon.json" |
    sed -n 's/.*"registry-mirrors"[[:space:]]*:[[:space:]]*\[\([^]]*\)\].*/\1/p' |
    tr ',' '\n' | sed -e 's/^[[:space:]]*"//' -e 's/"[[:space:]]*$//' -e '/^$/d' | awk '{ print }' >"$FH/state/docker/mirrors"
}

fh_install_docker_here() {
  fh_install_bin docker /usr/bin
  fh_install_bin firewall-cmd /usr/bin
  for _fh_p in docker-ce docker-ce-cli containerd.io docker-compose-plugin firewalld; do fh_pkg_add "$_fh_p"; done
  fh_pkg_del ufw
  fh_install_unit containerd
  fh_install_unit docker
  fh_install_unit firewalld
  fh_add_line "$FH/state/docker/plugins" compose
  fh_docker_reads_config
}

# ---- HA stand-ins ----------------------------------------------------------------------------
# A top-level "key: value" of a YAML file such as res/vars.yml (quotes removed).
fh_yaml_value() { # FILE KEY
  sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed -e 's/[[:space:]]*$//' -e "s/^[\"']//" -e "s/[\"']\$//"
}

fh_ha_vars() {
  [ -f ./res/vars.yml ] || fh_die 1 "$1: res/vars.yml not found in $(pwd -P)"
}

# The control node reaches another host by name or address once ssh-copy-id authorised it.
fh_ha_reach() { # NAME HOST [OTHER_NAME_OF_IT]
  for _fh_h in "$2" ${3:+"$3"}; do
    if fh_ssh_reachable "$_fh_h" && fh_ssh_authorized "$_fh_h" "$(fh_ssh_shared_key)"; then
      printf '%s\n' "$_fh_h"
      return 0
    fi
  done
  fh_die 1 "$1: cannot reach $2 over password-less SSH (run ssh-copy-id first)"
}

fh_ha_deployed() { # NAME
  [ -f "$FH/state/ha/deployed" ] || fh_die 1 "$1: the PBX HA cluster is not deployed (deploy_pbx.sh)"
}

fh_boot_count() { if [ -f "$FH/state/boot-count" ]; then cat "$FH/state/boot-count"; else echo 0; fi; }

fh_ha_install_dependencies_here() {
  for _fh_p in pacemaker corosync pcs drbd-utils resource-agents; do fh_pkg_add "$_fh_p"; done
  fh_unit_set pcsd installed
  fh_unit_set pacemaker installed
  fh_unit_set corosync installed
  mkdir -p "$FH/state/ha"
  fh_boot_count >"$FH/state/ha/dependencies"
}

# Rebooted since the dependencies were installed (the documented order is pbx03, pbx02, pbx01).
fh_ha_rebooted_here() {
  [ -f "$FH/state/ha/dependencies" ] && [ "$(fh_boot_count)" -gt "$(cat "$FH/state/ha/dependencies")" ]
}

# Installs docker on the current host and creates a container of a role there.
fh_ha_role_here() { # NAME IMAGE PROJECT ARG…
  command -v docker >/dev/null 2>&1 || fh_install_docker_here
  fh_container_exists "$1" && fh_die 125 "Conflict. The container name \"/$1\" is already in use."
  fh_pull "$2"
  fh_container_create "$@"
}

# ---- upgrade (domain §5.2, Appendix B.4) ------------------------------------------------------
# fh_upgrade ME FLOOR NEW_IMAGE RECORD KEY CONTAINER…: what every control script's `upgrade` does
# in the v22 scripts. It reads the image from the record when -i is absent, tears the containers
# down *before* it pulls (a failed pull leaves the role down), pulls, writes the new image into
# the record, re-creates each container that ran the old image with the new one (others keep
# theirs; arguments kept), and prunes unused images of the product. FAKEHOST_FAIL=ME:upgrade
# fails after the teardown, as a pull that fails would; ME:upgrade-before fails before it.
fh_upgrade() {
  _fu_me="$1" _fu_floor="$2" _fu_img="$3" _fu_rec="$4" _fu_key="$5"
  shift 5
  [ -f "$_fu_rec" ] || fh_die 1 "$_fu_me: nothing to upgrade (no $_fu_rec)"
  _fu_old="$(sed -n "s/^$_fu_key=//p" "$_fu_rec")"
  [ -n "$_fu_img" ] || _fu_img="$_fu_old"
  fh_should_fail "$_fu_me" upgrade-before && fh_injected_failure "$_fu_me"
  _fu_save="$FH/state/upgrade-saved"
  rm -rf "$_fu_save"
  mkdir -p "$_fu_save"
  for _fu_c in "$@"; do
    fh_container_exists "$_fu_c" || continue
    cp -R "$(fh_cdir "$_fu_c")" "$_fu_save/$_fu_c"
    fh_container_rm "$_fu_c"
  done
  echo "[info]: $_fu_me: containers removed, pulling $_fu_img"
  fh_should_fail "$_fu_me" upgrade && fh_injected_failure "$_fu_me"
  if [ "$_fu_floor" = - ]; then fh_pull "$_fu_img"; else fh_pull_checked "$_fu_me" "$_fu_img" "$_fu_floor"; fi
  sed "s|^$_fu_key=.*|$_fu_key=$_fu_img|" "$_fu_rec" >"$_fu_rec.new" && mv "$_fu_rec.new" "$_fu_rec"
  for _fu_c in "$@"; do
    [ -d "$_fu_save/$_fu_c" ] || continue
    _fu_ci="$(cat "$_fu_save/$_fu_c/image")"
    [ "$_fu_ci" != "$_fu_old" ] || _fu_ci="$_fu_img"
    mkdir -p "$(fh_cdir "$_fu_c")"
    cp "$_fu_save/$_fu_c/args" "$_fu_save/$_fu_c/project" "$(fh_cdir "$_fu_c")/"
    _fu_g="$(cat "$_fu_save/$_fu_c/generation")"
    printf '%s\n' "$((_fu_g + 1))" >"$(fh_cdir "$_fu_c")/generation"
    printf '%s\n' "$_fu_ci" >"$(fh_cdir "$_fu_c")/image"
    printf 'true\n' >"$(fh_cdir "$_fu_c")/running"
  done
  rm -rf "$_fu_save"
  [ "$_fu_old" = "$_fu_img" ] || fh_image_rm_if_unused "$_fu_old"
  echo "$_fu_me: upgraded to $_fu_img (fake)"
}

# ---- HA upgrade (domain §5.3; the HA package is not public: modelled on what the guides say) -
# The image the HA PBX runs (deploy_pbx.sh and update.sh record it on the control node).
fh_ha_pbx_image_set() { mkdir -p "$FH/state/ha" && printf '%s\n' "$1" >"$FH/state/ha/pbx-image"; }

# Sets KEY: VALUE in the HA package's res/vars.yml (update.sh records the new image there, so the
# later upgrade commands, which take no image, find it [inferred: they take none]).
fh_yaml_set() { # FILE KEY VALUE
  if grep -q "^$2:" "$1"; then
    sed "s|^$2:.*|$2: $3|" "$1" >"$1.new" && mv "$1.new" "$1"
  else
    printf '%s: %s\n' "$2" "$3" >>"$1"
  fi
}

# fh_ha_upgrade_here ME CONTAINER=IMAGE…: an HA upgrade command's work on one host, as the
# standalone scripts' upgrade does it: each named container that exists is torn down *before*
# the pull (FAKEHOST_FAIL=ME:upgrade fails right then, leaving it down), its new image pulled,
# the container re-created with its arguments, the image it ran removed when no container uses
# it. A host where none of them exists is left alone; a re-run after a failure finds the
# container gone and brings it up from the saved arguments.
fh_ha_upgrade_here() {
  _fa_me="$1"
  shift
  _fa_save="$FH/state/ha-upgrade-saved" _fa_down=0
  for _fa_p in "$@"; do
    _fa_c="${_fa_p%%=*}"
    if fh_container_exists "$_fa_c"; then
      mkdir -p "$_fa_save"
      rm -rf "${_fa_save:?}/$_fa_c"
      cp -R "$(fh_cdir "$_fa_c")" "$_fa_save/$_fa_c"
      fh_container_rm "$_fa_c"
    fi
    [ ! -d "$_fa_save/$_fa_c" ] || _fa_down=1
  done
  [ "$_fa_down" = 1 ] || return 0
  fh_should_fail "$_fa_me" upgrade && fh_injected_failure "$_fa_me"
  for _fa_p in "$@"; do
    _fa_c="${_fa_p%%=*}" _fa_img="${_fa_p#*=}"
    [ -d "$_fa_save/$_fa_c" ] || continue
    fh_pull "$_fa_img"
    _fa_old="$(cat "$_fa_save/$_fa_c/image")"
    mkdir -p "$(fh_cdir "$_fa_c")"
    cp "$_fa_save/$_fa_c/args" "$_fa_save/$_fa_c/project" "$(fh_cdir "$_fa_c")/"
    printf '%s\n' "$(($(cat "$_fa_save/$_fa_c/generation") + 1))" >"$(fh_cdir "$_fa_c")/generation"
    printf '%s\n' "$_fa_img" >"$(fh_cdir "$_fa_c")/image"
    printf 'true\n' >"$(fh_cdir "$_fa_c")/running"
    rm -rf "${_fa_save:?}/$_fa_c"
    [ "$_fa_old" = "$_fa_img" ] || fh_image_rm_if_unused "$_fa_old"
  done
  rmdir "$_fa_save" 2>/dev/null || true
}

# Runs fh_ha_upgrade_here on every remote host (those the control node deployed to), or only on
# the addresses given in LIST (comma-separated; empty: all).
fh_ha_upgrade_remotes() { # ME LIST CONTAINER=IMAGE…
  _fr_me="$1" _fr_list="$2"
  shift 2
  for _fr_r in "$FH/remote"/*; do
    [ -d "$_fr_r/.fakehost" ] || continue
    _fr_h="$(basename "$_fr_r")"
    case ",$_fr_list," in ,,) ;; *",$_fr_h,"*) ;; *) continue ;; esac
    fh_on_host "$_fr_h" fh_ha_upgrade_here "$_fr_me" "$@" || exit $?
  done
}

# Removes an image no container uses (the scripts' image rm -f and prune of product images).
fh_image_rm_if_unused() {
  for _fr_d in "$FH/state/docker/containers"/*; do
    [ -f "$_fr_d/image" ] || continue
    [ "$(cat "$_fr_d/image")" != "$1" ] || return 0
  done
  rm -f "$FH/state/docker/images/$(fh_image_key "$1")"
}
