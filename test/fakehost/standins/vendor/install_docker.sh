#!/bin/sh
# Stand-in for PortSIP's install_docker.sh, written for pbxplan's fake host from the project's
# domain notes (§7, Appendix B); not the vendor's code. Effects: Docker Engine, the Compose
# plugin and firewalld installed, enabled and running; ufw removed. Fails when the host is
# offline (facts/offline), when FAKEHOST_FAIL names it, or, when facts/conffile-prompt exists,
# unless standard input answers the cloud.cfg prompt with Y.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake install_docker.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=install_docker.sh
fh_vendor_start "$0" "$me" "$@"
fh_mutation "$me" "$@"
[ ! -f "$FH/facts/offline" ] || fh_die 1 "$me: cannot reach the Docker apt repository (host is offline)"
if [ -f "$FH/facts/conffile-prompt" ]; then
  printf 'Configuration file /etc/cloud/cloud.cfg: (Y/I/N/O/D/Z) [default=N] ? ' >&2
  answer=""
  read -r answer || fh_die 1 "dpkg: end of file on stdin at conffile prompt"
  [ "$answer" = Y ] || [ "$answer" = y ] || fh_die 1 "$me: the cloud.cfg prompt was not answered with Y"
fi
fh_pkg_add apt-transport-https
fh_should_fail "$me" "" && fh_injected_failure "$me"
fh_install_docker_here
echo "$me: docker, docker compose and firewalld are installed (fake)"
