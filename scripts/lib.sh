# Shared by scripts/test and scripts/demo.

# Create .venv if needed and pip-install into it quietly. pip's notes about absent local package
# mirrors are noise on some machines and are dropped; anything else is shown, and a failed install
# fails the script.
venv_install() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  local log status=0
  log="$(mktemp)"
  .venv/bin/python -m pip install -q "$@" >"$log" 2>&1 || status=$?
  grep -v "^WARNING: Location" "$log" || true
  rm -f "$log"
  return "$status"
}
