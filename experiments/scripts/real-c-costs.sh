#!/usr/bin/env bash
# real-c-costs.sh HCR_BUILD_DIR SCRATCH_DIR: what hcr costs a real C program
# against the same program built natively, each pair measured side by side
# in one run, the native and the hcr runs interleaved (ABAB...) so that the
# machine's noise hits both alike (docs/experiments.md, "Costs on real
# programs"):
#
#  1. start-up of a hello world (printf in main.c, one function in greet.c):
#     clang-19 -O2 against hcr-build, median wall time of 100 runs each;
#  2. start-up of Lua 5.4.8, `lua -e ''`, 100 runs each;
#  3. steady state: Lua's test suite (testes/all.lua, _U=true) and a
#     CPU-bound benchmark (experiments/scripts/lua-bench.lua);
#  4. build: CPU time (user+sys of every process) of a full sequential
#     native build against `hcr-build -j1` from an empty directory; wall time
#     of the rebuild after a one-function edit of lstrlib.c.
#
# The same run measures where the time goes: controls (hello linked with
# libstdc++ or with libhcr.so but without hcr_init; Lua built as plain
# shared objects, one per .c: what the split costs without hcr), minor page
# faults, hcr_init's phases (hcr_last_reload_stats, read by an LD_PRELOAD
# shim at exit), the compile of hcr's rewritten sources against the
# originals, hcr-build with nothing to do, its --timings, and, when perf
# works, hcr-build's own CPU (perf stat --no-inherit) and profiles of Lua's
# start-up and of the benchmark (the share of the trampolines).
#
# The Lua parts need ../shared/corpora/lua-5.4.8 next to the repository and
# are skipped with a message without it. The table is printed at the end
# and written to SCRATCH_DIR/real-c-costs.md; SCRATCH_DIR/log.txt has every
# build's output and every timed run. About 5 minutes on 2 lightly loaded
# cores, more on a busy machine. Knobs (environment): STARTUP_RUNS (100),
# SUITE_RUNS (7), BENCH_RUNS (9), BUILD_ROUNDS (2), EDIT_ROUNDS (5).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 HCR_BUILD_DIR SCRATCH_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
mkdir -p "$2"
scratch=$(cd "$2" && pwd)
hcr_build=$build/bin/hcr-build
libhcr=$build/lib/Runtime/libhcr.so
corpus=$repo/../shared/corpora/lua-5.4.8
CC=clang-19
startup_runs=${STARTUP_RUNS:-100}
suite_runs=${SUITE_RUNS:-7}
bench_runs=${BENCH_RUNS:-9}
build_rounds=${BUILD_ROUNDS:-2}
edit_rounds=${EDIT_ROUNDS:-5}
for f in "$hcr_build" "$libhcr"; do
  [ -e "$f" ] || { echo "error: $f not found (build hcr first)" >&2; exit 1; }
