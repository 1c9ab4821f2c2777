"""hcr's own strategies, built with hcr-build: the default trampolines, slot
patching, every call indirect through our trampolines, and Nim's jump
encoding (every call indirect, with the runtime variant that writes Nim's
entries put in place of the program's libhcr.so)."""
import os
import subprocess

from .common import Unavailable, replace_file

# name -> (hcr-build flags, runtime variant or None)
STRATEGIES = {
    "hcr-default": ([], None),
    "hcr-slot-patching": (["--slot-patching"], None),
    "hcr-all-indirect": (["--all-calls-indirect"], None),
    "nim-encoding-near": (["--all-calls-indirect"], "nim-near"),
    "nim-encoding-far": (["--all-calls-indirect"], "nim-far"),
}


def check(paths, strategy):
    """Raises Unavailable if this build cannot run strategy."""
    variant = STRATEGIES[strategy][1]
    if variant:
        paths.runtime_variant(variant)


def build(paths, strategy, out, sources, opts, check_errors=True):
    """hcr-build of sources into out for strategy; opts go to the compiler.
    hcr-build places libhcr.so beside the program (rpath $ORIGIN), so a
    runtime variant replaces that file after every build. Returns the
    CompletedProcess (check_errors=False: a failed build is returned)."""
    flags, variant = STRATEGIES[strategy]
    library = paths.runtime_variant(variant) if variant else None
    cmd = [paths["hcr_build"], "-q", "--cc", paths.cc, *flags, "-o", out,
           *sources, "--", *paths.cflags(), *opts]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        if check_errors:
            done.check_returncode()
        return done
    if library:
        replace_file(os.path.join(out, "libhcr.so"), library)
    return done

