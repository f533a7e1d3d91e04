# agentfirewall: guard for the non-interactive bash that agents start (`bash -c`, `bash -lc`).
# `agentfirewall shell-env` writes a copy with absolute paths into .agentfirewall/hooks/; BASH_ENV points at the
# package's hooks/shell-env.bash, which runs this copy only when it is complete (the last line is its end mark).
# bash sources it before the -c string: on deny nothing of the string runs and bash exits 126. While the project's
# resident checker runs, a DEBUG trap also checks each simple command (functions, sourced files, eval).
if [[ $- != *i* && -n ${BASH_EXECUTION_STRING-} ]]; then
  __af_root=$PWD
  while [[ ! -d $__af_root/.agentfirewall ]]; do
    if [[ -z $__af_root || $__af_root == / ]]; then __af_root=; break; fi
    __af_root=${__af_root%/*}
  done
  if [[ -n $__af_root ]]; then
    if ! . '@HOOKS@/agentfirewall-client.bash'; then
      printf 'agentfirewall: the guard is missing (%s); refusing the command\n' '@HOOKS@' >&2
      exit 126
    fi
    __af_resident "$BASH_EXECUTION_STRING" bash
    __af_line=$?
    case $__af_line in
      0) ;;
      1) exit 126 ;;
      *)
        if [[ ! -x '@NODE@' || ! -r '@CLI@' ]]; then
          printf 'agentfirewall: the checker is missing (%s); refusing the command\n' '@CLI@' >&2
          exit 126
        fi
        env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS AGENTFIREWALL_LINE_ENV="$__af_venc" '@NODE@' '@CLI@' check --quiet --fallback --source bash -- "$BASH_EXECUTION_STRING" || exit 126
        ;;
    esac
    # The backstop only with a checker that answered just now: a stale run/checker (its process killed) would
    # make every per-command question fail to connect.
    if (( __af_line == 0 )); then
      set -o functrace
      __af_prev= __af_refused= # never taken from the environment
      # Stop this shell and every subshell between it and the top one; a trap or ignore on TERM would catch
      # the stop and let the rest of the string run, so then KILL.
      __af_stop() {
        local pid=$BASHPID ppid _ sig=TERM chain=()
        [[ -n $(trap -p TERM) ]] && sig=KILL
        # The subshells in between, from /proc where there is one; only a chain that really reaches the top.
        while (( pid != $$ && pid > 1 )) && read -r _ _ _ ppid _ 2>/dev/null < "/proc/$pid/stat"; do
          (( pid != BASHPID )) && chain+=("$pid")
          pid=$ppid
        done
        (( pid == $$ && ${#chain[@]} )) && kill -"$sig" "${chain[@]}" 2>/dev/null
        kill -"$sig" $$
      }
      __af_debug() {
        local - __af_rc=0
        set +x # the user's xtrace shows their commands, not the guard's (`local -` restores it)
        # After a refusal only the shell's exit traps run: the user's own, judged when they were set.
        [[ -n $__af_refused ]] && return 0
        __af_own "${FUNCNAME[1]-}" || __af_own "$BASH_COMMAND" || __af_stale && return 0
        # A DEBUG trap sees one simple command or a loop header (`for i in …`): pieces, so incomplete is fine.
        # A loop header fires on every iteration; what it expands runs (and is checked) as commands of its own.
        [[ $BASH_COMMAND == 'for '* || $BASH_COMMAND == '(('* ]] && return 0
        # A builtin that writes nothing, with plain words only (no $, quotes, redirections): nothing to ask.
        [[ $BASH_COMMAND =~ ^(:|true|false|echo|printf|test|\[|\[\[|pwd|cd|shift|read|local|let|return|break|continue)([[:space:]][][[:alnum:]_.,:=/+@%^-]*)*$ ]] && return 0
        __af_env_of "$BASH_COMMAND" # after the checks above: the guard's own commands must not change what it sends
        __af_resident "$BASH_COMMAND" bash,fragment || __af_rc=$? # in a list: the user's set -e must not fire here
        if (( __af_rc == 4 )); then # the checker went away mid-string: ask a checker process instead, never let it pass
          __af_rc=0
          env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS AGENTFIREWALL_LINE_ENV="$__af_venc" '@NODE@' '@CLI@' check --quiet --fallback --fragment --source bash -- "$BASH_COMMAND" || __af_rc=$?
          (( __af_rc == 3 )) && __af_rc=0 # an incomplete piece (a loop header): its commands are asked one by one
          (( __af_rc == 0 )) || __af_rc=1
        fi
        (( __af_rc == 1 )) || return 0
        __af_refused=1
        (( BASH_SUBSHELL )) && __af_stop # a subshell's exit alone would not stop the shell
        exit 126
      }
      trap '__af_debug' DEBUG # keep last
    fi
  fi
fi
# agentfirewall: end of the BASH_ENV guard