done
# A snapshot of the tools, laid out as installed (PREFIX/bin, include, lib),
# where hcr-build finds its runtime: a rebuild of BUILD_DIR during the run
# cannot mix two versions. The headers are those of the build's source tree.
hcr_src=$(sed -n 's/^hcr_SOURCE_DIR:STATIC=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
[ -f "$hcr_src/include/hcr/hcr.h" ] || hcr_src=$repo
snap=$scratch/hcr-tools
rm -rf "$snap" && mkdir -p "$snap/bin" "$snap/lib" "$snap/include"
cp "$hcr_build" "$snap/bin/" && cp "$libhcr" "$snap/lib/" && cp -r "$hcr_src/include/hcr" "$snap/include/"
hcr_build=$snap/bin/hcr-build libhcr=$snap/lib/libhcr.so hcr_include=$snap/include
export HCR_INCLUDE_DIR=$hcr_include HCR_RUNTIME_LIBRARY=$libhcr
hcr_version=$(git -C "$hcr_src" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$hcr_src" status --porcelain --untracked-files=no 2>/dev/null)" ] && hcr_version+=" with uncommitted changes"
log=$scratch/log.txt
: > "$log"
results=$scratch/real-c-costs.md
tools=$scratch/tools
mkdir -p "$tools"
say() { echo "== $*" >&2; }
started=$EPOCHREALTIME

# ---------------------------------------------------------------- helpers
# abrun N LABEL DIR CMD... [::: LABEL DIR CMD...]...: the commands in turn,
# round after round, N rounds (in reverse order every other round: ABBA...),
# output to /dev/null (with ABRUN_OUT=DIR the first round's output of each
# to DIR/LABEL.out). Prints per command: label, median wall s, min, max,
# median CPU s (user+sys of it and its children), median minor faults, and
# the median over rounds of its wall and CPU ratio to the first command in
# the same round; every wall time to stderr.
cat > "$tools/abrun.c" <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static double median(double *v, int n) {
  qsort(v, n, sizeof *v, cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
int main(int argc, char **argv) {
  if (argc < 5) return 2;
  int n = atoi(argv[1]), k = 0;
  char **cmd[16];
  cmd[k++] = argv + 2;
  for (int i = 2; i < argc && k < 16; i++)
    if (!strcmp(argv[i], ":::")) argv[i] = 0, cmd[k++] = argv + i + 1;
  double *w[16], *c[16], *f[16];
  for (int j = 0; j < k; j++)
    w[j] = calloc(n, 8), c[j] = calloc(n, 8), f[j] = calloc(n, 8);
  const char *outdir = getenv("ABRUN_OUT");
  for (int i = 0; i < n; i++)
    for (int jj = 0; jj < k; jj++) {
      int j = i % 2 ? k - 1 - jj : jj; /* ABBA: drifts hit all alike */
      char **x = cmd[j], out[4096] = "/dev/null";
      if (i == 0 && outdir) snprintf(out, sizeof out, "%s/%s.out", outdir, x[0]);
      double t0 = now();
      pid_t p = fork();
      if (!p) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || chdir(x[1])) _exit(126);
        dup2(fd, 1), dup2(fd, 2);
        execvp(x[2], x + 2);
        _exit(127);
      }
      int st;
      struct rusage ru;
      wait4(p, &st, 0, &ru);
      w[j][i] = now() - t0;
      c[j][i] = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
                ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
      f[j][i] = ru.ru_minflt;
      if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "abrun: %s (%s) failed, status %d\n", x[0], x[2], st);
        return 1;
      }
    }
  /* Paired ratios: each round's run against the same round's first command,
     their median (robust to the machine's drift between rounds). */
  double *pw[16], *pc[16];
  for (int j = 0; j < k; j++) {
    pw[j] = calloc(n, 8), pc[j] = calloc(n, 8);
    for (int i = 0; i < n; i++)
      pw[j][i] = w[j][i] / w[0][i], pc[j][i] = c[j][i] / (c[0][i] > 0 ? c[0][i] : 1e-9);
  }
  for (int j = 0; j < k; j++) { /* every sample, in run order, to stderr */
    fprintf(stderr, "abrun %s wall:", cmd[j][0]);
    for (int i = 0; i < n; i++) fprintf(stderr, " %.4f", w[j][i]);
    fprintf(stderr, "\n");
  }
  for (int j = 0; j < k; j++) {
    double mw = median(w[j], n);
    printf("%s %.6f %.6f %.6f %.6f %.0f %.4f %.4f\n", cmd[j][0], mw, w[j][0],
           w[j][n - 1], median(c[j], n), median(f[j], n), median(pw[j], n),
           median(pc[j], n));
  }
  return 0;
}
EOF
# An LD_PRELOAD shim: at exit, hcr_init's phases (the start is a reload of
# the whole tree, which hcr_last_reload_stats describes).
cat > "$tools/initstats.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <hcr/hcr.h>
__attribute__((destructor)) static void report(void) {
  hcr_status (*get)(hcr_reload_stats *, size_t) =
      (hcr_status (*)(hcr_reload_stats *, size_t))dlsym(RTLD_DEFAULT, "hcr_last_reload_stats");
  hcr_reload_stats s;
  if (!get || get(&s, sizeof s) != HCR_OK) return;
  fprintf(stderr, "initstats %u %u %u %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n",
          s.modules_in_tree, s.modules_loaded, s.procs_registered, s.copy_ms,
          s.dlopen_ms, s.discover_ms - s.copy_ms - s.dlopen_ms, s.register_ms,
          s.commit_ms, s.init_ms + s.cleanup_ms + s.handlers_ms, s.total_ms);
}
EOF
# What one page fault costs on this machine (anonymous memory, first touch).
cat > "$tools/pagefault.c" <<'EOF'
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
int main(void) {
  enum { N = 4000 };
  char *p = mmap(0, N * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  double t = now();
  for (long i = 0; i < N; i++) p[i * 4096] = 1;
  printf("%.1f\n", (now() - t) / N * 1e6);
  return 0;
}
EOF
$CC -O2 -w "$tools/abrun.c" -o "$tools/abrun"
$CC -O2 -w -shared -fPIC -I"$hcr_include" "$tools/initstats.c" -o "$tools/initstats.so" -ldl
$CC -O2 -w "$tools/pagefault.c" -o "$tools/pagefault"
abrun() {
  "$tools/abrun" "$@" 2>>"$log" || {
    echo "error: a timed run failed:" >&2
    grep '^abrun: ' "$log" | tail -n 3 >&2
    return 1
  }
}

# measure CMD...: runs CMD (a command or a function; its output goes to the
# log) and sets W (wall s) and C (user+sys s of every process it ran).
measure() {
  local t0=$EPOCHREALTIME t1 line
  line=$({ "$@" >>"$log" 2>&1 || { echo FAILED; exit 0; }; times; } | tail -n 1)
  t1=$EPOCHREALTIME
  if [ "$line" = FAILED ]; then
    echo "error: '$*' failed, see $log" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  W=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  C=$(echo "$line" | awk '{ split($1, u, "m"); split($2, s, "m");
        printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}
# field LINE N: the Nth field of abrun's line for a label
field() { echo "$1" | awk -v n="$2" '{ print $n }'; }
ms() { awk -v x="$1" 'BEGIN { printf "%.1f", x * 1000 }'; }
sec() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
diffms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a - b) * 1000 }'; }
verdict() { # verdict OK-CONDITION-AS-AWK-EXPR
  awk "BEGIN { print ($1) ? \"met\" : \"**missed**\" }"
}
perf_ok=0
if command -v perf >/dev/null &&
  perf stat -x, -e task-clock -o /dev/null -- true >/dev/null 2>&1; then
  perf_ok=1
