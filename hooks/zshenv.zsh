# agentfirewall: guard for the non-interactive zsh that agents start (`zsh -c`). `agentfirewall shell-env` writes a
# copy with absolute paths as .agentfirewall/hooks/zdotdir/.zshenv and exports ZDOTDIR to that directory.
# zsh reads it before the -c string; on deny it exits 126. Then ZDOTDIR goes back to the user's and their own
# .zshenv is read, so later startup files come from where they always did.
if [[ -n ${ZSH_EXECUTION_STRING-} && ! -o interactive ]]; then
  _af_d=$PWD
  while :; do
    if [[ -d $_af_d/.agentfirewall ]]; then
      if [[ ! -x '@NODE@' || ! -r '@CLI@' ]]; then
        print -r -- "agentfirewall: the checker is missing (@CLI@); refusing the command" >&2
        exit 126
      fi
      env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS '@NODE@' '@CLI@' check --quiet --fallback --source zsh -- "$ZSH_EXECUTION_STRING" || exit 126
      break
    fi
    [[ -z $_af_d || $_af_d == / ]] && break
    _af_d=${_af_d%/*}
  done
  unset _af_d
fi
ZDOTDIR=${AF_USER_ZDOTDIR:-$HOME}
[[ -r $ZDOTDIR/.zshenv ]] && source $ZDOTDIR/.zshenv
