# agentfirewall: guard for interactive bash. Sourced from ~/.bashrc between the agentfirewall markers, which
# set AGENTFIREWALL_NODE and AGENTFIREWALL_CLI to absolute paths first.
#
# A readline Enter guard: Enter (C-m, C-j) runs __af_accept through `bind -x` before bash parses the line, in
# the emacs, vi-insert and vi-command keymaps. A denied line is cleared (nothing of it runs) and kept in
# history for editing. Continuation lines are checked together with the lines before them.
[[ $- == *i* ]] || return 0

# Inside a protected project? A walk up from $PWD, in the shell: nothing is spawned elsewhere.
__af_in_project() {
  local d=$PWD
  while :; do
    [[ -d $d/.agentfirewall ]] && return 0
    [[ -z $d || $d == / ]] && return 1
    d=${d%/*}
  done
}

# Ask the checker. 0 allow, 1 deny (reason on stderr), 3 incomplete. Fails closed: a missing or failing checker denies.
__af_run() {
  local text=$1; shift
  if [[ ! -x ${AGENTFIREWALL_NODE-} || ! -r ${AGENTFIREWALL_CLI-} ]]; then
    printf 'agentfirewall: the checker is missing (%s); refusing the command\n' "${AGENTFIREWALL_CLI-unset}" >&2
    return 1
  fi
  env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS "$AGENTFIREWALL_NODE" "$AGENTFIREWALL_CLI" check --quiet --fallback "$@" -- "$text"
  local rc=$?
  case $rc in
    0|1|3) return $rc ;;
    *) printf 'agentfirewall: the checker failed (exit %s); refusing the command\n' "$rc" >&2; return 1 ;;
  esac
}

__af_pending=
__af_reset() { __af_pending=; }

__af_accept() {
  local line=$READLINE_LINE text
  [[ -z ${line//[[:space:]]/} ]] && return 0
  if ! __af_in_project; then __af_pending=; return 0; fi
  if [[ -n $__af_pending ]]; then text=$__af_pending$'\n'$line; else text=$line; fi
  __af_run "$text" --source bash --interactive --fragment
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

# A new primary prompt means no continuation is pending (also after Ctrl-C).
case ";${PROMPT_COMMAND-};" in
  *";__af_reset;"*) ;;
  *) PROMPT_COMMAND="__af_reset${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
