# agentfirewall: guard for interactive bash. Sourced from ~/.bashrc between the agentfirewall markers, which
# set AGENTFIREWALL_NODE and AGENTFIREWALL_CLI to absolute paths first.
#
# Layer 1, a readline Enter guard: Enter (C-m, C-j) runs __af_accept through `bind -x` before bash parses the
# line, in the emacs, vi-insert and vi-command keymaps. A denied line is not run: it stays on the screen (dimmed)
# above the reason, the prompt comes back empty, and the line is kept in history for editing. Continuation lines
# are checked together with the lines before them; a refusal drops the whole unfinished construct.
# Layer 2, only while the project's resident checker runs (`agentfirewall serve`): a DEBUG trap, with functrace,
# that checks each simple command, which also reaches functions and sourced files.
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
  __af_spawn_check "$1" "$2"
}

# A checker process: 0 allow, 1 deny (also when it is missing or fails), 3 incomplete.
__af_spawn_check() {
  [[ $__af_vars_for == "$1" ]] || __af_env_of "$1"
  local rc
  if [[ ! -x ${AGENTFIREWALL_NODE-} || ! -r ${AGENTFIREWALL_CLI-} ]]; then
    printf 'agentfirewall: the checker is missing (%s); refusing the command\n' "${AGENTFIREWALL_CLI-unset}" >&2
    return 1
  fi
  local flags=(--source "${2%%,*}")
  [[ ,$2, == *,interactive,* ]] && flags+=(--interactive)
  [[ ,$2, == *,fragment,* ]] && flags+=(--fragment)
  env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS AGENTFIREWALL_LINE_ENV="$__af_venc" "$AGENTFIREWALL_NODE" "$AGENTFIREWALL_CLI" check --quiet --fallback "${flags[@]}" -- "$1"
  rc=$?
  case $rc in
    0|1|3) return $rc ;;
    *) printf 'agentfirewall: the checker failed (exit %s); refusing the command\n' "$rc" >&2; return 1 ;;
  esac
}

# A refused line stays on the screen, dimmed where the terminal allows, under the prompt it was typed at.
__af_echo_refused() {
  local ps=$1
  if (( BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4) )); then
    eval 'ps=${ps@P}'
    ps=${ps//[$'\001\002']/} # readline's invisible-text markers
  else
    ps=
  fi
  if [[ -t 2 && -z ${NO_COLOR+x} && ${TERM:-dumb} != dumb ]]; then
    printf '\r\e[K%s\e[2m%s\e[22m\n' "$ps" "$2" >&2
  else
    printf '%s%s\n' "$ps" "$2" >&2
  fi
}

# Enter runs __af_accept, then whatever \C-x\C-b is bound to: accept-line, or nothing after a refusal (the
# refused line is not run, and readline redraws the same prompt, empty, instead of printing a new one).
__af_nop=
__af_bind_enter() {
  local km
  for km in emacs vi-insert vi-command; do bind -m "$km" "\"\\C-x\\C-b\": $1"; done
}

