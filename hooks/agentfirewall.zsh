# agentfirewall: guard for interactive zsh. Sourced from ~/.zshrc (or $ZDOTDIR/.zshrc) between the agentfirewall
# markers, which set AGENTFIREWALL_NODE and AGENTFIREWALL_CLI to absolute paths first.
#
# A ZLE widget on Enter checks $PREBUFFER$BUFFER (the earlier lines of an unfinished construct and this one);
# on deny `zle send-break` drops the whole input, so nothing runs whatever traps are set.
[[ -o interactive ]] || return 0

_af_in_project() {
  local d=$PWD
  while :; do
    [[ -d $d/.agentfirewall ]] && return 0
    [[ -z $d || $d == / ]] && return 1
    d=${d%/*}
  done
}

_af_run() {
  local text=$1; shift
  if [[ ! -x ${AGENTFIREWALL_NODE-} || ! -r ${AGENTFIREWALL_CLI-} ]]; then
    print -r -- "agentfirewall: the checker is missing (${AGENTFIREWALL_CLI-unset}); refusing the command" >&2
    return 1
  fi
  env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS "$AGENTFIREWALL_NODE" "$AGENTFIREWALL_CLI" check --quiet --fallback "$@" -- "$text"
  local rc=$?
  case $rc in
    0|1|3) return $rc ;;
    *) print -r -- "agentfirewall: the checker failed (exit $rc); refusing the command" >&2; return 1 ;;
  esac
}

_af_accept_line() {
  local full="$PREBUFFER$BUFFER"
  if [[ -n ${full//[[:space:]]/} ]] && _af_in_project; then
    _af_run "$full" --source zsh --interactive --fragment
    case $? in
      0|3) ;;
      *)
        print -s -r -- "$full"
        zle send-break
        return 1
        ;;
    esac
  fi
  zle .accept-line
}
zle -N _af_accept_line
for _af_km in emacs viins vicmd; do
  bindkey -M $_af_km '^M' _af_accept_line
  bindkey -M $_af_km '^J' _af_accept_line
done
unset _af_km
