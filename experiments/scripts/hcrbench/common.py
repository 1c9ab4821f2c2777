"""What every experiment does the same way: the paths file CMake writes,
running a command, replacing a module as a build does, talking to a host
line by line, naming the signal that killed it, and timing variants
interleaved round after round."""
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading

# A hung child (a deadlock in a reload) must not hang the run.
TIMEOUT_S = 600


class Unavailable(Exception):
    """A strategy this build cannot run (e.g. a runtime variant not built)."""


class Paths:
    """build/experiments/paths.json: every program, library and compiler the
    experiments use, as CMake built them."""

    def __init__(self, file):
        with open(file) as f:
            self.entries = json.load(f)
        self.file = file

    def __getitem__(self, key):
        return self.entries[key]

    @property
    def cc(self):
        return self.entries["c_compiler"]

    def cflags(self):
        """Flags every compile and link at run time needs to match the build
        (the sanitizers of a HCR_SANITIZE build)."""
        s = self.entries.get("sanitize")
        return [f"-fsanitize={s}", "-fno-omit-frame-pointer"] if s else []

    def runtime_variant(self, name):
        """The libhcr.so of a runtime variant; Unavailable if not built."""
        path = self.entries.get("runtime_variants", {}).get(name)
        if not path:
            raise Unavailable(f"runtime variant {name} is not built "
                              f"(no hcr-runtime-{name} in {self.file})")
        return path

    def source(self, *parts):
        return os.path.join(self.entries["source_dir"], *parts)

    def experiments(self, *parts):
        return self.source("experiments", *parts)


def log(text):
    print(f"hcr-bench: {text}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def compile_c(paths, args):
    """The C compiler of the build, for programs generated at run time."""
    return run([paths.cc, *paths.cflags(), *args])


def replace_file(path, new=None):
    """What a build does: a new file written aside and renamed over path
    (new: the file to put there; default, a copy of the same bytes)."""
    shutil.copy2(new or path, path + ".tmp")
    os.rename(path + ".tmp", path)


def signal_name(returncode):
    """SIGSEGV etc. for a child killed by a signal, else None."""
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def first_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0] if lines else ""


class Child:
    """A host spoken to on stdin/stdout, one command and one JSON object per
    line; a crash ends the conversation (ask returns None) instead of
    raising, and a watchdog kills a hung host."""

    def __init__(self, cmd, stderr_path, env=None):
        self.stderr = open(stderr_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True, env=env)
        self.timed_out = False
        self.watchdog = threading.Timer(TIMEOUT_S, self.kill)
        self.watchdog.start()

    def kill(self):
        self.timed_out = True
        self.proc.kill()

    def read(self):
        line = self.proc.stdout.readline()
        try:
            return json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            return None

    def ask(self, command):
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        return self.read()

    def finish(self):
        """Says quit and returns the exit status (negative: a signal)."""
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            status = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.watchdog.cancel()
        self.stderr.close()
        return status


def interleaved(variants, rounds, args):
    """Runs every variant (name -> (argv, environment)) once per round, round
    after round, so that machine load hits all alike. Each run prints JSON
    lines {"case": ..., "ns_per_call": ...}. Returns (samples, medians):
    samples[variant][case] is the list over rounds."""
    samples = {v: {} for v in variants}
    for _ in range(rounds):
        for name, (cmd, env) in variants.items():
            out = run([*cmd, *args], env={**os.environ, **env}).stdout
            for line in out.splitlines():
                r = json.loads(line)
                samples[name].setdefault(r["case"], []).append(r["ns_per_call"])
    medians = {v: {c: statistics.median(s) for c, s in cases.items()}
               for v, cases in samples.items()}
    return samples, medians


def machine_facts(paths):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "compiler": run([paths.cc, "--version"]).stdout.splitlines()[0],
        "sanitize": paths["sanitize"] or None,
    }