fi

rows=()   # the main table
notes=()  # where the time goes
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"); }

load_before=$(uptime | sed 's/.*load average: //')
pf_us=$("$tools/pagefault")
say "machine: $(nproc) cores, load average $load_before, anonymous page fault ${pf_us} µs"

# ------------------------------------------------------ 1. hello world
say "hello world: builds"
hello=$scratch/hello
rm -rf "$hello" && mkdir -p "$hello/withlib"
cat > "$hello/main.c" <<'EOF'
#include <stdio.h>
int greet(int);
int main(void) {
  printf("hello, world %d\n", greet(1));
  return 0;
}
EOF
echo 'int greet(int x) { return x + 41; }' > "$hello/greet.c"
(cd "$hello" &&
  $CC -O2 main.c greet.c -o native &&
  $CC -O2 main.c greet.c -o native-stdcxx -Wl,--no-as-needed -lstdc++ -lm &&
  cp "$libhcr" withlib/ &&
  $CC -O2 main.c greet.c -o withlib/main -Wl,--no-as-needed -Lwithlib -lhcr \
    -Wl,-rpath,'$ORIGIN' &&
  "$hcr_build" -q -o hcr main.c greet.c -- -O2) >>"$log" 2>&1
[ "$("$hello/native")" = "$("$hello/hcr/main")" ]
say "hello world: start-up, $startup_runs runs of each, interleaved"
out=$(abrun "$startup_runs" native "$hello" ./native \
  ::: hcr "$hello" hcr/main \
  ::: native+libstdc++ "$hello" ./native-stdcxx \
  ::: native+libhcr-no-init "$hello" withlib/main)
echo "$out" >>"$log"
hn=$(echo "$out" | grep '^native ')
hh=$(echo "$out" | grep '^hcr ')
hs=$(echo "$out" | grep '^native+libstdc++ ')
hl=$(echo "$out" | grep '^native+libhcr-no-init ')
row "start-up, hello world (median wall, $startup_runs runs)" \
  "$(ms "$(field "$hn" 2)") ms" "$(ms "$(field "$hh" 2)") ms" \
  "$(diffms "$(field "$hh" 2)" "$(field "$hn" 2)") ms" \
  "$(ratio "$(field "$hh" 2)" "$(field "$hn" 2)")x" "native + 2 ms" \
  "$(verdict "$(field "$hh" 2) - $(field "$hn" 2) <= 0.002")"
row "start-up, hello world (median CPU)" \
  "$(ms "$(field "$hn" 5)") ms" "$(ms "$(field "$hh" 5)") ms" \
  "$(diffms "$(field "$hh" 5)" "$(field "$hn" 5)") ms" \
  "$(ratio "$(field "$hh" 5)" "$(field "$hn" 5)")x" "" ""
