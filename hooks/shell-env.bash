# agentfirewall: what BASH_ENV points at under `agentfirewall shell-env`. It lives in the installed package, so
# that deleting or emptying the project's .agentfirewall/hooks/ cannot make bash skip the guard: it runs the
# project's guard ($AGENTFIREWALL_GUARD_DIR/bash_env.bash) only when that is there and complete (its last line is
# the end mark), and otherwise refuses every `bash -c`, saying why and how to restore it. Fails closed.
if [[ $- != *i* && -n ${BASH_EXECUTION_STRING-} ]]; then
  __af_guard=${AGENTFIREWALL_GUARD_DIR-}/bash_env.bash
  __af_lines=()
  [[ -n ${AGENTFIREWALL_GUARD_DIR-} && -f $__af_guard && -r $__af_guard ]] && mapfile -t __af_lines < "$__af_guard" 2>/dev/null
  if (( ${#__af_lines[@]} == 0 )) || [[ ${__af_lines[${#__af_lines[@]}-1]} != '# agentfirewall: end of the BASH_ENV guard' ]]; then
    __af_project=${AGENTFIREWALL_GUARD_DIR%/.agentfirewall/hooks}
    [[ -n ${AGENTFIREWALL_GUARD_DIR-} ]] || __af_guard='(AGENTFIREWALL_GUARD_DIR is not set)'
    printf 'agentfirewall: the shell guard %s is missing or damaged; every command of this shell is refused until it is back. Restore it: run  agentfirewall shell-env  in %s (if .agentfirewall/ itself is gone, restore it first, e.g. git checkout -- .agentfirewall, or agentfirewall init, then agentfirewall protect)\n' "$__af_guard" "${__af_project:-the project}" >&2
    exit 126
  fi
  unset __af_lines
  . "$__af_guard" # keep last: the guard's DEBUG trap must see no command of this file
fi
