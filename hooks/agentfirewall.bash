# agentfirewall: guard for interactive bash. Sourced from ~/.bashrc between the agentfirewall markers, which
# set AGENTFIREWALL_NODE and AGENTFIREWALL_CLI to absolute paths first.
#
# Layer 1, a readline Enter guard: Enter (C-m, C-j) runs __af_accept through `bind -x` before bash parses the
# line, in the emacs, vi-insert and vi-command keymaps. A denied line is cleared (nothing of it runs) and kept
# in history for editing. Continuation lines are checked together with the lines before them.
# Layer 2, only while the project's resident checker runs (`agentfirewall serve`): a DEBUG trap that checks
# each simple command, which also reaches functions and sourced files.
[[ $- == *i* ]] || return 0

# Inside a protected project? A walk up from $PWD in the shell itself; sets __af_root.
__af_in_project() {
  local d=$PWD
  while :; do
    if [[ -d $d/.agentfirewall ]]; then __af_root=$d; return 0; fi
    [[ -z $d || $d == / ]] && return 1
    d=${d%/*}
  done
}

# The resident checker's client (__af_resident), next to this file.
. "${BASH_SOURCE[0]%/*}/agentfirewall-client.bash" || return 0

# Ask the checker: the resident one if it runs, else a checker process. 0 allow, 1 deny, 3 incomplete.
# Fails closed: a missing or failing checker denies. $2 = source,interactive,fragment flags.
__af_check() {
  __af_resident "$1" "$2"
  local rc=$?
  (( rc != 4 )) && return $rc
  if [[ ! -x ${AGENTFIREWALL_NODE-} || ! -r ${AGENTFIREWALL_CLI-} ]]; then
    printf 'agentfirewall: the checker is missing (%s); refusing the command\n' "${AGENTFIREWALL_CLI-unset}" >&2
    return 1
  fi
  local flags=(--source "${2%%,*}")
  [[ ,$2, == *,interactive,* ]] && flags+=(--interactive)
  [[ ,$2, == *,fragment,* ]] && flags+=(--fragment)
  env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS "$AGENTFIREWALL_NODE" "$AGENTFIREWALL_CLI" check --quiet --fallback "${flags[@]}" -- "$1"
  rc=$?
  case $rc in
    0|1|3) return $rc ;;
    *) printf 'agentfirewall: the checker failed (exit %s); refusing the command\n' "$rc" >&2; return 1 ;;
  esac
}

__af_pending=
__af_accept() {
  local line=$READLINE_LINE text
  [[ -z ${line//[[:space:]]/} ]] && return 0
  if ! __af_in_project; then __af_pending=; return 0; fi
  if [[ -n $__af_pending ]]; then text=$__af_pending$'\n'$line; else text=$line; fi
  __af_check "$text" bash,interactive,fragment
  case $? in
    0) __af_pending= ;;
    3) __af_pending=$text ;;
    *)
      history -s -- "$line"
      READLINE_LINE=
      READLINE_POINT=0
      __af_pending=
      ;;
  esac
}

for __af_km in emacs vi-insert vi-command; do
  bind -m "$__af_km" -x '"\C-x\C-a": __af_accept'
  bind -m "$__af_km" '"\C-x\C-b": accept-line'
  bind -m "$__af_km" '"\C-m": "\C-x\C-a\C-x\C-b"'
  bind -m "$__af_km" '"\C-j": "\C-x\C-a\C-x\C-b"'
done
unset __af_km

# Layer 2: each simple command, through the resident checker only (a process per command would cost ~30 ms).
__af_debug() {
  [[ -n ${COMP_LINE-}${READLINE_POINT-} || ${FUNCNAME[1]-} == __af_* || $BASH_COMMAND == __af_* ]] && return 0
  __af_in_project || return 0
  # A loop header fires on every iteration; what it expands runs (and is checked) as commands of its own.
  [[ $BASH_COMMAND == 'for '* || $BASH_COMMAND == '(('* ]] && return 0
  # A builtin that writes nothing, with plain words only (no $, quotes, redirections): nothing to ask.
  [[ $BASH_COMMAND =~ ^(:|true|false|echo|printf|test|\[|\[\[|pwd|cd|shift|read|local|let|return|break|continue)([[:space:]][][[:alnum:]_.,:=/+@%^-]*)*$ ]] && return 0
  __af_resident "$BASH_COMMAND" bash,interactive,fragment # loop headers are pieces: incomplete is fine
  (( $? == 1 )) || return 0
  shopt -q extdebug || shopt -s extdebug # lazily: extdebug set in a startup file switches itself off
  kill -INT $$                           # abort the rest of the line
  return 1                               # and skip this command
}

# At each new primary prompt: no continuation is pending (also after Ctrl-C), and the DEBUG trap is on exactly
# while a resident checker runs for the project (it is left alone when another tool owns the DEBUG trap).
__af_trap=
__af_reset() {
  __af_pending=
  if __af_in_project && [[ -r $__af_root/.agentfirewall/run/checker ]]; then
    if [[ -z $__af_trap ]]; then trap '__af_debug' DEBUG; __af_trap=1; fi
  elif [[ -n $__af_trap ]]; then
    trap - DEBUG
    __af_trap=
  fi
}
case ";${PROMPT_COMMAND-};" in
  *";__af_reset;"*) ;;
  *) PROMPT_COMMAND="__af_reset${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
