#!/bin/sh
# Stand-in for PortSIP's install_docker.sh, written for pbxplan's fake host from the project's
# domain notes (§7, Appendix B) and the facts of the v22 script; not the vendor's code. It runs
# what the real one runs on Ubuntu, in its order, through the fake apt, dpkg, curl and
# systemctl, under `set -e` as the real one does:
#   apt remove ufw (|| true)  ·  apt-get remove of old Docker packages (|| true)  ·  apt update
#   ·  dpkg --configure -a (|| true)  ·  DEBIAN_FRONTEND=noninteractive apt upgrade -y (|| true:
#   dpkg's cloud.cfg question, facts/conffile-prompt, is not answered by that variable, so
#   without a terminal it fails and the failure is swallowed)  ·  apt-get install firewalld and
#   helpers  ·  Docker's apt key (curl) and source  ·  apt-get update  ·  apt-get install
#   docker-ce docker-compose-plugin  ·  systemctl enable docker, restart docker.
# Offline (facts/offline), ufw is already gone when apt update fails with exit 100 and ends it.
# Docker's apt repository is a fake address (.invalid), like every address the fake host knows.
# FAKEHOST_FAIL=install_docker.sh fails it after firewalld is installed, before Docker.
[ -n "${PBXPLAN_ROOT:-}" ] || { echo "fake install_docker.sh: PBXPLAN_ROOT is not set" >&2; exit 99; }
# shellcheck source=../lib.sh
. "$PBXPLAN_ROOT/.fakehost/lib.sh"
me=install_docker.sh
fh_vendor_start "$0" "$me" "$@"
fh_mutation "$me" "$@"
set -e
echo "[info]: Starting..."
echo "[docker] System is Ubuntu"
apt remove -y ufw || true
apt-get remove -y docker docker-engine docker.io containerd runc || true
apt update -y
dpkg --configure -a || true
DEBIAN_FRONTEND=noninteractive apt upgrade -y || true
DEBIAN_FRONTEND=noninteractive apt-get install -y apt-transport-https ca-certificates curl gnupg gnupg-agent software-properties-common firewalld lsb-release
fh_should_fail "$me" "" && fh_injected_failure "$me"
mkdir -p "$PBXPLAN_ROOT/etc/apt/keyrings" "$PBXPLAN_ROOT/etc/apt/sources.list.d"
curl -fsSL https://docker-apt.fakehost.invalid/linux/ubuntu/gpg -o "$PBXPLAN_ROOT/etc/apt/keyrings/docker.gpg"
echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.gpg] https://docker-apt.fakehost.invalid/linux/ubuntu noble stable" >"$PBXPLAN_ROOT/etc/apt/sources.list.d/docker.list"
DEBIAN_FRONTEND=noninteractive apt-get update -y
DEBIAN_FRONTEND=noninteractive apt-get install docker-ce docker-compose-plugin -y
systemctl enable docker
systemctl restart docker
echo "====Successfully to install the docker"
