#!/usr/bin/env bash
# Installs a SOOS tile-node on a Jetson board (JetPack 5 or 6, Ubuntu 20.04/22.04, aarch64) as a systemd
# service. Run as root from an unpacked SOOS tree that has been built (deploy/target/lib and the deploy jar),
# or pass --dist DIR pointing at a folder holding those jars.
#
#   sudo deploy/jetson/install.sh [--dist DIR] [--jdk 17|21] [--no-jdk] [--dry-run]
#
# What it does (idempotent: running it again upgrades the jars and keeps /etc/soos as it is):
#   1. installs a headless OpenJDK from the distribution's packages (openjdk-17-jre-headless by default)
#   2. creates the system user and group `soos` (no login shell, home /var/lib/soos)
#   3. creates /opt/soos/lib (jars), /etc/soos (config, TLS material), /var/lib/soos (jobs, checkpoints),
#      /var/log/soos
#   4. copies the jars, the example process job (/opt/soos/examples), the docs, the environment file template (/etc/soos/tile-node.env, only if absent), the overlay
#      template (/etc/soos/overlay.conf.example) and the systemd unit; lets `soos` run `nvpmodel` via sudo
#   5. reloads systemd; it does NOT start the service: edit /etc/soos/tile-node.env first, then
#      `systemctl enable --now soos-tile-node`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
dist=""
jdk=17
install_jdk=1
dry=0

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --jdk) jdk="$2"; shift 2 ;;
    --no-jdk) install_jdk=0; shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$jdk" == 17 || "$jdk" == 21 ]] || { echo "install.sh: --jdk must be 17 or 21, got: $jdk" >&2; exit 2; }

run() { echo "+ $*"; if [[ $dry == 0 ]]; then "$@"; fi; }

if [[ $dry == 0 && $EUID -ne 0 ]]; then echo "install.sh: run as root (sudo)" >&2; exit 1; fi

# The jars: deploy/target/lib/*.jar plus the deploy jar itself, or a prepared folder.
if [[ -z "$dist" ]]; then
  jars=("$root"/deploy/target/lib/*.jar)
  deploy_jar=$(ls "$root"/deploy/target/soos-deploy-*.jar 2>/dev/null | grep -v -E -- '-(sources|javadoc|tests)\.jar$' | head -n 1 || true)
  [[ -e "${jars[0]}" && -n "$deploy_jar" ]] || {
    echo "install.sh: no build in $root/deploy/target: run 'mvn -B -DskipTests package' first (on the board or any machine: the jars are platform-independent)" >&2
    exit 1
  }
  jars+=("$deploy_jar")
else
  jars=("$dist"/*.jar)
  [[ -e "${jars[0]}" ]] || { echo "install.sh: no jars in $dist" >&2; exit 1; }
fi

if [[ $install_jdk == 1 ]]; then
  if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -q -E "version \"($jdk|2[0-9])"; then
    run apt-get update
    run apt-get install -y --no-install-recommends "openjdk-$jdk-jre-headless"
  else
    echo "java present: $(java -version 2>&1 | head -n 1)"
  fi
fi

if ! getent group soos >/dev/null; then run groupadd --system soos; fi
if ! id soos >/dev/null 2>&1; then
  run useradd --system --gid soos --home-dir /var/lib/soos --no-create-home --shell /usr/sbin/nologin soos
fi

run install -d -o root -g root -m 0755 /opt/soos /opt/soos/lib
run install -d -o root -g soos -m 0750 /etc/soos
run install -d -o root -g soos -m 0750 /etc/soos/tls
run install -d -o soos -g soos -m 0750 /var/lib/soos /var/lib/soos/jobs /var/lib/soos/checkpoints
run install -d -o soos -g soos -m 0750 /var/log/soos

# Replace the jars (old versions removed so the classpath never holds two of one library).
run find /opt/soos/lib -maxdepth 1 -name '*.jar' -delete
for j in "${jars[@]}"; do run install -o root -g root -m 0644 "$j" /opt/soos/lib/; done

if [[ ! -e /etc/soos/tile-node.env ]]; then
  run install -o root -g soos -m 0640 "$here/tile-node.env" /etc/soos/tile-node.env
else
  echo "keeping /etc/soos/tile-node.env"
fi
run install -o root -g soos -m 0640 "$here/overlay.conf.example" /etc/soos/overlay.conf.example
run install -o root -g root -m 0644 "$here/soos-tile-node.service" /etc/systemd/system/soos-tile-node.service
# The example process job and the documentation.
run install -d -o root -g root -m 0755 /opt/soos/examples /opt/soos/docs
run install -o root -g root -m 0755 "$root/deploy/examples/process/sum-of-squares.sh" /opt/soos/examples/
run install -o root -g root -m 0644 "$root/deploy/examples/process/checkpointable-process.json" /opt/soos/examples/
for doc in JETSON.md JOBS.md; do
  if [[ -f "$root/docs/$doc" ]]; then run install -o root -g root -m 0644 "$root/docs/$doc" /opt/soos/docs/; fi
done

# nvpmodel -m needs root: allow exactly that command, nothing else.
nvp="$(command -v nvpmodel || echo /usr/sbin/nvpmodel)"
sudoers="soos ALL=(root) NOPASSWD: $nvp -q, $nvp -m *"
if [[ $dry == 0 ]]; then
  echo "$sudoers" > /etc/sudoers.d/soos-nvpmodel
  chmod 0440 /etc/sudoers.d/soos-nvpmodel
  visudo -cf /etc/sudoers.d/soos-nvpmodel >/dev/null
  install -o root -g root -m 0755 "$here/nvpmodel-sudo" /opt/soos/nvpmodel-sudo
else
  echo "+ write /etc/sudoers.d/soos-nvpmodel: $sudoers"
  echo "+ install $here/nvpmodel-sudo /opt/soos/nvpmodel-sudo"
fi

run systemctl daemon-reload
cat <<'MSG'

Installed. Next:
  1. edit /etc/soos/tile-node.env: SOOS_BOARD_TILE, SOOS_BOARD_SLOT, SOOS_SEED_NODE, SOOS_AKKA_HOST
  2. check the board:   sudo -u soos java -cp '/opt/soos/lib/*' org.soos.deploy.SoosCli jetson-probe
  3. start it:          systemctl enable --now soos-tile-node && journalctl -u soos-tile-node -f
MSG