# hcr_init's phases, median of 21 runs
init_phases() { # DIR CMD...: prints the median of each phase
  local dir=$1
  shift
  for _ in $(seq 21); do
    (cd "$dir" && LD_PRELOAD=$tools/initstats.so "$@" 2>&1 >/dev/null |
      grep '^initstats ' || true)
  done | awk '{ for (i = 2; i <= NF; i++) v[i, NR] = $i; n = NR; m = NF }
    END { for (i = 2; i <= m; i++) { k = 0
            for (r = 1; r <= n; r++) a[++k] = v[i, r]
            # insertion sort: 21 values
            for (x = 2; x <= k; x++) { t = a[x]
              for (y = x - 1; y >= 1 && a[y] > t; y--) a[y + 1] = a[y]
              a[y + 1] = t }
            printf "%s ", a[int((k + 1) / 2)] }
          print "" }'
}
phase_names="modules loaded procs copy dlopen discover-rest register commit init+cleanup total"
hello_init=$(init_phases "$hello" hcr/main)
notes+=("- hello world, what each part costs (median of $startup_runs interleaved runs: wall, CPU, minor page faults): native $(ms "$(field "$hn" 2)") ms / $(ms "$(field "$hn" 5)") ms / $(field "$hn" 6); native linked with libstdc++ and libm (what libhcr.so pulls in) $(ms "$(field "$hs" 2)") / $(ms "$(field "$hs" 5)") / $(field "$hs" 6); native linked with libhcr.so, no hcr_init $(ms "$(field "$hl" 2)") / $(ms "$(field "$hl" 5)") / $(field "$hl" 6); hcr $(ms "$(field "$hh" 2)") / $(ms "$(field "$hh" 5)") / $(field "$hh" 6).")
notes+=("- hello world, hcr_init's phases (ms, median of 21; $phase_names): $hello_init")

# --------------------------------------------------------------- Lua
lua_rows=1
if [ ! -d "$corpus" ]; then
  say "SKIPPED the Lua parts (2, 3, 4): $corpus not found (Lua 5.4.8 sources, ../shared/corpora next to the repository)"
  lua_rows=0
