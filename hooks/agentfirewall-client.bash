# agentfirewall: the bash client of the resident checker (`agentfirewall serve`), shared by the interactive
# guard and the BASH_ENV guard. Needs $__af_root, the project directory (the one holding .agentfirewall/).

# A verdict of the resident checker (`deny [rule] reason`) in the words `agentfirewall check` uses.
__af_say() {
  local verdict=${1%% *} rest=${1#* }
  printf 'agentfirewall: %s %s %s: %s\n' "${verdict^^}" "${rest%%] *}]" "$2" "${rest#*] }" >&2
}

# The shell variables a line names, set now in this shell (exported or not), for the checker: it takes every
# variable it is not sent as empty, as bash does. __af_vars holds each as one escaped NAME=value field, and
# __af_venc all of them joined by \x1f (a checker process gets it as AGENTFIREWALL_LINE_ENV). Called before the
# caller's own locals, so that those never stand in for the user's variables of the same name.
__af_vars=() __af_venc= __af_vars_for= # never taken from the environment
__af_env_of() {
  __af_vars=() __af_venc= __af_vars_for=$1
  [[ $1 == *'$'* ]] || return 0
  local __af_n __af_e __af_bs='\' __af_ebs='\\' __af_nl=$'\n' __af_enl='\n' __af_us=$'\x1f' __af_eus='\u'
  for __af_n in ${!A@} ${!B@} ${!C@} ${!D@} ${!E@} ${!F@} ${!G@} ${!H@} ${!I@} ${!J@} ${!K@} ${!L@} ${!M@} \
    ${!N@} ${!O@} ${!P@} ${!Q@} ${!R@} ${!S@} ${!T@} ${!U@} ${!V@} ${!W@} ${!X@} ${!Y@} ${!Z@} ${!_@} \
    ${!a@} ${!b@} ${!c@} ${!d@} ${!e@} ${!f@} ${!g@} ${!h@} ${!i@} ${!j@} ${!k@} ${!l@} ${!m@} \
    ${!n@} ${!o@} ${!p@} ${!q@} ${!r@} ${!s@} ${!t@} ${!u@} ${!v@} ${!w@} ${!x@} ${!y@} ${!z@}; do
    [[ $__af_n == __af_* || $1 != *"$__af_n"* ]] && continue
    [[ -v $__af_n ]] || continue
    __af_e="$__af_n=${!__af_n}"
    __af_e=${__af_e//"$__af_bs"/"$__af_ebs"} __af_e=${__af_e//"$__af_nl"/"$__af_enl"} __af_e=${__af_e//"$__af_us"/"$__af_eus"}
    __af_vars+=("$__af_e")
    __af_venc+=${__af_venc:+$__af_us}$__af_e
  done
}

# The resident checker over /dev/tcp: 0 allow, 1 deny, 3 incomplete, 4 no answer to trust (not running, not
# reachable, too slow, or a listener that cannot show the proof: whatever holds a dead checker's port is not
# believed). Each field goes escaped (\ as \\, newline as \n, \x1f as \u), so no command can change its framing;
# the answer must start with the proof, the third line of run/checker, which only our server knows.
__af_resident() {
  [[ $__af_vars_for == "$1" ]] || __af_env_of "$1"
  local port token proof fd v c d bs='\' ebs='\\' nl=$'\n' enl='\n' us=$'\x1f' eus='\u'
  [[ -r $__af_root/.agentfirewall/run/checker ]] || return 4
  { IFS= read -r port && IFS= read -r token && IFS= read -r proof; } < "$__af_root/.agentfirewall/run/checker" || return 4
  [[ -n $port && $port != *[!0-9]* && -n $token && -n $proof ]] || return 4
  c=${1//"$bs"/"$ebs"} c=${c//"$nl"/"$enl"} c=${c//"$us"/"$eus"}
  d=${PWD//"$bs"/"$ebs"} d=${d//"$nl"/"$enl"} d=${d//"$us"/"$eus"}
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 4
  # The line's variables follow as fields of their own (already escaped).
  printf '%s\x1f%s\x1f%s\x1f%s%s\n' "$token" "$2" "$d" "$c" "${__af_venc:+$us$__af_venc}" >&"$fd" 2>/dev/null
  IFS= read -r -t 5 v <&"$fd"
  exec {fd}>&-
  if [[ $v != "$proof "* ]]; then
    [[ -n $v ]] && printf 'agentfirewall: what answers on 127.0.0.1:%s is not the resident checker; asking a checker process\n' "$port" >&2
    return 4
  fi
  v=${v#"$proof "}
  case $v in
    allow) return 0 ;;
    incomplete) return 3 ;;
    warn*) __af_say "$v" "$1"; return 0 ;;
    deny*) __af_say "$v" "$1"; return 1 ;;
    error*) printf 'agentfirewall: the resident checker refused the request (%s); refusing the command\n' "${v#error }" >&2; return 1 ;;
    *) return 4 ;;
  esac
}

# The DEBUG trap's own question: does $BASH_COMMAND need asking? Not when it is the text of the previous event:
# while a trap's handler runs (EXIT, ERR, RETURN, a signal), bash leaves $BASH_COMMAND at the command that was
# running when the trap fired, already decided (or, in the shell's EXIT trap, at the guard's own trap command);
# the handler's commands were judged with the line that set the trap. A real repetition is decided alike.
__af_stale() {
  [[ $BASH_COMMAND == "${__af_prev-}" || $BASH_COMMAND == "trap '__af_debug' DEBUG" ]] && return 0
  __af_prev=$BASH_COMMAND
  return 1
}

# The guard's own functions, which the DEBUG trap lets run unasked (exact names: a user's __af_x is checked).
__af_own() {
  [[ $1 =~ ^__af_(debug|resident|stale|own|stop|in_project|check|spawn_check|accept|reset|echo_refused|bind_enter|env_of)$ ]]
}
