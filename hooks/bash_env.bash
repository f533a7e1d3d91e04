# agentfirewall: guard for the non-interactive bash that agents start (`bash -c`, `bash -lc`).
# `agentfirewall shell-env` writes a copy with absolute paths into .agentfirewall/hooks/ and exports BASH_ENV to it.
# bash sources it before the -c string; on deny nothing of the string runs and bash exits 126.
if [[ $- != *i* && -n ${BASH_EXECUTION_STRING-} ]]; then
  __af_d=$PWD
  while :; do
    if [[ -d $__af_d/.agentfirewall ]]; then
      if [[ ! -x '@NODE@' || ! -r '@CLI@' ]]; then
        printf 'agentfirewall: the checker is missing (%s); refusing the command\n' '@CLI@' >&2
        exit 126
      fi
      env -u NODE_OPTIONS -u NODE_EXTRA_CA_CERTS '@NODE@' '@CLI@' check --quiet --fallback --source bash -- "$BASH_EXECUTION_STRING" || exit 126
      break
    fi
    [[ -z $__af_d || $__af_d == / ]] && break
    __af_d=${__af_d%/*}
  done
  unset __af_d
fi
