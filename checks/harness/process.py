"""Running commands for the checks: `run` fails a check with the end of the
command's output, `nix_eval` evaluates an expression with the host's Nix
(relative paths are the repository's), and PrintedResults reports a module
of checks that runs on its own."""

import json
import subprocess
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class Failure(Exception):
    """A check's assertion failed; the message says what and why."""


def run(cmd, *, cwd=None, env_vars=None, ok_codes=(0,), timeout=1800, echo=None):
    """Runs a command, returns the CompletedProcess; fails the check on an
    unexpected exit code, quoting the end of its output. With `echo` (a text
    file), its stderr also goes there as it comes."""
    cmd = [str(c) for c in cmd]
    if echo is None:
        proc = subprocess.run(cmd, cwd=cwd, env=env_vars, capture_output=True,
                              text=True, errors="replace", timeout=timeout)
    else:
        proc = streamed(cmd, cwd, env_vars, timeout, echo)
    if proc.returncode not in ok_codes:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise Failure(f"`{' '.join(map(str, cmd))}` exited {proc.returncode}:\n{tail}")
    return proc


def streamed(cmd, cwd, env_vars, timeout, echo):
    """subprocess.run with capture_output, but each line of stderr also
    written to `echo` as it comes."""
    with subprocess.Popen(cmd, cwd=cwd, env=env_vars, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace") as proc:
        stdout = []
        reader = threading.Thread(target=lambda: stdout.append(proc.stdout.read()))
        reader.start()
        expired = threading.Event()
        timer = threading.Timer(timeout, lambda: (expired.set(), proc.kill()))
        timer.start()
        stderr = []
        try:
            for line in proc.stderr:
                stderr.append(line)
                echo.write(line)
                echo.flush()
            proc.wait()
        finally:
            timer.cancel()
            reader.join()
        if expired.is_set():
            raise subprocess.TimeoutExpired(cmd, timeout)
    return subprocess.CompletedProcess(cmd, proc.returncode, "".join(stdout), "".join(stderr))


class PrintedResults:
    """What a module of checks reports to when it runs on its own (the suite
    has its own Results): a line per check, and how many failed."""

    def __init__(self):
        self.failed = 0

    def check(self, name, fn):
        try:
            print(f"ok   {name}  {fn() or ''}", flush=True)
        except (Failure, subprocess.TimeoutExpired, OSError) as err:
            self.failed += 1
            print(f"FAIL {name}\n     " + str(err).replace("\n", "\n     "), flush=True)

    def skip(self, name, why):
        print(f"skip {name}  ({why})", flush=True)


def nix_eval(expr):
    proc = run(["nix-instantiate", "--eval", "--strict", "--json", "-E", expr], cwd=REPO)
    return json.loads(proc.stdout)