__af_pending= __af_prev= # never taken from the environment
__af_accept() {
  # The variables the whole text names, read before this function's locals hide any of the same name.
  { __af_env_of "$__af_pending${__af_pending:+$'\n'}$READLINE_LINE"; } 2>/dev/null
  local - line=$READLINE_LINE text msg rc
  set +x # the user's xtrace is for their commands
  if [[ -n $__af_nop ]]; then __af_bind_enter accept-line; __af_nop=; fi
  [[ -z ${line//[[:space:]]/} ]] && return 0
  if ! __af_in_project; then __af_pending=; return 0; fi
  if [[ -n $__af_pending ]]; then text=$__af_pending$'\n'$line; else text=$line; fi
  # The message is held back so that the refused line can be shown above it.
  msg=$(__af_check "$text" bash,interactive,fragment 2>&1)
  rc=$?
  case $rc in
    0|3)
      [[ -n $msg ]] && printf '%s\n' "$msg" >&2
      if (( rc == 0 )); then __af_pending=; else __af_pending=$text; fi
      ;;
    *)
      if [[ -n $__af_pending ]]; then __af_echo_refused "${PS2-}" "$line"; else __af_echo_refused "${PS1-}" "$line"; fi
      printf '%s\n' "$msg" >&2
      history -s -- "$line"
      READLINE_LINE=
      READLINE_POINT=0
      __af_bind_enter redraw-current-line
      __af_nop=1
      text=$__af_pending
      __af_pending=
      # The earlier lines of an unfinished construct are already with the parser: an interrupt drops them.
      [[ -n $text ]] && kill -INT $$
      ;;
  esac
  return 0
}

for __af_km in emacs vi-insert vi-command; do
  bind -m "$__af_km" -x '"\C-x\C-a": __af_accept'
  bind -m "$__af_km" '"\C-x\C-b": accept-line'
  bind -m "$__af_km" '"\C-m": "\C-x\C-a\C-x\C-b"'
  bind -m "$__af_km" '"\C-j": "\C-x\C-a\C-x\C-b"'
done
unset __af_km

# Layer 2: each simple command, through the resident checker (a process per command would cost ~30 ms); when it
# stops answering (killed, hung, or its port taken by another process), through a checker process.
__af_debug() {
  local - __af_rc=0
  set +x # the user's xtrace shows their commands, not the guard's (`local -` restores it)
  [[ -n ${COMP_LINE-}${READLINE_POINT-} ]] && return 0
  __af_own "${FUNCNAME[1]-}" || __af_own "$BASH_COMMAND" || __af_stale && return 0
  __af_in_project || return 0
  # A loop header fires on every iteration; what it expands runs (and is checked) as commands of its own.
  [[ $BASH_COMMAND == 'for '* || $BASH_COMMAND == '(('* ]] && return 0
  # A builtin that writes nothing, with plain words only (no $, quotes, redirections): nothing to ask.
  [[ $BASH_COMMAND =~ ^(:|true|false|echo|printf|test|\[|\[\[|pwd|cd|shift|read|local|let|return|break|continue)([[:space:]][][[:alnum:]_.,:=/+@%^-]*)*$ ]] && return 0
  # Loop headers are pieces: incomplete is fine. In a list: the user's set -e must not fire here.
  __af_env_of "$BASH_COMMAND" # after the checks above: the guard's own commands must not change what it sends
  __af_resident "$BASH_COMMAND" bash,interactive,fragment || __af_rc=$?
  # No answer to trust (the checker died, hangs, or its port is someone else's): a checker process decides.
  if (( __af_rc == 4 )); then __af_rc=0; __af_spawn_check "$BASH_COMMAND" bash,interactive,fragment || __af_rc=$?; fi
  (( __af_rc == 1 )) || return 0
  __af_prev=                             # asked again if it comes again
  shopt -q extdebug || shopt -s extdebug # lazily: extdebug set in a startup file switches itself off
  kill -INT $$                           # abort the rest of the line
  return 1                               # and skip this command
}

# At each new primary prompt: no continuation is pending (also after Ctrl-C), and the DEBUG trap is on exactly
# while a resident checker runs for the project (it is left alone when another tool owns the DEBUG trap).
__af_trap=
__af_reset() {
  __af_pending=
  __af_prev=
  if __af_in_project && [[ -r $__af_root/.agentfirewall/run/checker ]]; then
    if [[ -z $__af_trap ]]; then
      trap '__af_debug' DEBUG
      # functrace: the trap also runs inside functions, sourced files and $( ), where a line hides what it runs.
      if [[ -o functrace ]]; then __af_trap=1; else set -o functrace; __af_trap=2; fi
    fi
  elif [[ -n $__af_trap ]]; then
    trap - DEBUG
    [[ $__af_trap == 2 ]] && set +o functrace
    __af_trap=
  fi
}
case ";${PROMPT_COMMAND-};" in
  *";__af_reset;"*) ;;
  *) PROMPT_COMMAND="__af_reset${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
