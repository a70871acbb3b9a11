#!/bin/sh
# Stand-in for update.sh of PortSIP's HA tarball, written for pbxplan's fake host from the HA
# upgrade guide (domain §5.3, OP-UPG step 3: `update.sh IMAGE [-c]`, then check ha_ctl.sh
# status); not the vendor's code, which is not public. Modelled: it needs the cluster deployed
# and the package's res/vars.yml; it takes the PBX resource down first (FAKEHOST_FAIL=
# update.sh:upgrade fails right then, leaving it Stopped; update.sh:upgrade-before fails before
# it), records the new image as the one the PBX runs and in res/vars.yml, where the later upgrade
# commands (extend.sh, im.sh, dataflow.sh, which take no image) find it [inferred], and starts
# the resource again; the new image is pulled and the old one removed on this node (the fake
# install holds the PBX image here only; the other nodes' images are not modelled).
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake update.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=update.sh
fh_vendor_start "$0" "$me" "$@"
fh_mutation "$me" "$@"
image="${1:-}"
case $image in "" | -*) fh_die 1 "$me: usage: update.sh IMAGE [-c]" ;; esac
shift
while getopts "c" opt; do
  case $opt in
    c) : >"$FH/state/ha/certmanager" ;;
    *) fh_illegal_option "$me" ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || fh_die 1 "$me: unexpected argument: $1"
fh_ha_deployed "$me"
fh_ha_vars "$me"
fh_should_fail "$me" upgrade-before && fh_injected_failure "$me"
: >"$FH/state/ha/pbx-stopped"
echo "[info]: $me: PBX resource stopped, updating to $image"
fh_should_fail "$me" upgrade && fh_injected_failure "$me"
old="$(cat "$FH/state/ha/pbx-image" 2>/dev/null || true)"
fh_pull_checked "$me" "$image" 22.0
[ -z "$old" ] || [ "$old" = "$image" ] || fh_image_rm_if_unused "$old"
fh_yaml_set ./res/vars.yml pbx_image "$image"
fh_ha_pbx_image_set "$image"
rm -f "$FH/state/ha/pbx-stopped"
echo "$me: PBX HA updated to $image (fake)"
