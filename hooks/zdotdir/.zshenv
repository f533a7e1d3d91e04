# agentfirewall: what ZDOTDIR points at under `agentfirewall shell-env`. It lives in the installed package, so that
# deleting or emptying the project's .agentfirewall/hooks/ cannot make zsh skip the guard: it runs the project's
# guard ($AGENTFIREWALL_GUARD_DIR/zdotdir/.zshenv) only when that is there and complete (its last line is the end
# mark), and otherwise refuses every `zsh -c`, saying why and how to restore it. Fails closed.
_af_guard=${AGENTFIREWALL_GUARD_DIR-}/zdotdir/.zshenv
_af_last=
if [[ -n ${AGENTFIREWALL_GUARD_DIR-} && -f $_af_guard && -r $_af_guard ]]; then
  while IFS= read -r _af_line || [[ -n $_af_line ]]; do _af_last=$_af_line; done < $_af_guard 2>/dev/null
fi
if [[ $_af_last == '# agentfirewall: end of the zsh guard' ]]; then
  unset _af_last _af_line
  source $_af_guard
elif [[ -n ${ZSH_EXECUTION_STRING-} && ! -o interactive ]]; then
  _af_project=${AGENTFIREWALL_GUARD_DIR%/.agentfirewall/hooks}
  [[ -n ${AGENTFIREWALL_GUARD_DIR-} ]] || _af_guard='(AGENTFIREWALL_GUARD_DIR is not set)'
  print -r -- "agentfirewall: the shell guard $_af_guard is missing or damaged; every command of this shell is refused until it is back. Restore it: run  agentfirewall shell-env  in ${_af_project:-the project} (if .agentfirewall/ itself is gone, restore it first, e.g. git checkout -- .agentfirewall, or agentfirewall init, then agentfirewall protect)" >&2
  exit 126
else
  # Not a command string (an interactive zsh started from the agent's environment): the user's own startup files.
  unset _af_last _af_line _af_guard
  ZDOTDIR=${AF_USER_ZDOTDIR:-$HOME}
  [[ -r $ZDOTDIR/.zshenv ]] && source $ZDOTDIR/.zshenv
fi
