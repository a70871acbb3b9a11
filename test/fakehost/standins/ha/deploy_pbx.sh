#!/bin/sh
# Stand-in for deploy_pbx.sh of PortSIP's HA tarball, written for pbxplan's fake host from the
# project's domain notes (§1.3, §2.2); not the vendor's code. getopts c (-c: also the Cert
# Manager). Needs install_dependencies.sh done and, on premises, every node rebooted since (no
# reboot is documented on AWS). Marks the cluster deployed (state/ha/deployed holds the virtual
# IP, or "eip" on AWS; ha_ctl.sh reports it) and records the PBX image (vars.yml pbx_image).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake deploy_pbx.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=deploy_pbx.sh
fh_vendor_start "$0" "$me" "$@"
fh_mutation "$me" "$@"
cert=0
while getopts "c" opt; do
  case $opt in
    c) cert=1 ;;
    *) fh_illegal_option "$me" ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
fh_ha_vars "$me"
[ -f "$FH/state/ha/dependencies" ] || fh_die 1 "$me: run install_dependencies.sh first"
if [ -n "$(fh_yaml_value ./res/vars.yml pbx01_hostname)" ]; then
  fh_ha_rebooted_here || fh_die 1 "$me: this node was not rebooted after install_dependencies.sh"
  for n in 2 3; do
    node="$(fh_ha_reach "$me" "$(fh_yaml_value ./res/vars.yml "pbx0${n}_hostname")" "$(fh_yaml_value ./res/vars.yml "pbx0${n}_private_ip")")"
    fh_on_host "$node" fh_ha_rebooted_here || fh_die 1 "$me: $node was not rebooted after install_dependencies.sh"
  done
fi
fh_should_fail "$me" "" && fh_injected_failure "$me"
for u in pcsd pacemaker corosync; do fh_unit_set "$u" enabled; fh_unit_set "$u" active; done
vip="$(fh_yaml_value ./res/vars.yml vip)"
printf '%s\n' "${vip:-eip}" >"$FH/state/ha/deployed"
image="$(fh_yaml_value ./res/vars.yml pbx_image)"
fh_ha_pbx_image_set "${image:-portsip/pbx:22}"
[ "$cert" = 0 ] || : >"$FH/state/ha/certmanager"
echo "$me: PBX HA deployed (fake)"
