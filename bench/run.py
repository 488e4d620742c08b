#!/usr/bin/env python3
"""Measure what flake8-sqlsec costs, next to plain flake8, bandit and ruff.

    python bench/run.py DIR [DIR ...] [--rounds 5] [--jobs 1] [--venv-dir .bench-venvs]
                        [--slices N] [--json out.json] [--markdown out.md]
    python bench/run.py --scaling OUTDIR [--rounds 5]

The first form runs, on each DIR, five commands side by side: plain flake8, flake8 with
the plugin, the plugin's codes alone, bandit's SQL checks and ruff's SQL checks. Each
round runs every command once, in an order rotated from one round to the next; the
report gives medians over the rounds. With ``--slices N`` a round lints DIR in N parts
of about equal lines, every command on one part before the next part, and adds the
parts up: on a machine whose speed drifts over minutes, the two runs of a pair are then
seconds apart (each part pays flake8's start-up, on both sides). The second form runs
plain flake8 and flake8 with the plugin on each ``scale_*.py`` module written by
``bench/gen_scaling.py`` to show how the added time per line behaves as modules grow.
Both forms can be given together.

flake8 runs from two throwaway virtual environments under --venv-dir: ``base`` (flake8
only, same versions of flake8 and its checkers as in ``plugin``) and ``plugin`` (flake8
plus this package, installed from a copy of the working tree, reinstalled whenever
flake8_sqlsec/ or pyproject.toml change). bandit and ruff are installed into ``base``
(or taken from PATH with --path-tools, or when installing them fails).

Each command is started by a small launcher that forks it and collects os.wait4()'s
figures: wall time around the command, CPU time as user+sys of the command and of the
processes it waited for (flake8's -j workers), peak RSS as ru_maxrss (the largest single
process, not a sum). POSIX only; standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "flake8_sqlsec"
DISTRIBUTION = "flake8-sqlsec"
STATS_ENV = "FLAKE8_SQLSEC_STATS"
STATE_FILE = "bench-state.json"
# flake8's default --exclude; used to count the lines flake8 sees.
FLAKE8_EXCLUDE = (".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs", "*.egg")
# Packages whose versions must match between the two flake8 environments.
FLAKE8_STACK = ("flake8", "pyflakes", "pycodestyle", "mccabe")
# Environment variables that would make a run depend on the caller's shell.
SCRUB_ENV = (
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONHOME",
    "PYTHONDONTWRITEBYTECODE",
    STATS_ENV,
    "RUFF_CACHE_DIR",
    "VIRTUAL_ENV",
)

TOOL_KEYS = ("flake8", "flake8+sqlsec", "sqlsec", "bandit", "ruff")
TOOL_LABELS = {
    "flake8": "plain flake8 (default codes)",
    "flake8+sqlsec": "flake8 + plugin (default codes)",
    "sqlsec": "plugin only (--select SQL: audit rules on)",
    "bandit": "bandit (B608,B610,B611)",
    "ruff": "ruff (S608,S610,S611)",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Running one command and measuring it
# --------------------------------------------------------------------------------------


@dataclass
class Measure:
    wall: float = 0.0
    cpu: float = 0.0
    user: float = 0.0
    sys: float = 0.0
    maxrss_mib: float = 0.0
    returncode: Optional[int] = None
    stdout: str = ""
    stderr: str = ""
    error: Optional[str] = None  # set when the command could not run or timed out


def _maxrss_mib(ru_maxrss: int) -> float:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


# A child's ru_maxrss starts from the peak RSS of the process that forked it (the kernel
# carries the parent's high-water mark through fork and exec), and this script grows as it
# collects outputs. So each command is started by a small, fresh interpreter that forks
# it, waits for it with os.wait4() and writes the figures to a file. Its own footprint
# (a few MiB, shown as the "RSS floor" in the report) is the least peak RSS measurable.
LAUNCHER = """
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        os.write(2, ("cannot start %s: %s\\n" % (argv[0], exc)).encode())
    os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result, "w") as handle:
    handle.write("%r %r %r %d %d\\n" % (wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss,
                                      os.waitstatus_to_exitcode(status)))
