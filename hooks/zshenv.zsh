# agentfirewall: guard for the non-interactive zsh that agents start (`zsh -c`). `agentfirewall shell-env` writes a
# copy with absolute paths as .agentfirewall/hooks/zdotdir/.zshenv; ZDOTDIR is the package's hooks/zdotdir, whose
# .zshenv runs this copy only when it is complete (the last line is its end mark).
# zsh reads it before the -c string; on deny it exits 126. Then ZDOTDIR goes back to the user's and their own
# .zshenv is read, so later startup files come from where they always did.
if [[ -n ${ZSH_EXECUTION_STRING-} && ! -o interactive ]]; then
  _af_root=$PWD
  while [[ ! -d $_af_root/.agentfirewall ]]; do
    if [[ -z $_af_root || $_af_root == / ]]; then _af_root=; break; fi
    _af_root=${_af_root%/*}
  done
  if [[ -n $_af_root ]]; then
    _af_verdict=4
    # The parameters the string names, for the checker (which takes a variable it is not sent as empty): escaped
    # NAME=value fields joined by \x1f, as in agentfirewall.zsh.
    _af_venc= _af_us=$'\x1f'
    if [[ $ZSH_EXECUTION_STRING == *'$'* ]]; then
      for _af_n in ${(k)parameters}; do
        [[ $_af_n == _af_* || $ZSH_EXECUTION_STRING != *$_af_n* || ! $_af_n =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] && continue
        _af_e="$_af_n=${(P)_af_n}"
        _af_e=${_af_e//\\/\\\\}; _af_e=${_af_e//$'\n'/\\n}; _af_e=${_af_e//$'\x1f'/\\u}
        _af_venc+=${_af_venc:+$_af_us}$_af_e
      done
    fi
    # The resident checker's framing and proof, as in agentfirewall.zsh: fields escaped (\ \\, newline \n,
    # \x1f \u), and an answer that does not start with the proof is not believed.
    if [[ -r $_af_root/.agentfirewall/run/checker ]] && zmodload zsh/net/tcp 2>/dev/null; then
      { IFS= read -r _af_port && IFS= read -r _af_token && IFS= read -r _af_proof } < $_af_root/.agentfirewall/run/checker
      if [[ $_af_port == <-> && -n $_af_token && -n $_af_proof ]] && ztcp 127.0.0.1 $_af_port 2>/dev/null; then
        _af_fd=$REPLY
        _af_c=${ZSH_EXECUTION_STRING//\\/\\\\}; _af_c=${_af_c//$'\n'/\\n}; _af_c=${_af_c//$'\x1f'/\\u}
        _af_d=${PWD//\\/\\\\}; _af_d=${_af_d//$'\n'/\\n}; _af_d=${_af_d//$'\x1f'/\\u}
        print -r -u $_af_fd -- "$_af_token"$'\x1f'zsh$'\x1f'"$_af_d"$'\x1f'"$_af_c${_af_venc:+$_af_us$_af_venc}" 2>/dev/null
        IFS= read -r -t 5 -u $_af_fd _af_v
        ztcp -c $_af_fd
        if [[ $_af_v == "$_af_proof "* ]]; then
          _af_v=${_af_v#"$_af_proof "}
          case $_af_v in
            allow) _af_verdict=0 ;;
            warn*|deny*)
              # In the words `agentfirewall check` uses: VERDICT [rule] command: reason
              _af_rest=${_af_v#* }
              print -r -- "agentfirewall: ${(U)_af_v%% *} ${_af_rest%%\] *}] $ZSH_EXECUTION_STRING: ${_af_rest#*\] }" >&2
              [[ $_af_v == deny* ]] && exit 126
              _af_verdict=0
              ;;
            error*) print -r -- "agentfirewall: the resident checker refused the request" >&2; exit 126 ;;
          esac
        elif [[ -n $_af_v ]]; then
          print -r -- "agentfirewall: what answers on 127.0.0.1:$_af_port is not the resident checker; asking a checker process" >&2
        fi
      fi
    fi
    if (( _af_verdict == 4 )); then
      if [[ ! -x '@NODE@' || ! -r '@CLI@' ]]; then
        print -r -- "agentfirewall: the checker is missing (@CLI@); refusing the command" >&2
        exit 126
      fi
      env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS AGENTFIREWALL_LINE_ENV="$_af_venc" '@NODE@' '@CLI@' check --quiet --fallback --source zsh -- "$ZSH_EXECUTION_STRING" || exit 126
    fi
    unset _af_verdict _af_port _af_token _af_proof _af_fd _af_v _af_rest _af_c _af_d _af_venc _af_n _af_e _af_us
  fi
  unset _af_root
fi
ZDOTDIR=${AF_USER_ZDOTDIR:-$HOME}
[[ -r $ZDOTDIR/.zshenv ]] && source $ZDOTDIR/.zshenv
# agentfirewall: end of the zsh guard
