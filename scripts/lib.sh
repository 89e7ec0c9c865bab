# Shared by scripts/test and scripts/demo.

# Create .venv if needed and install into it, quietly, exactly what a lock file names (every
# package pinned, every file checked against its hash), then Sightline itself from this checkout
# with no further downloads. pip's notes about absent local package mirrors are noise on some
# machines and are dropped; anything else is shown, and a failed install fails the script.
# Usage: venv_install_locked requirements/dev.txt [EXTRAS]   (EXTRAS such as "[dev]")
venv_install_locked() {
  local lock="$1" extras="${2:-}"
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  _venv_pip install --require-hashes --no-deps -r "$lock"
  _venv_pip install --no-deps --no-build-isolation -e ".$extras"
  # a lock that lacks a package the project asks for shows up here, not at run time
  _venv_pip check
}

_venv_pip() {
  local log status=0
  log="$(mktemp)"
  .venv/bin/python -m pip -q "$@" >"$log" 2>&1 || status=$?
  grep -v "^WARNING: Location" "$log" || true
  rm -f "$log"
  return "$status"
}
