# agentfirewall: guard for interactive zsh. Sourced from ~/.zshrc (or $ZDOTDIR/.zshrc) between the agentfirewall
# markers, which set AGENTFIREWALL_NODE and AGENTFIREWALL_CLI to absolute paths first.
#
# Layer 1, a ZLE widget on Enter checks $PREBUFFER$BUFFER (the earlier lines of an unfinished construct and this
# one); on deny `zle send-break` drops the whole input, so nothing runs whatever traps are set.
# The refused line stays on the screen with the reason under it.
# Layer 2, only while the project's resident checker runs: TRAPDEBUG checks each command (ERR_EXIT skips it,
# an interrupt drops the rest of the line).
[[ -o interactive ]] || return 0
zmodload zsh/net/tcp 2>/dev/null

_af_in_project() {
  local d=$PWD
  while :; do
    if [[ -d $d/.agentfirewall ]]; then _af_root=$d; return 0; fi
    [[ -z $d || $d == / ]] && return 1
    d=${d%/*}
  done
}

# A verdict of the resident checker (`deny [rule] reason`) in the words `agentfirewall check` uses.
_af_say() {
  local verdict=${1%% *} rest=${1#* }
  print -r -- "agentfirewall: ${(U)verdict} ${rest%%\] *}] $2: ${rest#*\] }" >&2
}

# The shell parameters a line names, set now (exported or not), for the checker, which takes every variable it
# is not sent as empty: as in the bash client, escaped NAME=value fields joined by \x1f in _af_venc. Called
# before the caller's own locals, so that those never stand in for the user's parameters of the same name.
typeset -g _af_venc= _af_vars_for=
_af_env_of() {
  _af_venc= _af_vars_for=$1
  [[ $1 == *'$'* ]] || return 0
  local _af_n _af_e _af_us=$'\x1f'
  for _af_n in ${(k)parameters}; do
    [[ $_af_n == _af_* || $1 != *$_af_n* || ! $_af_n =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] && continue
    _af_e="$_af_n=${(P)_af_n}"
    _af_e=${_af_e//\\/\\\\}; _af_e=${_af_e//$'\n'/\\n}; _af_e=${_af_e//$'\x1f'/\\u}
    _af_venc+=${_af_venc:+$_af_us}$_af_e
  done
}

# The resident checker over ztcp: 0 allow, 1 deny, 3 incomplete, 4 no answer to trust. The framing and the
# proof are those of the bash client (agentfirewall-client.bash): fields escaped, the answer starts with the proof.
_af_resident() {
  [[ $_af_vars_for == "$1" ]] || _af_env_of "$1"
  local port token proof fd v c d us=$'\x1f'
  [[ -r $_af_root/.agentfirewall/run/checker ]] || return 4
  { IFS= read -r port && IFS= read -r token && IFS= read -r proof } < $_af_root/.agentfirewall/run/checker || return 4
  [[ $port == <-> && -n $token && -n $proof ]] || return 4
  c=${1//\\/\\\\}; c=${c//$'\n'/\\n}; c=${c//$'\x1f'/\\u}
  d=${PWD//\\/\\\\}; d=${d//$'\n'/\\n}; d=${d//$'\x1f'/\\u}
  ztcp 127.0.0.1 $port 2>/dev/null || return 4
  fd=$REPLY
  print -r -u $fd -- "$token$us$2$us$d$us$c${_af_venc:+$us$_af_venc}" 2>/dev/null
  IFS= read -r -t 5 -u $fd v
  ztcp -c $fd
  if [[ $v != "$proof "* ]]; then
    [[ -n $v ]] && print -r -- "agentfirewall: what answers on 127.0.0.1:$port is not the resident checker; asking a checker process" >&2
    return 4
  fi
  v=${v#"$proof "}
  case $v in
    allow) return 0 ;;
    incomplete) return 3 ;;
    warn*) _af_say "$v" "$1"; return 0 ;;
    deny*) _af_say "$v" "$1"; return 1 ;;
    error*) print -r -- "agentfirewall: the resident checker refused the request (${v#error }); refusing the command" >&2; return 1 ;;
    *) return 4 ;;
  esac
}

_af_check() {
  _af_resident "$1" "$2"
  local rc=$?
  (( rc != 4 )) && return $rc
  _af_spawn_check "$1" "$2"
}

# A checker process: 0 allow, 1 deny (also when it is missing or fails), 3 incomplete.
_af_spawn_check() {
  [[ $_af_vars_for == "$1" ]] || _af_env_of "$1"
  local rc
  if [[ ! -x ${AGENTFIREWALL_NODE-} || ! -r ${AGENTFIREWALL_CLI-} ]]; then
    print -r -- "agentfirewall: the checker is missing (${AGENTFIREWALL_CLI-unset}); refusing the command" >&2
    return 1
  fi
  local -a flags=(--source ${2%%,*})
  [[ ,$2, == *,interactive,* ]] && flags+=(--interactive)
  [[ ,$2, == *,fragment,* ]] && flags+=(--fragment)
  env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS AGENTFIREWALL_LINE_ENV="$_af_venc" "$AGENTFIREWALL_NODE" "$AGENTFIREWALL_CLI" check --quiet --fallback $flags -- "$1"
  rc=$?
  case $rc in
    0|1|3) return $rc ;;
    *) print -r -- "agentfirewall: the checker failed (exit $rc); refusing the command" >&2; return 1 ;;
  esac
}

_af_accept_line() {
  _af_env_of "$PREBUFFER$BUFFER" # before the locals below can hide a parameter of the same name
  local full="$PREBUFFER$BUFFER" msg rc
  if [[ -n ${full//[[:space:]]/} ]] && _af_in_project; then
    # The message is held back so that it can go below the refused line, which stays on the screen.
    msg=$(_af_check "$full" zsh,interactive,fragment 2>&1)
    rc=$?
    case $rc in
      0|3) [[ -n $msg ]] && { zle -I; print -r -- "$msg" >&2 } ;;
      *)
        print -s -r -- "$full"
        # The refused line stays on the screen, the reason goes under it.
        print -r -- $'\n'"$msg" >&2
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

TRAPDEBUG() {
  # The guard's own functions, by exact name (a user's _af_x is checked).
  local own='_af_(in_project|resident|say|check|spawn_check|accept_line|env_of)'
  [[ ${funcstack[2]-} == ${~own} || -n ${WIDGET-} || -z ${ZSH_DEBUG_CMD-} || ${ZSH_DEBUG_CMD%% *} == ${~own} ]] && return 0
  _af_in_project || return 0
  [[ -r $_af_root/.agentfirewall/run/checker ]] || return 0
  _af_env_of "$ZSH_DEBUG_CMD" # before the local below can hide a parameter named rc
  local rc=0
  _af_resident "$ZSH_DEBUG_CMD" zsh,interactive,fragment || rc=$? # in a list: the user's ERR_EXIT must not fire here
  # No answer to trust (the checker died, hangs, or its port is someone else's): a checker process decides.
  if (( rc == 4 )); then rc=0; _af_spawn_check "$ZSH_DEBUG_CMD" zsh,interactive,fragment || rc=$?; fi
  (( rc == 1 )) || return 0
  setopt ERR_EXIT # set inside the DEBUG trap: skip this command
  kill -INT $$    # and drop the rest of the line, as the Enter guard would have
  return 0
}