"""


def measure(cmd: Sequence[str], env: Dict[str, str], timeout: float, cwd: Optional[Path] = None) -> Measure:
    """Run ``cmd`` once through the launcher; wall time, CPU time and peak RSS of ``cmd``."""
    result = Measure()
    exe = shutil.which(cmd[0], path=env.get("PATH"))
    if exe is None:
        result.error = f"cannot start {cmd[0]}: not found or not executable"
        return result
    with (
        tempfile.TemporaryDirectory(prefix="sqlsec-bench-") as tmp,
        open(Path(tmp) / "out", "w+b") as out,
        open(Path(tmp) / "err", "w+b") as err,
    ):
        figures = Path(tmp) / "figures"
        launcher = [sys.executable, "-S", "-E", "-c", LAUNCHER, str(figures), exe, *cmd[1:]]
        try:
            proc = subprocess.Popen(
                launcher, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True
            )
        except OSError as exc:
            result.error = f"cannot start {sys.executable}: {exc}"
            return result
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:  # the launcher leads its own process group: take the command and its workers
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            result.error = f"timed out after {timeout:g} s"
        out.seek(0)
        err.seek(0)
        result.stdout = out.read().decode("utf-8", "replace")
        result.stderr = err.read().decode("utf-8", "replace")
        if result.error:
            return result
        try:
            wall, user, system, maxrss, code = figures.read_text().split()
        except (OSError, ValueError):
            result.error = f"the measuring launcher failed (exit {proc.returncode})\n" f"{_tail(result.stderr)}"
            return result
    result.wall, result.user, result.sys = float(wall), float(user), float(system)
    result.cpu = result.user + result.sys
    result.maxrss_mib = _maxrss_mib(int(maxrss))
    result.returncode = int(code)
    if result.returncode == 127 and "cannot start" in result.stderr:
        result.error = _tail(result.stderr, 2)
    return result


def rss_floor() -> float:
    """Peak RSS reported for a command that uses next to no memory."""
    true = shutil.which("true")
    return measure([true], base_env(), 60).maxrss_mib if true else 0.0


def _tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --------------------------------------------------------------------------------------
# Parsing the findings of each tool
# --------------------------------------------------------------------------------------


def parse_flake8(m: Measure) -> Tuple[Optional[int], Counter, Optional[str]]:
    """flake8 runs with --format=%(code)s: one code per line."""
    codes: Counter = Counter()
    odd = []
    for line in m.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[:1].isalpha() and line.isalnum() and len(line) <= 10:
            codes[line] += 1
        else:
            odd.append(line)
    if m.returncode not in (0, 1):
        return None, codes, f"exit status {m.returncode}\n{_tail(m.stderr or m.stdout)}"
    if "Traceback (most recent call last)" in m.stderr or (m.returncode == 1 and not codes):
        return None, codes, f"exit status {m.returncode}\n{_tail(m.stderr or m.stdout)}"
    if odd:
        return None, codes, "unexpected output:\n" + "\n".join(odd[:10])
    return sum(codes.values()), codes, None


def parse_bandit(m: Measure) -> Tuple[Optional[int], Counter, Optional[str]]:
    if m.returncode not in (0, 1):
        return None, Counter(), f"exit status {m.returncode}\n{_tail(m.stderr or m.stdout)}"
    try:
        data = json.loads(m.stdout)
        results = data["results"]
    except (ValueError, KeyError, TypeError) as exc:
        return None, Counter(), f"cannot read bandit's JSON ({exc})\n{_tail(m.stderr or m.stdout)}"
    codes = Counter(str(r.get("test_id", "?")) for r in results)
    return len(results), codes, None


def parse_ruff(m: Measure) -> Tuple[Optional[int], Counter, Optional[str]]:
    if m.returncode not in (0, 1):
        return None, Counter(), f"exit status {m.returncode}\n{_tail(m.stderr or m.stdout)}"
    try:
        results = json.loads(m.stdout)
        codes = Counter(str(r.get("code", "?")) for r in results)
    except (ValueError, TypeError, AttributeError) as exc:
        return None, Counter(), f"cannot read ruff's JSON ({exc})\n{_tail(m.stderr or m.stdout)}"
    return len(results), codes, None


PARSERS = {"flake8": parse_flake8, "bandit": parse_bandit, "ruff": parse_ruff}


# --------------------------------------------------------------------------------------
# The throwaway environments
# --------------------------------------------------------------------------------------


def bin_path(venv: Path, name: str) -> Path:
    return venv / "bin" / name


def source_hash(repo: Path) -> str:
    digest = hashlib.sha256()
    files = sorted((repo / PACKAGE).rglob("*.py")) + [repo / "pyproject.toml"]
    for path in files:
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(repo)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read_state(venv: Path) -> dict:
    try:
        return json.loads((venv / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_state(venv: Path, state: dict) -> None:
    (venv / STATE_FILE).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")


def _run_setup(cmd: Sequence[str], what: str) -> subprocess.CompletedProcess:
    # Run outside the repository: a `python -c` there would see the source tree and its
    # *.egg-info through sys.path[0] and report the plugin as installed.
    proc = subprocess.run(list(cmd), capture_output=True, text=True, cwd=tempfile.gettempdir())
    if proc.returncode:
        raise RuntimeError(
            f"{what} failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"{_tail(proc.stderr or proc.stdout, 20)}"
        )
    return proc


def _interpreter_id() -> str:
    return f"{sys.executable} {platform.python_version()}"


def _make_venv(venv: Path) -> None:
    state = _read_state(venv)
    if bin_path(venv, "python").exists() and state.get("interpreter") == _interpreter_id():
        return
    if venv.exists():
        log(f"  recreating {venv} (missing or made by another interpreter)")
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    _run_setup([sys.executable, "-m", "venv", str(venv)], f"creating {venv}")
    _write_state(venv, {"interpreter": _interpreter_id()})


def _pip(venv: Path, *args: str, what: str) -> None:
    _run_setup(
        [str(bin_path(venv, "python")), "-m", "pip", "install", "--disable-pip-version-check", "-q", *args], what
    )


def _versions(venv: Path, names: Iterable[str]) -> Dict[str, Optional[str]]:
    code = (
        "import json, sys\nfrom importlib import metadata\nout = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = metadata.version(n)\n"
        "    except metadata.PackageNotFoundError: out[n] = None\n"
        "print(json.dumps(out))\n"
    )
    proc = _run_setup([str(bin_path(venv, "python")), "-c", code, *names], f"reading versions in {venv}")
    return json.loads(proc.stdout)


def _copy_source(repo: Path, dest: Path) -> Path:
    """Copy what the build needs, so building does not leave build/ or *.egg-info in repo."""
    target = dest / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    shutil.copytree(repo / PACKAGE, target / PACKAGE, ignore=ignore)
    for name in os.listdir(repo):
        path = repo / name
        if path.is_file() and (
            name == "pyproject.toml"
            or name.startswith(("README", "LICENSE"))
            or name in ("setup.py", "setup.cfg", "MANIFEST.in")
        ):
            shutil.copy2(path, target / name)
    return target


def ensure_plugin_venv(venv: Path, repo: Path) -> Dict[str, Optional[str]]:
    _make_venv(venv)
    state = _read_state(venv)
    wanted = source_hash(repo)
    if state.get("source_hash") != wanted:
        log(f"  installing {DISTRIBUTION} from {repo} into {venv}")
        with tempfile.TemporaryDirectory(prefix="sqlsec-bench-") as tmp:
            _pip(venv, str(_copy_source(repo, Path(tmp))), what=f"installing {DISTRIBUTION}")
        state["source_hash"] = wanted
        _write_state(venv, state)
    return _versions(venv, FLAKE8_STACK + (DISTRIBUTION,))


def ensure_base_venv(venv: Path, pins: Dict[str, Optional[str]], want_linters: bool) -> Dict[str, Optional[str]]:
    _make_venv(venv)
    state = _read_state(venv)
    stack = {name: version for name, version in pins.items() if name in FLAKE8_STACK and version}
    if state.get("flake8_stack") != stack:
        log(f"  installing {', '.join(f'{n}=={v}' for n, v in stack.items())} into {venv}")
        _pip(venv, *(f"{n}=={v}" for n, v in stack.items()), what="installing flake8")
        state["flake8_stack"] = stack
        _write_state(venv, state)
    if want_linters and not state.get("linters"):
        log(f"  installing bandit and ruff into {venv}")
        try:
            _pip(venv, "bandit", "ruff", what="installing bandit and ruff")
            state["linters"] = True
            _write_state(venv, state)
        except RuntimeError as exc:
            log(f"  {exc}\n  falling back to bandit and ruff from PATH")
    return _versions(venv, FLAKE8_STACK + ("bandit", "ruff", DISTRIBUTION))


def _on_path(name: str) -> Optional[str]:
    found = shutil.which(name)
    if found and "/.pyenv/shims/" in found:
        # A pyenv shim is a shell script that adds its own start-up time: resolve it.
        proc = subprocess.run(["pyenv", "which", name], capture_output=True, text=True)
        if proc.returncode == 0 and proc.stdout.strip():
            found = proc.stdout.strip()
    return found


def _tool_version(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr) else "unknown"


@dataclass
class Setup:
    base: Path
    plugin: Path
    versions: Dict[str, Dict[str, Optional[str]]]
    linters: Dict[str, Dict[str, Optional[str]]]  # name -> {"path", "source", "version"}
    flake8_banner: Dict[str, str]
    rss_floor_mib: float


def prepare(args: argparse.Namespace, need_linters: bool) -> Setup:
    root = args.venv_dir
    base, plugin = root / "base", root / "plugin"
    log(f"preparing environments in {root}")
    plugin_versions = ensure_plugin_venv(plugin, args.repo)
    base_versions = ensure_base_venv(base, plugin_versions, want_linters=need_linters and not args.path_tools)
    if base_versions.get(DISTRIBUTION):
        raise RuntimeError(f"{base} has {DISTRIBUTION} installed; delete {root} and rerun")
    linters: Dict[str, Dict[str, Optional[str]]] = {}
    for name in ("bandit", "ruff"):
        if not need_linters:
            break
        in_base = bin_path(base, name)
        if not args.path_tools and in_base.exists():
            linters[name] = {"path": str(in_base), "source": "base venv"}
        else:
            found = _on_path(name)
            linters[name] = {"path": found, "source": "PATH" if found else "not found on PATH"}
        if linters[name]["path"]:
            linters[name]["version"] = _tool_version(linters[name]["path"])
    banners = {}
    for name, venv in (("base", base), ("plugin", plugin)):
        proc = subprocess.run([str(bin_path(venv, "flake8")), "--version"], capture_output=True, text=True)
        banners[name] = (
            " ".join(proc.stdout.split())
            if proc.returncode == 0
            else f"flake8 --version failed: {_tail(proc.stderr, 3)}"
        )
    for name, info in linters.items():
        log(
            f"  {name}: {info['path']} ({info['source']}, {info['version']})"
            if info["path"]
            else f"  {name}: {info['source']}"
        )
    for name, banner in banners.items():
        log(f"  {name} flake8: {banner}")
    floor = rss_floor()
    log(f"  RSS floor of the measurement: {floor:.1f} MiB")
    return Setup(base, plugin, {"base": base_versions, "plugin": plugin_versions}, linters, banners, floor)


# --------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------


@dataclass
class Tool:
    key: str
    kind: str  # flake8 | bandit | ruff
    cmd: List[str]
    env: Dict[str, str]
    missing: Optional[str] = None


def base_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SCRUB_ENV}


def flake8_cmd(venv: Path, select: Optional[str], jobs: int, *targets: str) -> List[str]:
    """flake8 on ``targets``; ``select`` None: the default codes (flake8's own, and the
    plugin's default-on rules where it is installed), as a user's plain run has them."""
    return [
        str(bin_path(venv, "flake8")),
        "--isolated",
        *(("--select", select) if select else ()),
        "-j",
        str(jobs),
        "--format=%(code)s",
        *targets,
    ]


def make_tools(setup: Setup, targets: Sequence[str], jobs: int, keys: Sequence[str]) -> List[Tool]:
    env = base_env()
    tools = {
        "flake8": Tool("flake8", "flake8", flake8_cmd(setup.base, None, jobs, *targets), env),
        "flake8+sqlsec": Tool("flake8+sqlsec", "flake8", flake8_cmd(setup.plugin, None, jobs, *targets), env),
        "sqlsec": Tool("sqlsec", "flake8", flake8_cmd(setup.plugin, "SQL", jobs, *targets), env),
    }
    bandit = setup.linters.get("bandit", {}).get("path")
    tools["bandit"] = Tool(
        "bandit",
        "bandit",
        [bandit or "bandit", "-q", "-r", "-t", "B608,B610,B611", "-f", "json", *targets],
        env,
        None if bandit else "bandit not found",
    )
    ruff = setup.linters.get("ruff", {}).get("path")
    # ruff is multi-threaded; hold it to --jobs threads like the others.
    tools["ruff"] = Tool(
        "ruff",
        "ruff",
        [
            ruff or "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "S608,S610,S611",
            "--output-format",
            "json",
            *targets,
        ],
        dict(env, RAYON_NUM_THREADS=str(jobs)),
        None if ruff else "ruff not found",
    )
    return [tools[k] for k in keys]


# --------------------------------------------------------------------------------------
# Corpus bookkeeping
# --------------------------------------------------------------------------------------


def python_files(target: Path) -> List[Path]:
    if target.is_file():
        return [target]
    found = []
    for dirpath, dirnames, filenames in os.walk(target):
        dirnames[:] = sorted(d for d in dirnames if not any(fnmatch.fnmatch(d, pat) for pat in FLAKE8_EXCLUDE))
        for name in sorted(filenames):
            if name.endswith(".py") and not any(fnmatch.fnmatch(name, p) for p in FLAKE8_EXCLUDE):
                found.append(Path(dirpath) / name)
    return found


def count_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# --------------------------------------------------------------------------------------
# Statistics and formatting
# --------------------------------------------------------------------------------------


@dataclass
class ToolResult:
    key: str
    command: List[str]
    walls: List[float] = field(default_factory=list)
    cpus: List[float] = field(default_factory=list)
    rss: List[float] = field(default_factory=list)
    findings: List[int] = field(default_factory=list)
    codes: Dict[str, int] = field(default_factory=dict)
    error: Optional[str] = None
    # flake8 + plugin only: the plugin's own per-file analysis time, summed, per round
    own: List[float] = field(default_factory=list)

    def median_wall(self) -> Optional[float]:
        return statistics.median(self.walls) if self.walls else None

    def median_cpu(self) -> Optional[float]:
        return statistics.median(self.cpus) if self.cpus else None


@dataclass
class RoundTotal:
    """One command's figures over the slices of one round: times and findings add up,
    peak RSS is the largest of the slices'."""

    wall: float = 0.0
    cpu: float = 0.0
    rss: float = 0.0
    findings: int = 0
    codes: Counter = field(default_factory=Counter)
    own: Optional[float] = None

    def add(self, m: Measure, count: int, codes: Dict[str, int], own: Optional[float]) -> None:
        self.wall += m.wall
        self.cpu += m.cpu
        self.rss = max(self.rss, m.maxrss_mib)
        self.findings += count
        self.codes.update(codes)
        if own is not None:
            self.own = (self.own or 0.0) + own

    def record(self, res: ToolResult) -> None:
        res.walls.append(self.wall)
        res.cpus.append(self.cpu)
        res.rss.append(self.rss)
        res.findings.append(self.findings)
        res.codes = dict(self.codes)
        if self.own is not None:
            res.own.append(self.own)


def split_files(files: Sequence[Path], sizes: Sequence[int], count: int) -> List[List[Path]]:
    """The files (of ``sizes`` lines) in ``count`` runs of about the same number of
    lines, in walk order."""
    share = sum(sizes) / max(1, count)
    parts: List[List[Path]] = [[]]
    filled = 0
    for path, size in zip(files, sizes):
        if parts[-1] and filled + size / 2 > share * len(parts) and len(parts) < count:
            parts.append([])
        parts[-1].append(path)
        filled += size
    return [part for part in parts if part]


def fmt(value: Optional[float], spec: str = ".3f", none: str = "n/a") -> str:
    return none if value is None else format(value, spec)


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a / b if a is not None and b else None


def added_pct(with_: Optional[float], without: Optional[float]) -> Optional[float]:
    return (with_ - without) / without * 100 if with_ is not None and without else None


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _codes_line(codes: Dict[str, int]) -> str:
    return ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none"


# --------------------------------------------------------------------------------------
# The corpus benchmark
# --------------------------------------------------------------------------------------


def reach_stats(setup: Setup, target: str, jobs: int, timeout: float) -> dict:
    """One extra plugin-only run with FLAKE8_SQLSEC_STATS pointing at a fresh file."""
    with tempfile.TemporaryDirectory(prefix="sqlsec-stats-") as tmp:
        stats_path = Path(tmp) / "stats.jsonl"
        env = dict(base_env(), **{STATS_ENV: str(stats_path)})
        cmd = [
            str(bin_path(setup.plugin, "python")),
            "-c",
            "import sys; from flake8.main.cli import main; sys.exit(main())",
            "--isolated",
            "--select",
            "SQL",
            "-j",
            str(jobs),
            "--format=%(code)s",
            target,
        ]
        m = measure(cmd, env, timeout)
        if m.error:
            return {"reported": False, "error": m.error}
        if not stats_path.exists():
            return {"reported": False}
        per_file: Dict[str, dict] = {}
        bad = 0
        for line in stats_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                per_file[str(rec["file"])] = {
                    "other_modules": bool(rec.get("other_modules")),
                    "seconds": float(rec.get("seconds") or 0.0),
                }
            except (ValueError, KeyError, TypeError):
                bad += 1
    following = [r for r in per_file.values() if r["other_modules"]]
    others = [r for r in per_file.values() if not r["other_modules"]]
    return {
        "reported": True,
        "files": len(per_file),
        "following_files": len(following),
        "share": len(following) / len(per_file) if per_file else None,
        "seconds_following_files": sum(r["seconds"] for r in following),
        "seconds_other_files": sum(r["seconds"] for r in others),
        "max_seconds": max((r["seconds"] for r in per_file.values()), default=0.0),
        "malformed_lines": bad,
    }


def reach_text(stats: dict) -> str:
    if not stats.get("reported"):
        if stats.get("skipped"):
            return "other modules read: not measured (the plugin-only run was not selected or failed)"
        if stats.get("error"):
            return f"other modules read: the statistics run failed ({stats['error']})"
        return "other modules read: not reported by this plugin version"
    share = stats["share"]
    text = (
        f"other modules read: by {stats['following_files']} of {stats['files']} files "
        f"({fmt(share * 100 if share is not None else None, '.1f')}%); plugin time "
        f"{stats['seconds_following_files']:.3f} s in those files, "
        f"{stats['seconds_other_files']:.3f} s in the others, "
        f"slowest file {stats['max_seconds']:.3f} s"
    )
    if stats["malformed_lines"]:
        text += f" ({stats['malformed_lines']} malformed lines ignored)"
    return text


def bench_corpus(setup: Setup, target: Path, args: argparse.Namespace) -> dict:
    files = python_files(target)
    sizes = [count_lines(p) for p in files]
    lines = sum(sizes)
    log(f"\n== {target}: {len(files)} Python files, {lines} lines")
    tools = make_tools(setup, [str(target)], args.jobs, args.tools)
    # With --slices, each round lints the files a slice at a time, every command on a
    # slice before the next slice: the two sides of a pair run seconds apart, not minutes.
    parts = split_files(files, sizes, args.slices) if args.slices > 1 else []
    per_slice = [make_tools(setup, [str(p) for p in part], args.jobs, args.tools) for part in parts] or [tools]
    results = {t.key: ToolResult(t.key, t.cmd) for t in tools}
    for t in tools:
        if t.missing:
            results[t.key].error = t.missing
            log(f"  {t.key}: skipped: {t.missing}")

    def run_one(t: Tool, total: RoundTotal) -> None:
        res = results[t.key]
        own = None
        if t.key == "flake8+sqlsec":
            # The plugin reports its own time per file into this file (FLAKE8_SQLSEC_STATS).
            with tempfile.TemporaryDirectory(prefix="sqlsec-own-") as tmp:
                stats_path = Path(tmp) / "stats.jsonl"
                m = measure(t.cmd, dict(t.env, **{STATS_ENV: str(stats_path)}), args.timeout)
                own = _own_seconds(stats_path)
        else:
            m = measure(t.cmd, t.env, args.timeout)
        if m.error:
            res.error = m.error
        else:
            count, codes, problem = PARSERS[t.kind](m)
            if problem:
                res.error = problem
            else:
                total.add(m, count, codes, own)
        if res.error:
            log(f"  {t.key}: FAILED, not run again on this target:\n    " + res.error.replace("\n", "\n    "))

    def one_round(shift: int, record: bool) -> List[str]:
        totals = {t.key: RoundTotal() for t in tools}
        for index, slice_tools in enumerate(per_slice):
            turn = (shift + index) % len(slice_tools)
            for t in slice_tools[turn:] + slice_tools[:turn]:
                if not results[t.key].error:
                    run_one(t, totals[t.key])
        done = []
        for t in tools[shift:] + tools[:shift]:
            res = results[t.key]
            if res.error:
                continue
            if record:
                totals[t.key].record(res)
            done.append(f"{t.key} {totals[t.key].wall:.2f}s")
        return done

    for _ in range(args.warmup):
        one_round(0, record=False)
    for r in range(args.rounds):
        done = one_round(r % len(tools), record=True)
        log(f"  round {r + 1}/{args.rounds}: " + ", ".join(done))

    stats = {"reported": False, "skipped": True}
    if "sqlsec" in args.tools and not results["sqlsec"].error:
        stats = reach_stats(setup, str(target), args.jobs, args.timeout)

    summary = {}
    for key, res in results.items():
        unstable = len(set(res.findings)) > 1
        summary[key] = {
            "label": TOOL_LABELS[key],
            "command": res.command,
            "error": res.error,
            "rounds": len(res.walls),
            "median_wall": res.median_wall(),
            "median_cpu": res.median_cpu(),
            "min_wall": min(res.walls) if res.walls else None,
            "max_wall": max(res.walls) if res.walls else None,
            "peak_rss_mib": max(res.rss) if res.rss else None,
            "findings": res.findings[-1] if res.findings else None,
            "findings_vary": unstable,
            "codes": res.codes,
            "lines_per_s": ratio(lines, res.median_wall()),
            "walls": res.walls,
            "cpus": res.cpus,
        }

    def get(key: str, what: str) -> Optional[float]:
        return summary.get(key, {}).get(what)

    paired = paired_ratios(results)

    ratios = {
        "plugin_vs_flake8_wall": ratio(get("flake8+sqlsec", "median_wall"), get("flake8", "median_wall")),
        "plugin_vs_flake8_cpu": ratio(get("flake8+sqlsec", "median_cpu"), get("flake8", "median_cpu")),
        "plugin_added_pct_wall": added_pct(get("flake8+sqlsec", "median_wall"), get("flake8", "median_wall")),
        "plugin_added_pct_cpu": added_pct(get("flake8+sqlsec", "median_cpu"), get("flake8", "median_cpu")),
        "plugin_only_vs_bandit_wall": ratio(get("sqlsec", "median_wall"), get("bandit", "median_wall")),
        "plugin_only_vs_bandit_cpu": ratio(get("sqlsec", "median_cpu"), get("bandit", "median_cpu")),
        "plugin_only_vs_ruff_wall": ratio(get("sqlsec", "median_wall"), get("ruff", "median_wall")),
        "plugin_only_vs_ruff_cpu": ratio(get("sqlsec", "median_cpu"), get("ruff", "median_cpu")),
        **paired,
    }
    return {
        "target": str(target),
        "files": len(files),
        "lines": lines,
        "slices": len(parts) or 1,
        "tools": summary,
        "ratios": ratios,
        "other_modules": stats,
    }


def _own_seconds(stats_path: Path) -> Optional[float]:
    """The plugin's analysis time summed over the files of one run (None if not reported)."""
    if not stats_path.exists():
        return None
    total = 0.0
    for line in stats_path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            total += float(json.loads(line).get("seconds") or 0.0)
        except (ValueError, TypeError, AttributeError):
            continue
    return total


def paired_ratios(results: Dict[str, ToolResult]) -> Dict[str, Optional[float]]:
    """Ratios taken round by round, then their median.

    The commands of one round run back to back, so a machine that is slower for a while
    slows both sides of a round's ratio; the ratio of two medians taken from different
    rounds does not cancel that. Also the plugin's own analysis time (what it measures
    itself, per file, inside the flake8 + plugin runs) against the rest of the same run."""
    plain, plugged, bandit = (results.get(k) for k in ("flake8", "flake8+sqlsec", "bandit"))

    def rounds(res: Optional[ToolResult]) -> List[float]:
        return res.cpus if res is not None and not res.error else []

    def median(values: List[float]) -> Optional[float]:
        return statistics.median(values) if values else None

    with_cpu, without_cpu, bandit_cpu = rounds(plugged), rounds(plain), rounds(bandit)
    own = plugged.own if plugged is not None and not plugged.error else []
    n = min(len(with_cpu), len(without_cpu))
    per_round = [with_cpu[i] / without_cpu[i] for i in range(n) if without_cpu[i]]
    added_vs_bandit = [
        (with_cpu[i] - without_cpu[i]) / bandit_cpu[i] for i in range(min(n, len(bandit_cpu))) if bandit_cpu[i]
    ]
    own_share = [own[i] / (with_cpu[i] - own[i]) for i in range(min(len(own), len(with_cpu))) if with_cpu[i] > own[i]]
    own_vs_bandit = [own[i] / bandit_cpu[i] for i in range(min(len(own), len(bandit_cpu))) if bandit_cpu[i]]
    return {
        "paired_plugin_vs_flake8_cpu": median(per_round),
        "paired_added_vs_bandit_cpu": median(added_vs_bandit),
        "own_seconds": median(own),
        "own_share_of_run": median(own_share),
        "own_vs_bandit_cpu": median(own_vs_bandit),
    }


def _error_cell(error: str, width: int = 90) -> str:
    """The most telling line of an error (a traceback's last line), fit for a table cell."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    text = lines[-1] if lines else "failed"
    if len(lines) > 1 and lines[0].startswith(("exit status", "timed out")):
        text = f"{lines[0]}: {text}"
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def _rounds(args: argparse.Namespace) -> str:
    return f"{args.rounds} round{'s' if args.rounds != 1 else ''}"


def corpus_markdown(res: dict, args: argparse.Namespace) -> str:
    out = [
        f"### {res['target']}",
        "",
        f"{res['files']} Python files, {res['lines']} lines; {_rounds(args)}, "
        f"-j {args.jobs}"
        + (f", each round in {res['slices']} slices of the files" if res.get("slices", 1) > 1 else "")
        + "; medians over the rounds.",
        "",
    ]
    rows = []
    for key, s in res["tools"].items():
        if s["error"]:
            rows.append([s["label"], f"failed: {_error_cell(s['error'])}"] + [""] * 6)
            continue
        findings = str(s["findings"]) + (" (varies)" if s["findings_vary"] else "")
        rows.append(
            [
                s["label"],
                fmt(s["median_wall"]),
                f"{fmt(s['min_wall'])}–{fmt(s['max_wall'])}",
                fmt(s["median_cpu"]),
                fmt(s["peak_rss_mib"], ".1f"),
                findings,
                fmt(s["lines_per_s"], ",.0f"),
                str(s["rounds"]),
            ]
        )
    out.append(
        md_table(
            [
                "tool",
                "median wall (s)",
                "wall range (s)",
                "median CPU (s)",
                "peak RSS (MiB)",
                "findings",
                "lines/s",
                "rounds",
            ],
            rows,
            right=range(1, 8),
        )
    )
    r = res["ratios"]

    def x(v: Optional[float]) -> str:
        return "n/a" if v is None else f"{v:.2f}×"

    def pct(v: Optional[float]) -> str:
        return "n/a" if v is None else f"{v:+.1f}%"

    def pct_plain(v: Optional[float]) -> str:
        return "n/a" if v is None else f"{v * 100:.1f}%"

    out += [
        "",
        md_table(
            ["ratio", "wall", "CPU"],
            [
                ["flake8 + plugin / plain flake8", x(r["plugin_vs_flake8_wall"]), x(r["plugin_vs_flake8_cpu"])],
                [
                    "plugin's added cost over plain flake8",
                    pct(r["plugin_added_pct_wall"]),
                    pct(r["plugin_added_pct_cpu"]),
                ],
                ["plugin only / bandit", x(r["plugin_only_vs_bandit_wall"]), x(r["plugin_only_vs_bandit_cpu"])],
                ["plugin only / ruff", x(r["plugin_only_vs_ruff_wall"]), x(r["plugin_only_vs_ruff_cpu"])],
            ],
            right=(1, 2),
        ),
        "",
        "Paired round by round (CPU; the median of each round's ratio):",
        "",
        md_table(
            ["measure", "value"],
            [
                ["flake8 + plugin / plain flake8", x(r.get("paired_plugin_vs_flake8_cpu"))],
                ["plugin's added cost / bandit", x(r.get("paired_added_vs_bandit_cpu"))],
                ["plugin's own analysis time in the flake8 + plugin run", fmt(r.get("own_seconds"), ".3f") + " s"],
                ["… as a share of the rest of that run", pct_plain(r.get("own_share_of_run"))],
                ["… against bandit", x(r.get("own_vs_bandit_cpu"))],
            ],
            right=(1,),
        ),
        "",
    ]
    for key in ("flake8+sqlsec", "sqlsec", "bandit", "ruff"):
        s = res["tools"].get(key)
        if s and not s["error"]:
            out.append(f"- findings of {s['label']}: {_codes_line(s['codes'])}")
    sql999 = (res["tools"].get("flake8+sqlsec") or {}).get("codes", {}).get("SQL999")
    if sql999:
        out.append(f"- WARNING: the plugin reported {sql999} internal errors (SQL999)")
    out.append(f"- {reach_text(res['other_modules'])}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# The scaling benchmark
# --------------------------------------------------------------------------------------


def bench_scaling(setup: Setup, outdir: Path, args: argparse.Namespace) -> dict:
    modules = sorted(outdir.glob("scale_*.py"), key=count_lines)
    if not modules:
        raise RuntimeError(f"no scale_*.py in {outdir}; write them with bench/gen_scaling.py")
    env = base_env()
    log(f"\n== scaling: {', '.join(p.name for p in modules)}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="sqlsec-scaling-") as tmp:
        empty = Path(tmp) / "empty.py"
        empty.write_text("")
        for path in [empty] + modules:
            cmds = {
                "without": flake8_cmd(setup.base, None, args.jobs, str(path)),
                "with": flake8_cmd(setup.plugin, None, args.jobs, str(path)),
            }
            walls: Dict[str, List[float]] = {"with": [], "without": []}
            cpus: Dict[str, List[float]] = {"with": [], "without": []}
            error = None
            for r in range(args.warmup + args.rounds):
                for which in (("without", "with") if r % 2 == 0 else ("with", "without")):
                    m = measure(cmds[which], env, args.timeout)
                    problem = m.error or parse_flake8(m)[2]
                    if problem:
                        error = f"{which} plugin: {problem}"
                        break
                    if r >= args.warmup:
                        walls[which].append(m.wall)
                        cpus[which].append(m.cpu)
                if error:
                    break
            row = {"file": path.name if path != empty else "(empty file)", "lines": count_lines(path), "error": error}
            if not error:
                for which in ("with", "without"):
                    row[f"wall_{which}"] = statistics.median(walls[which])
                    row[f"cpu_{which}"] = statistics.median(cpus[which])
            else:
                log(f"  {row['file']}: FAILED: {_error_cell(error, 200)}")
            rows.append(row)
            if not error:
                log(
                    f"  {row['file']}: {row['lines']} lines, with {row['wall_with']:.3f} s, "
                    f"without {row['wall_without']:.3f} s"
                )
    start = rows[0] if not rows[0]["error"] else None
    for row in rows[1:]:
        if row["error"] or not row["lines"]:
            continue
        for kind in ("wall", "cpu"):
            added = row[f"{kind}_with"] - row[f"{kind}_without"]
            row[f"us_per_line_{kind}"] = added / row["lines"] * 1e6
            if start:
                net = added - (start[f"{kind}_with"] - start[f"{kind}_without"])
                row[f"us_per_line_net_{kind}"] = net / row["lines"] * 1e6
    return {"outdir": str(outdir), "rows": rows}


def scaling_markdown(res: dict, args: argparse.Namespace) -> str:
    rows = []
    for row in res["rows"]:
        if row["error"]:
            rows.append([row["file"], f"{row['lines']:,}", f"failed: {_error_cell(row['error'])}", "", "", "", "", ""])
            continue
        rows.append(
            [
                row["file"],
                f"{row['lines']:,}",
                fmt(row["wall_with"]),
                fmt(row["wall_without"]),
                fmt(row["wall_with"] - row["wall_without"]),
                fmt(row.get("us_per_line_wall"), ".1f", "–"),
                fmt(row.get("us_per_line_net_wall"), ".1f", "–"),
                fmt(row.get("us_per_line_net_cpu"), ".1f", "–"),
            ]
        )
    table = md_table(
        [
            "module",
            "lines",
            "with plugin (s)",
            "without (s)",
            "added (s)",
            "added µs/line",
            "added µs/line, start-up excluded",
            "same, CPU",
        ],
        rows,
        right=range(1, 8),
    )
    return (
        f"### Scaling: {res['outdir']}\n\nOne module per run; {_rounds(args)}, "
        f"-j {args.jobs}; medians of wall time. The empty file gives the fixed start-up "
        "cost, which the start-up-excluded columns subtract.\n\n" + table + "\n"
    )


# --------------------------------------------------------------------------------------


def environment_markdown(setup: Setup, args: argparse.Namespace) -> str:
    pv, bv = setup.versions["plugin"], setup.versions["base"]
    items = [
        f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- {DISTRIBUTION} {pv.get(DISTRIBUTION)}; "
        f"flake8 {pv.get('flake8')}, pyflakes {pv.get('pyflakes')}, "
        f"pycodestyle {pv.get('pycodestyle')} in both environments"
        + (
            ""
            if all(pv.get(n) == bv.get(n) for n in FLAKE8_STACK)
            else f" (MISMATCH: base has {', '.join(f'{n} {bv.get(n)}' for n in FLAKE8_STACK)})"
        ),
    ]
    for name, info in setup.linters.items():
        items.append(
            f"- {name}: {info['version']} from {info['source']} ({info['path']})"
            if info["path"]
            else f"- {name}: {info['source']}"
        )
    items.append(
        f"- rounds {args.rounds} (after {args.warmup} warm-up), -j {args.jobs}, "
        f"timeout {args.timeout:g} s per command; peak RSS below "
        f"{setup.rss_floor_mib:.1f} MiB cannot be told apart"
    )
    return "\n".join(items) + "\n"


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument("dirs", nargs="*", type=Path, metavar="DIR", help="directories (or files) of Python code to lint")
    p.add_argument("--rounds", type=int, default=5, help="timed rounds per command (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs of each command before the rounds (default 1)")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="flake8 -j and ruff threads (default 1, so CPU figures compare; " "bandit is always single-process)",
    )
    p.add_argument(
        "--venv-dir",
        type=Path,
        default=REPO / ".bench-venvs",
        help="where the base and plugin environments live (default .bench-venvs " "at the repository root)",
    )
    p.add_argument(
        "--repo", type=Path, default=REPO, help="source tree of the plugin to install (default: this repository)"
    )
    p.add_argument(
        "--path-tools", action="store_true", help="use bandit and ruff from PATH instead of installing them into base"
    )
    p.add_argument(
        "--tools", default=",".join(TOOL_KEYS), help=f"comma-separated subset of {','.join(TOOL_KEYS)} (default all)"
    )
    p.add_argument("--timeout", type=float, default=1800, help="seconds per command (default 1800)")
    p.add_argument(
        "--slices",
        type=int,
        default=1,
        help="lint each DIR in this many parts of about equal lines, every command on a part before "
        "the next, and add the parts up per round (default 1: the whole DIR at once)",
    )
    p.add_argument(
        "--scaling",
        type=Path,
        metavar="OUTDIR",
        help="also time each scale_*.py module of OUTDIR (see bench/gen_scaling.py)",
    )
    p.add_argument("--json", type=Path, help="write all measurements to this JSON file")
    p.add_argument("--markdown", type=Path, help="write the report to this Markdown file")
    args = p.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in args.tools if t not in TOOL_KEYS]
    if unknown or not args.tools:
        p.error(f"--tools: unknown {', '.join(unknown) or '(empty)'}; choose from {', '.join(TOOL_KEYS)}")
    if not args.dirs and not args.scaling:
        p.error("give at least one DIR, or --scaling OUTDIR")
    if args.rounds < 1 or args.jobs < 1 or args.warmup < 0:
        p.error("--rounds and --jobs must be at least 1, --warmup at least 0")
    for d in args.dirs + ([args.scaling] if args.scaling else []):
        if not d.exists():
            p.error(f"{d} does not exist")
    args.venv_dir = args.venv_dir.resolve()
    args.repo = args.repo.resolve()
    args.dirs = [d.resolve() for d in args.dirs]
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    if os.name != "posix":
        log("bench/run.py needs a POSIX system (os.wait4)")
        return 2
    args = parse_args(argv)
    need_linters = bool(args.dirs) and bool({"bandit", "ruff"} & set(args.tools))
    try:
        setup = prepare(args, need_linters)
    except RuntimeError as exc:
        log(f"error: {exc}")
        return 2

    report = ["## flake8-sqlsec benchmark", "", environment_markdown(setup, args)]
    data: dict = {
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "versions": setup.versions,
            "linters": setup.linters,
            "flake8_banner": setup.flake8_banner,
            "rss_floor_mib": setup.rss_floor_mib,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "jobs": args.jobs,
            "timeout": args.timeout,
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        },
        "corpora": [],
        "scaling": None,
    }
    status = 0
    for target in args.dirs:
        res = bench_corpus(setup, target, args)
        data["corpora"].append(res)
        report.append(corpus_markdown(res, args))
        if any(s["error"] for s in res["tools"].values()):
            status = 1
    if args.scaling:
        try:
            res = bench_scaling(setup, args.scaling.resolve(), args)
        except RuntimeError as exc:
            log(f"error: {exc}")
            status = 1
        else:
            data["scaling"] = res
            report.append(scaling_markdown(res, args))
            if any(row["error"] for row in res["rows"]):
                status = 1
    text = "\n".join(report)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
