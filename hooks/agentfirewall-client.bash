# agentfirewall: the bash client of the resident checker (`agentfirewall serve`), shared by the interactive
# guard and the BASH_ENV guard. Needs $__af_root, the project directory (the one holding .agentfirewall/).
# The resident checker over /dev/tcp: 0 allow, 1 deny, 3 incomplete, 4 not reachable.
__af_resident() {
  local port token fd v
  [[ -r $__af_root/.agentfirewall/run/checker ]] || return 4
  { IFS= read -r port && IFS= read -r token; } < "$__af_root/.agentfirewall/run/checker" || return 4
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 4
  printf '%s\x1f%s\x1f%s\x1f%s\n' "$token" "$2" "$PWD" "${1//$'\n'/$'\x1e'}" >&"$fd"
  IFS= read -r -t 5 v <&"$fd"
  exec {fd}>&-
  case $v in
    allow) return 0 ;;
    incomplete) return 3 ;;
    warn*) printf 'agentfirewall: %s\n' "$v" >&2; return 0 ;;
    deny*) printf 'agentfirewall: %s\n' "$v" >&2; return 1 ;;
    error*) printf 'agentfirewall: the resident checker refused the request (%s); refusing the command\n' "${v#error }" >&2; return 1 ;;
    *) return 4 ;;
  esac
}
