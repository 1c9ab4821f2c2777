# session.sh, sourced by the tests' drivers: a running program driven by
# commands on its stdin, which prints "ok" after each.
#   session_start OUT CMD...  runs CMD with stdin from a fifo, stdout (and
#                             stderr, unless SESSION_STDERR names a file)
#                             into OUT/program.out
#   send LINE                 sends LINE, waits for its "ok" (20 s at most),
#                             prints "> LINE" and what the program printed
#   session_end               closes stdin, waits, prints "== exit status N"

session_start() {
  session_out=$1
  shift
  mkfifo "$session_out/commands"
  "$@" < "$session_out/commands" > "$session_out/program.out" \
    2> "${SESSION_STDERR:-$session_out/program.out}" &
  session_pid=$!
  exec 3> "$session_out/commands"
  session_acks=0
  session_printed=0
}

send() {
  local out=$session_out/program.out
  echo "> $1"
  echo "$1" >&3
  session_acks=$((session_acks + 1))
  for _ in $(seq 1 800); do
    [ "$(grep -c '^ok$' "$out" || true)" -ge "$session_acks" ] && break
    sleep 0.025
  done
  { grep -v "^ok$" "$out" || true; } | tail -n +$((session_printed + 1))
  session_printed=$(grep -vc '^ok$' "$out" || true)
}

session_end() {
  exec 3>&-
  local status=0
  wait "$session_pid" || status=$?
  echo "== exit status $status"
}
