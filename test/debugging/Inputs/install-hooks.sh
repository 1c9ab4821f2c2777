#!/usr/bin/env bash
# install-hooks.sh CMAKE BUILD_DIR TMP: installs hcr's debugger component
# into a staging tree (DESTDIR=TMP/stage, prefix /opt/hcr), then checks,
# against what gdb and lldb say of themselves, that each would load hcr's
# helpers with no setup: the links sit in the directories the debuggers
# read by themselves and lead to the installed helpers, and each debugger,
# given the staged file where it would find it, gets hcr's commands.
set -euo pipefail
cmake=$1 build=$2 tmp=$3
stage=$tmp/stage
rm -rf "$tmp" && mkdir -p "$tmp"
DESTDIR=$stage "$cmake" --install "$build" --prefix /opt/hcr \
  --component debugger >"$tmp/install.log"

# gdb reads each script in its system gdbinit directory when it starts.
gdb_dir=$(gdb --configuration | sed -n 's/.*--with-system-gdbinit-dir=\([^ ]*\).*/\1/p')
gdb_hook=$stage$gdb_dir/hcr-gdb.py
echo "gdb hook leads to: $(realpath --relative-to="$stage" "$gdb_hook")"
# -nx leaves out the machine's own init files; -ix reads the staged hook
# first, as gdb reads its system directory first.
gdb -batch -nx -ix "$gdb_hook" -ex 'help info hcr-frame' 2>&1 | grep -v 'index cache' | head -1 |
  sed 's/^/gdb: /'

# Each lldb debugger loads every plugin in lldb's plugin directory.
lldb_dir=$(lldb-19 --no-lldbinit -b -o "script import lldb; print('plugins:', lldb.SBHostOS.GetLLDBPath(lldb.ePathTypeLLDBSystemPlugins))" |
  sed -n 's/^plugins: //p')
lldb_hook=$stage$lldb_dir/libhcr-lldb.so
echo "lldb hook leads to: $(realpath --relative-to="$stage" "$lldb_hook")"
# lldb 19 also loads the plugins of its user plugin directory,
# "~/.local/share/lldb": it lists the directory as written, from the
# directory it starts in, then loads each file it found from
# $HOME/.local/share/lldb. Both lead to the staged link.
run=$tmp/run
for dir in "$run/~/.local/share/lldb" "$run/.local/share/lldb"; do
  mkdir -p "$dir" && ln -s "$lldb_hook" "$dir/libhcr-lldb.so"
done
(cd "$run" && HOME=$run lldb-19 --no-lldbinit -b -o 'help hcr-frame' \
  -o 'settings show use-source-cache' 2>&1) | sed 's/^/lldb: /'
