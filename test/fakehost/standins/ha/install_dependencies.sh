#!/bin/sh
# Stand-in for install_dependencies.sh of PortSIP's HA tarball, written for pbxplan's fake host
# from the project's domain notes (§1.3, §2.2, §7); not the vendor's code. Takes no options;
# needs ./res/vars.yml and, on premises, password-less SSH to pbx02 and pbx03 (by host name or
# address; on AWS the nodes are instance ids and the key pair reaches them). Installs the
# Pacemaker/DRBD packages on the three nodes and records the boot it happened in
# (state/ha/dependencies), so deploy_pbx.sh can insist on the reboot that must follow.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake install_dependencies.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=install_dependencies.sh
fh_vendor_start "$0" "$me" "$@"
fh_mutation "$me" "$@"
[ "$#" -eq 0 ] || fh_die 1 "$me: takes no arguments"
fh_ha_vars "$me"
for n in 1 2 3; do
  [ -n "$(fh_yaml_value ./res/vars.yml "pbx0${n}_hostname")$(fh_yaml_value ./res/vars.yml "pbx0${n}_instance_id")" ] ||
    fh_die 1 "$me: res/vars.yml names no pbx0${n}_hostname or pbx0${n}_instance_id"
done
fh_should_fail "$me" "" && fh_injected_failure "$me"
fh_ha_install_dependencies_here
for n in 2 3; do
  name="$(fh_yaml_value ./res/vars.yml "pbx0${n}_hostname")"
  [ -n "$name" ] || continue
  node="$(fh_ha_reach "$me" "$name" "$(fh_yaml_value ./res/vars.yml "pbx0${n}_private_ip")")"
  fh_on_host "$node" fh_ha_install_dependencies_here
done
echo "$me: dependencies installed on the three nodes (fake); reboot pbx03, pbx02, then pbx01"
