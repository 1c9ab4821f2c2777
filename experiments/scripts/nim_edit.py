#!/usr/bin/env python3
"""Edit to new code, for a Nim program: hcr against nim + restart.

One module of the program is edited (a string its report prints changes),
then the time until the new code runs is measured two ways, interleaved in
one run on the same machine:

  hcr:     the edit is saved; hcr-build main.nim (nim, the rewrite, the C
           compiler) rebuilds; the running program, told `reload`, reloads
           and its next `report` prints the new string;
  restart: the edit is saved; `nim c` rebuilds the program natively; the
           program is started again and prints the new string.

hcr-build's own breakdown (--timings) tells where hcr's time goes. Prints
the medians and their ratio; --out writes every sample as JSON.

The program's main.nim must take `serve` (docs/Nim.md, test/nim/Inputs/
program17): commands on stdin, `report` and `reload`, "ok" after each; and,
with no argument, print the report and exit.

  python3 experiments/scripts/nim_edit.py --build build \\
      --program test/nim/Inputs/program17 --module <file.nim> \\
      --text '<a string in the file that the report prints>'
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True,
                          text=True, **kw)


class Server:
    """The hcr build of the program, running in serve mode."""

    def __init__(self, exe, cwd):
        self.proc = subprocess.Popen([exe, "serve"], cwd=cwd, text=True,
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=1)

    def command(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the program ended: " + "".join(lines))
            if line.rstrip("\n") == "ok":
                return "".join(lines)
            lines.append(line)

    def stop(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        sys.exit(f"nim_edit: '{old}' is not in {path}")
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True, help="hcr's build directory")
    ap.add_argument("--program", required=True, help="the program's sources")
    ap.add_argument("--module", required=True, help="the .nim file to edit")
    ap.add_argument("--text", required=True,
                    help="a string of the module that the report prints")
    ap.add_argument("--mm", default="orc")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", help="write the samples as JSON")
    args = ap.parse_args()
    hcr_build = os.path.abspath(os.path.join(args.build, "bin", "hcr-build"))
    nim_flags = ["--hints:off", "--mm:" + args.mm]

    work = tempfile.mkdtemp(prefix="hcr-nim-edit-")
    try:
        hcr_src, native_src = os.path.join(work, "hcr"), os.path.join(
            work, "native")
        shutil.copytree(args.program, hcr_src)
        shutil.copytree(args.program, native_src)
        out = os.path.join(work, "out")
        run([hcr_build, "-q", "-o", out, "main.nim", "--"] + nim_flags,
            hcr_src)
        native_exe = os.path.join(work, "native-main")
        native_cmd = ["nim", "c"] + nim_flags + [
            "--nimcache:" + os.path.join(work, "native-cache"),
            "-o:" + native_exe, "main.nim"]
        run(native_cmd, native_src)
        server = Server(os.path.join(out, "main"), hcr_src)
        server.command("report")

        samples = {"hcr": [], "restart": [], "nim": [], "rewrite": [],
                   "compile": [], "reload": []}
        current = args.text
        for r in range(args.rounds):
            new = f"{args.text} r{r}"
            for how in (["hcr", "restart"] if r % 2 == 0 else
                        ["restart", "hcr"]):
                src = hcr_src if how == "hcr" else native_src
                edit(os.path.join(src, args.module), current, new)
                t0 = time.perf_counter()
                if how == "hcr":
                    built = run([hcr_build, "-q", "--timings", "-o", out,
                                 "main.nim", "--"] + nim_flags, hcr_src)
                    t1 = time.perf_counter()
                    server.command("reload")
                    t2 = time.perf_counter()
                    report = server.command("report")
                    m = re.search(r"nim (\d+) ms, rewrite (\d+) ms .*"
                                  r"compile (\d+) ms", built.stderr)
                    if m:
                        samples["nim"].append(float(m.group(1)))
                        samples["rewrite"].append(float(m.group(2)))
                        samples["compile"].append(float(m.group(3)))
                    samples["reload"].append((t2 - t1) * 1000)
                else:
                    run(native_cmd, native_src)
                    report = run([native_exe], native_src).stdout
                elapsed = (time.perf_counter() - t0) * 1000
                if new not in report:
                    sys.exit(f"nim_edit: {how}: the new code did not run "
                             f"(no '{new}' in its report)")
                samples[how].append(elapsed)
            # Both copies now have the new text.
            current = new
        server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in samples.items() if v}
    print(f"edit to new code, {args.module} of {args.program} "
          f"(--mm:{args.mm}), medians of {args.rounds} rounds:")
    print(f"  hcr (hcr-build + reload): {med['hcr']:.0f} ms "
          f"[nim {med.get('nim', 0):.0f}, rewrite {med.get('rewrite', 0):.0f}, "
          f"compile {med.get('compile', 0):.0f}, "
          f"reload {med['reload']:.0f}]")
    print(f"  nim c + restart:          {med['restart']:.0f} ms")
    print(f"  ratio hcr / restart:      {med['hcr'] / med['restart']:.2f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"mm": args.mm, "module": args.module,
                       "samples_ms": samples, "medians_ms": med}, f,
                      indent=2)


if __name__ == "__main__":
    main()