fi
if [ $lua_rows = 1 ]; then
  lua=$scratch/lua
  src=$lua/src
  rm -rf "$lua" && mkdir -p "$lua"
  cp -r "$corpus" "$src"
  srcs=$(cd "$src" && ls *.c | grep -v -E '^(ltests|onelua|luac)\.c$' | tr '\n' ' ')
  flags=(-std=gnu99 -O2 -DLUA_USE_LINUX -w)
  libs=(-lm -ldl -Wl,-E)
  {
    echo "["
    sep=""
    for f in $srcs; do
      printf '%s{"directory": "%s", "file": "%s", "command": "cc %s -c %s -o %s"}\n' \
        "$sep" "$src" "$f" "${flags[*]}" "$f" "${f%.c}.o"
      sep=","
    done
    echo "]"
  } > "$src/compile_commands.json"
  # The three builds: native (each .c compiled, then one link), hcr-build
  # -j1, and the control: one plain -fPIC shared object per .c with lua.c
  # the executable (Lua's internal functions are hidden, visibility
  # "internal", under __ELF__: -U__ELF__ makes them plain extern so that they
  # link across objects).
  native_compile() { # OUTDIR
    rm -rf "$1" && mkdir -p "$1/obj"
    for f in $srcs; do
      $CC "${flags[@]}" -c "$src/$f" -o "$1/obj/${f%.c}.o" || return 1
    done
  }
  native_link() { $CC "$1"/obj/*.o -o "$1/lua" "${libs[@]}"; }
  modules_compile() { # OUTDIR
    rm -rf "$1" && mkdir -p "$1/obj"
    for f in $srcs; do
      local pic=-fPIC
      [ "$f" = lua.c ] && pic=
      $CC "${flags[@]}" -U__ELF__ $pic -c "$src/$f" -o "$1/obj/${f%.c}.o" || return 1
    done
  }
  modules_link() { # OUTDIR
    local f l=()
    for f in $srcs; do
      [ "$f" = lua.c ] && continue
      $CC -shared "$1/obj/${f%.c}.o" -o "$1/lib${f%.c}.so" -lm -ldl || return 1
      l+=("-l${f%.c}")
    done
    $CC "$1/obj/lua.o" -o "$1/lua" -L"$1" "${l[@]}" "${libs[@]}" -Wl,-rpath,'$ORIGIN'
  }
  hcr_full_build() { # OUTDIR
    rm -rf "$1"
    local p=()
    [ $perf_ok = 1 ] && p=(perf stat --no-inherit -x, -e task-clock -o "$lua/self-cpu.txt" --)
    (cd "$src" && "${p[@]}" "$hcr_build" -q --timings -j1 -p "$src" -o "$1" -- "${libs[@]}")
  }
  self_cpu() { # hcr-build's own CPU (its main thread; the rewrite runs there), s
    [ $perf_ok = 1 ] && awk -F, '/task-clock/ { printf "%.3f", $1 / 1000 }' "$lua/self-cpu.txt" || echo "n/a"
  }

  # -------------------------------------------------- 4a. full builds
  say "Lua: full builds, $build_rounds rounds (native, hcr-build -j1), then the plain shared objects"
  nat_c=() hcr_c=() nat_w=() hcr_w=() nat_l=() hcr_self=() hcr_timings=()
  add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
  for r in $(seq "$build_rounds"); do
    measure native_compile "$lua/native"
    c1=$C w1=$W
    measure native_link "$lua/native"
    nat_c+=("$(add "$c1" "$C")") nat_w+=("$(add "$w1" "$W")") nat_l+=("$C")
    measure hcr_full_build "$lua/hcr"
    hcr_c+=("$C") hcr_w+=("$W") hcr_self+=("$(self_cpu)")
    hcr_timings+=("$(grep 'timings:' "$log" | tail -n 1 | sed 's/.*timings: //')")
    say "  round $r: native CPU ${nat_c[-1]} s (wall ${nat_w[-1]} s), hcr-build CPU ${hcr_c[-1]} s (wall ${hcr_w[-1]} s; its own ${hcr_self[-1]} s)"
  done
  measure modules_compile "$lua/modules"
  mod_cc=$C mod_w=$W
  measure modules_link "$lua/modules"
  mod_lc=$C mod_c=$(add "$mod_cc" "$C") mod_w=$(add "$mod_w" "$W")
  say "  plain shared objects: CPU $mod_c s (wall $mod_w s)"
  # hcr's rewritten sources (OUT/.hcr/src) compiled as hcr-build compiles
  # them, without the links: what the rewrite adds to the compiler's work
  rewritten_compile() {
    mkdir -p "$lua/rewritten-obj"
    for f in $srcs; do
      $CC -I"$hcr_include" -DHCR_ENABLED=1 -fPIC -c "$lua/hcr/.hcr/src/$f" \
        "${flags[@]}" -o "$lua/rewritten-obj/${f%.c}.o" || return 1
    done
  }
  measure rewritten_compile
  rew_cc=$C
  med() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
  nc=$(med "${nat_c[@]}") hc=$(med "${hcr_c[@]}")
  full_build_row=("full build, Lua (CPU user+sys, median of $build_rounds)" "$nc s" "$hc s"
    "$(awk -v a="$hc" -v b="$nc" 'BEGIN { printf "%+.1f s", a - b }')" "$(ratio "$hc" "$nc")x" "≤ 1.3x"
    "$(verdict "$hc / $nc <= 1.3")")
  hs_med=n/a
  [ $perf_ok = 1 ] && hs_med=$(med "${hcr_self[@]}")
  nl=$(med "${nat_l[@]}")
  ncc=$(awk -v a="$nc" -v b="$nl" 'BEGIN { printf "%.3f", a - b }')
  hcc=n/a
  [ "$hs_med" != n/a ] && hcc=$(awk -v a="$hc" -v b="$hs_med" 'BEGIN { printf "%.3f", a - b }')
  notes+=("- full build, Lua (CPU s per round): native ${nat_c[*]} (of which the one link ${nat_l[*]}); hcr-build -j1 ${hcr_c[*]}, of which hcr-build's own process (the rewrite, which parses all 33 modules; perf stat --no-inherit) ${hcr_self[*]} and its 33 compiler runs (each compiles one module and links it: the host, or a .so against libhcr.so) the rest. hcr-build's --timings (wall): $(printf '%s; ' "${hcr_timings[@]}")")
  notes+=("- full build split (CPU s, medians): native: compile $ncc + one link $nl = $nc; plain shared objects: compile with -fPIC $mod_cc ($(ratio "$mod_cc" "$ncc")x native's compile) + 33 links (32 .so, the executable) $mod_lc = $mod_c ($(ratio "$mod_c" "$nc")x native); hcr: its own work $hs_med + its compiler runs $hcc = $hc; hcr's rewritten sources compiled with -fPIC, without linking: $rew_cc ($(ratio "$rew_cc" "$mod_cc")x the original sources with -fPIC).")

  # the C modules of testes/libs, as lua-suite.sh builds them
  for l in lib1:lib1 lib11:lib11 lib2:lib2 lib21:lib21 lib2-v2:lib22; do
    $CC -w -std=gnu99 -O2 -I"$src" -fPIC -shared \
      -o "$src/testes/libs/${l%%:*}.so" "$src/testes/libs/${l#*:}.c"
  done

  # -------------------------------------------------- 2. Lua start-up
  say "Lua: start-up, $startup_runs runs of each, interleaved"
  out=$(abrun "$startup_runs" native "$lua" native/lua -e "" \
    ::: hcr "$lua" hcr/lua -e "" \
    ::: shared-objects "$lua" modules/lua -e "")
  echo "$out" >>"$log"
  ln=$(echo "$out" | grep '^native ')
  lh=$(echo "$out" | grep '^hcr ')
  lm=$(echo "$out" | grep '^shared-objects ')
  lua_start_rows=(
    "start-up, \`lua -e ''\` (median wall, $startup_runs runs)|$(ms "$(field "$ln" 2)") ms|$(ms "$(field "$lh" 2)") ms|$(diffms "$(field "$lh" 2)" "$(field "$ln" 2)") ms|$(ratio "$(field "$lh" 2)" "$(field "$ln" 2)")x|native + 5 ms|$(verdict "$(field "$lh" 2) - $(field "$ln" 2) <= 0.005")"
    "start-up, \`lua -e ''\` (median CPU)|$(ms "$(field "$ln" 5)") ms|$(ms "$(field "$lh" 5)") ms|$(diffms "$(field "$lh" 5)" "$(field "$ln" 5)") ms|$(ratio "$(field "$lh" 5)" "$(field "$ln" 5)")x||")
  lua_init=$(init_phases "$lua" hcr/lua -e "")
  notes+=("- \`lua -e ''\` (median wall, CPU, minor page faults): native $(ms "$(field "$ln" 2)") ms / $(ms "$(field "$ln" 5)") ms / $(field "$ln" 6); plain shared objects (33 objects that ld.so loads) $(ms "$(field "$lm" 2)") / $(ms "$(field "$lm" 5)") / $(field "$lm" 6); hcr $(ms "$(field "$lh" 2)") / $(ms "$(field "$lh" 5)") / $(field "$lh" 6).")
  notes+=("- \`lua -e ''\`, hcr_init's phases (ms, median of 21; $phase_names): $lua_init")
  if [ $perf_ok = 1 ]; then
    say "Lua: start-up under perf record (hcr build, 30 runs)"
    if (cd "$lua" && perf record -q -e cpu-clock -F 20000 -o "$lua/perf-start.data" -- \
      bash -c 'for i in $(seq 30); do hcr/lua -e ""; done') >>"$log" 2>&1; then
      notes+=("- \`lua -e ''\` with hcr under perf record (cpu-clock, 30 runs; share of the samples of the lua processes): $(perf report -i "$lua/perf-start.data" --sort comm,dso --stdio 2>/dev/null |
        awk '$2 == "lua" { sub("%", "", $1); p[$3] += $1; t += $1 }
          END { for (d in p) if (p[d] / t >= 0.01) printf "%.1f%% %s\n", 100 * p[d] / t, d }' |
        sort -rn | awk '{ printf "%s; ", $0 }')every other object below 1%")
    fi
  fi

  # -------------------------------------------------- 3. steady state
  say "Lua: testes/all.lua (_U=true), $suite_runs runs of each, interleaved"
  mkdir -p "$lua/out-suite"
  out=$(ABRUN_OUT=$lua/out-suite abrun "$suite_runs" \
    native "$src/testes" "$lua/native/lua" -e_U=true all.lua \
    ::: hcr "$src/testes" "$lua/hcr/lua" -e_U=true all.lua \
    ::: shared-objects "$src/testes" "$lua/modules/lua" -e_U=true all.lua)
  echo "$out" >>"$log"
  for v in native hcr shared-objects; do
    grep -q 'final OK' "$lua/out-suite/$v.out" || {
      echo "error: all.lua did not pass with the $v build: $lua/out-suite/$v.out" >&2
      exit 1
    }
  done
  sn=$(echo "$out" | grep '^native ')
  sh=$(echo "$out" | grep '^hcr ')
  sm=$(echo "$out" | grep '^shared-objects ')
  say "Lua: experiments/scripts/lua-bench.lua, $bench_runs runs of each, interleaved"
  mkdir -p "$lua/out-bench"
  out=$(ABRUN_OUT=$lua/out-bench abrun "$bench_runs" \
    native "$lua" native/lua "$here/lua-bench.lua" \
    ::: hcr "$lua" hcr/lua "$here/lua-bench.lua" \
    ::: shared-objects "$lua" modules/lua "$here/lua-bench.lua")
  echo "$out" >>"$log"
  strip_times() { sed 's/ *(.*//' "$1"; }
  for v in hcr shared-objects; do
    diff <(strip_times "$lua/out-bench/native.out") <(strip_times "$lua/out-bench/$v.out") >/dev/null || {
      echo "error: lua-bench.lua printed other results with the $v build" >&2
      exit 1
    }
  done
  bn=$(echo "$out" | grep '^native ')
  bh=$(echo "$out" | grep '^hcr ')
  bm=$(echo "$out" | grep '^shared-objects ')
  steady_rows=(
    "steady state, testes/all.lua (median wall, $suite_runs runs)|$(sec "$(field "$sn" 2)") s|$(sec "$(field "$sh" 2)") s|$(diffms "$(field "$sh" 2)" "$(field "$sn" 2)") ms|$(ratio "$(field "$sh" 2)" "$(field "$sn" 2)")x|≤ 1.03x|$(verdict "$(field "$sh" 2) / $(field "$sn" 2) <= 1.03")"
    "steady state, testes/all.lua (median CPU)|$(sec "$(field "$sn" 5)") s|$(sec "$(field "$sh" 5)") s|$(diffms "$(field "$sh" 5)" "$(field "$sn" 5)") ms|$(ratio "$(field "$sh" 5)" "$(field "$sn" 5)")x||"
    "steady state, lua-bench.lua (median wall, $bench_runs runs)|$(sec "$(field "$bn" 2)") s|$(sec "$(field "$bh" 2)") s|$(diffms "$(field "$bh" 2)" "$(field "$bn" 2)") ms|$(ratio "$(field "$bh" 2)" "$(field "$bn" 2)")x|≤ 1.03x|$(verdict "$(field "$bh" 2) / $(field "$bn" 2) <= 1.03")"
    "steady state, lua-bench.lua (median CPU)|$(sec "$(field "$bn" 5)") s|$(sec "$(field "$bh" 5)") s|$(diffms "$(field "$bh" 5)" "$(field "$bn" 5)") ms|$(ratio "$(field "$bh" 5)" "$(field "$bn" 5)")x||")
  notes+=("- steady state, the plain shared objects (median wall, CPU; ratio to native): all.lua $(sec "$(field "$sm" 2)") s, $(sec "$(field "$sm" 5)") s ($(ratio "$(field "$sm" 2)" "$(field "$sn" 2)")x, $(ratio "$(field "$sm" 5)" "$(field "$sn" 5)")x); lua-bench.lua $(sec "$(field "$bm" 2)") s, $(sec "$(field "$bm" 5)") s ($(ratio "$(field "$bm" 2)" "$(field "$bn" 2)")x, $(ratio "$(field "$bm" 5)" "$(field "$bn" 5)")x).")
  notes+=("- steady state, median over rounds of each round's ratio to native (wall, CPU): all.lua hcr $(field "$sh" 7)x, $(field "$sh" 8)x, shared objects $(field "$sm" 7)x, $(field "$sm" 8)x; lua-bench.lua hcr $(field "$bh" 7)x, $(field "$bh" 8)x, shared objects $(field "$bm" 7)x, $(field "$bm" 8)x.")
  notes+=("- steady state, the fastest run of each (wall; ratio to native): all.lua native $(sec "$(field "$sn" 3)") s, hcr $(sec "$(field "$sh" 3)") s ($(ratio "$(field "$sh" 3)" "$(field "$sn" 3)")x), shared objects $(sec "$(field "$sm" 3)") s ($(ratio "$(field "$sm" 3)" "$(field "$sn" 3)")x); lua-bench.lua native $(sec "$(field "$bn" 3)") s, hcr $(sec "$(field "$bh" 3)") s ($(ratio "$(field "$bh" 3)" "$(field "$bn" 3)")x), shared objects $(sec "$(field "$bm" 3)") s ($(ratio "$(field "$bm" 3)" "$(field "$bn" 3)")x); the slowest: native $(sec "$(field "$bn" 4)") s, hcr $(sec "$(field "$bh" 4)") s.")
  notes+=("- lua-bench.lua's parts, CPU s (os.clock) in the first round: native $(awk '{ printf "%s %s ", $1, $(NF - 1) }' "$lua/out-bench/native.out" | tr -d '('), hcr $(awk '{ printf "%s %s ", $1, $(NF - 1) }' "$lua/out-bench/hcr.out" | tr -d '('), shared objects $(awk '{ printf "%s %s ", $1, $(NF - 1) }' "$lua/out-bench/shared-objects.out" | tr -d '(').")
  if [ $perf_ok = 1 ]; then
    say "Lua: lua-bench.lua under perf record (hcr build)"
    if (cd "$lua" && perf record -q -e cpu-clock -F 999 -o "$lua/perf.data" -- hcr/lua "$here/lua-bench.lua") >>"$log" 2>&1; then
      perf report -i "$lua/perf.data" --sort dso --stdio 2>/dev/null | grep '%' > "$lua/perf-dso.txt" || true
      tramp=$(awk '/\[JIT\]|\/\/anon/ { sub("%", "", $1); s += $1 } END { printf "%.1f", s }' "$lua/perf-dso.txt")
      inlib=$(awk '/libhcr\.so/ { sub("%", "", $1); s += $1 } END { printf "%.1f", s }' "$lua/perf-dso.txt")
      notes+=("- lua-bench.lua with hcr under perf record (cpu-clock): $tramp% of the samples in the trampolines (anonymous executable memory), $inlib% in libhcr.so; per object: $(head -n 8 "$lua/perf-dso.txt" | awk '{ $1 = $1; printf "%s; ", $0 }' | sed 's/memfd:hcr-//g; s/ (deleted)//g')")
    fi
  fi

  # -------------------------------------------------- 4b. one-file edit
  say "Lua: a one-function edit of lstrlib.c and the rebuild, $edit_rounds rounds"
  native_edit() {
    $CC "${flags[@]}" -c "$src/lstrlib.c" -o "$lua/native/obj/lstrlib.o" &&
      $CC "$lua/native"/obj/*.o -o "$lua/native/lua" "${libs[@]}"
  }
  hcr_edit() {
    local p=()
    [ $perf_ok = 1 ] && p=(perf stat --no-inherit -x, -e task-clock -o "$lua/self-cpu.txt" --)
    (cd "$src" && "${p[@]}" "$hcr_build" -q --timings -j1 -p "$src" -o "$lua/hcr" -- "${libs[@]}")
  }
  ew_n=() ew_h=() ec_n=() ec_h=() es_h=() edit_timings=()
  for r in $(seq "$edit_rounds"); do
    # a new constant in str_len (string.len) each round: new machine code
    sed -i -E "s/lua_pushinteger\(L, \(lua_Integer\)l( \+ [0-9]+)?\);/lua_pushinteger(L, (lua_Integer)l + $r);/" "$src/lstrlib.c"
    grep -q "(lua_Integer)l + $r);" "$src/lstrlib.c"
    measure native_edit
    ew_n+=("$W") ec_n+=("$C")
    measure hcr_edit
    ew_h+=("$W") ec_h+=("$C") es_h+=("$(self_cpu)")
    edit_timings+=("$(grep 'timings:' "$log" | tail -n 1 | sed 's/.*timings: //')")
    for l in native/lua hcr/lua; do
      [ "$("$lua/$l" -e 'io.write(string.len("abc"))')" = $((3 + r)) ] || {
        echo "error: $l does not run the edited string.len" >&2
        exit 1
      }
    done
  done
  out=$(abrun 5 hcr-build-nothing-changed "$src" "$hcr_build" -q -j1 -p "$src" -o "$lua/hcr" -- "${libs[@]}")
  echo "$out" >>"$log"
  noop=$(echo "$out" | grep '^hcr-build-nothing-changed ')
  wn=$(med "${ew_n[@]}") wh=$(med "${ew_h[@]}")
  edit_row=("one-function edit of lstrlib.c, rebuild (median wall, $edit_rounds rounds)" "$wn s" "$wh s"
    "$(diffms "$wh" "$wn") ms" "$(ratio "$wh" "$wn")x" "native + 200 ms"
    "$(verdict "$wh - $wn <= 0.2")")
  notes+=("- one-function edit (wall s per round): native (clang-19 -c lstrlib.c, then the link of the 33 objects) ${ew_n[*]}, CPU ${ec_n[*]}; hcr-build (lstrlib rewritten and compiled into lstrlib.so) ${ew_h[*]}, CPU ${ec_h[*]}, of which hcr-build's own process ${es_h[*]}; hcr-build's --timings: $(printf '%s; ' "${edit_timings[@]}")")
  notes+=("- hcr-build when nothing changed (median of 5): wall $(sec "$(field "$noop" 2)") s, CPU $(sec "$(field "$noop" 5)") s.")
fi

# ------------------------------------------------------------- the table
load_after=$(uptime | sed 's/.*load average: //')
elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
{
  echo "| Measurement | native | hcr | hcr − native | hcr / native | target | |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  if [ $lua_rows = 1 ]; then
    for l in "${lua_start_rows[@]}" "${steady_rows[@]}"; do echo "| ${l//|/ | } |"; done
    echo "| ${full_build_row[0]} | ${full_build_row[1]} | ${full_build_row[2]} | ${full_build_row[3]} | ${full_build_row[4]} | ${full_build_row[5]} | ${full_build_row[6]} |"
    echo "| ${edit_row[0]} | ${edit_row[1]} | ${edit_row[2]} | ${edit_row[3]} | ${edit_row[4]} | ${edit_row[5]} | ${edit_row[6]} |"
  else
    echo
    echo "(Lua parts skipped: $corpus not found)"
  fi
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -sr), $($CC --version | head -n 1); load average (1, 5, 15 min) $load_before at the start, $load_after at the end; an anonymous page fault took $pf_us µs; hcr built from $hcr_src at $hcr_version; the run took $elapsed s."
  echo
  echo "Where the time goes:"
  echo
  printf '%s\n' "${notes[@]}"
} > "$results"
cat "$results"
