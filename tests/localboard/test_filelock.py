"""The cross-platform lock: excludes across processes and threads, names its holder, leaves no file
beside users' files, and every gria_miro module imports on a platform without ``fcntl``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gria_miro import filelock
from gria_miro.filelock import InterProcessLock, LockHolder, LockTimeout, LockUnavailable, lock_directory, path_key
from gria_miro.localboard.adapter import local_session, open_local_board

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "locks"
    monkeypatch.setenv("GRIA_MIRO_LOCK_DIR", str(directory))
    return directory


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


_COUNTER = """
import sys
from pathlib import Path
from gria_miro.filelock import InterProcessLock
counter = Path(sys.argv[1])
for _ in range(int(sys.argv[2])):
    with InterProcessLock("test:counter", label="le compteur", timeout=30):
        value = int(counter.read_text())
        counter.write_text(str(value + 1))  # a read-modify-write that loses counts if two interleave
"""

_HOLDER = """
import sys, time
from gria_miro.filelock import InterProcessLock
with InterProcessLock(sys.argv[1], label="le tableau local atelier.json", timeout=5):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def _hold(key: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, key],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    return process


def test_processes_never_interleave_inside_the_lock(tmp_path: Path) -> None:
    counter = tmp_path / "counter.txt"
    counter.write_text("0")
    workers = [subprocess.Popen([sys.executable, "-c", _COUNTER, str(counter), "40"], env=_env()) for _ in range(3)]
    for process in workers:
        assert process.wait(timeout=60) == 0
    assert counter.read_text() == "120"


def test_a_waiter_times_out_with_a_french_message_naming_the_holder() -> None:
    holder = _hold("test:busy")
    try:
        with pytest.raises(LockTimeout) as caught, InterProcessLock("test:busy", label="Le tableau local", timeout=0.3):
            pytest.fail("entered a lock another process holds")
        error = caught.value
        assert error.holder is not None and error.holder.pid == holder.pid
        assert error.holder.label == "le tableau local atelier.json"
        message = error.one_line()
        assert message.startswith("Le tableau local est occupé par ")
        assert f"processus {holder.pid}" in message and "relancez" in message
        assert error.exit_status == 2
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    with InterProcessLock("test:busy", label="x", timeout=5) as lock:  # released: free again at once
        assert lock.holder() is not None and lock.holder().pid == os.getpid()  # type: ignore[union-attr]
    assert InterProcessLock("test:busy", label="x").holder() is None  # the holder record goes with the lock


def test_on_wait_is_told_once_then_the_lock_is_taken_when_freed() -> None:
    holder = _hold("test:wait")
    seen: list[LockHolder | None] = []

    def release_soon() -> None:
        time.sleep(0.3)
        assert holder.stdin is not None
        holder.stdin.close()

    threading.Thread(target=release_soon, daemon=True).start()
    with InterProcessLock("test:wait", label="x", timeout=20, on_wait=seen.append):
        pass
    holder.wait(timeout=10)
    assert len(seen) == 1 and seen[0] is not None and seen[0].pid == holder.pid


def test_a_killed_holder_frees_the_lock() -> None:
    holder = _hold("test:killed")
    holder.kill()
    holder.wait(timeout=10)
    with InterProcessLock("test:killed", label="x", timeout=2):
        pass


def test_threads_of_one_process_exclude_each_other_and_a_holder_may_nest() -> None:
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with InterProcessLock("test:threads", label="x", timeout=20):
                with InterProcessLock("test:threads", label="x", timeout=0):  # same thread: nests, no deadlock
                    with guard:
                        inside += 1
                        most = max(most, inside)
                    time.sleep(0.001)
                    with guard:
                        inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert most == 1 and inside == 0


def test_another_thread_times_out_while_one_holds_it() -> None:
    entered = threading.Event()
    leave = threading.Event()

    def hold() -> None:
        with InterProcessLock("test:thread-busy", label="Le verrou", timeout=5):
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(5)
    with pytest.raises(LockTimeout), InterProcessLock("test:thread-busy", label="Le verrou", timeout=0.1):
        pass
    leave.set()
    thread.join(5)


def test_different_keys_do_not_block_each_other() -> None:
    with (
        InterProcessLock("test:a", label="a", timeout=0),
        InterProcessLock("test:b", label="b", timeout=0),
    ):
        pass


def test_a_path_and_another_spelling_of_it_share_one_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert path_key("atelier.json") == path_key(tmp_path / "sub" / ".." / "atelier.json")
    assert path_key("atelier.json") != path_key("autre.json")


def test_the_local_board_leaves_no_lock_file_beside_the_board(tmp_path: Path, lock_dir: Path) -> None:
    folder = tmp_path / "atelier"
    folder.mkdir()
    target = open_local_board(folder / "plateau.json")
    session = local_session(target)
    response = session.post(f"{target.base_url}/v2/boards/{target.board_id}/sticky_notes", json={"data": {}})
    assert response.status_code == 201
    assert sorted(p.name for p in folder.iterdir()) == ["plateau.json"]
    assert any(p.suffix == ".lock" for p in lock_dir.iterdir())  # the lock lives in the lock directory


def test_a_lock_directory_that_is_a_file_is_refused_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GRIA_MIRO_LOCK_DIR", str(blocker))
    with pytest.raises(LockUnavailable) as caught, InterProcessLock("test:x", label="x"):
        pass
    assert "dossier des verrous" in caught.value.one_line() and "GRIA_MIRO_LOCK_DIR" in caught.value.one_line()


def test_the_default_lock_directory_is_private_to_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX only")
    monkeypatch.delenv("GRIA_MIRO_LOCK_DIR")
    monkeypatch.setattr(filelock.tempfile, "gettempdir", lambda: str(tmp_path))
    directory = lock_directory()
    assert directory.parent == tmp_path and directory.name == f"gria-miro-locks-{os.getuid()}"
    assert directory.stat().st_mode & 0o777 == 0o700


class _FakeMsvcrt:
    """``msvcrt.locking`` as Windows behaves: a locked byte refuses other handles (LK_NBLCK raises OSError)."""

    LK_NBLCK = 2
    LK_UNLCK = 0

    def __init__(self) -> None:
        self.locked: dict[tuple[int, int], int] = {}
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        info = os.fstat(fd)
        where = (info.st_dev, info.st_ino)
        self.calls.append((mode, nbytes))
        if mode == self.LK_UNLCK:
            del self.locked[where]
        elif where in self.locked and self.locked[where] != fd:
            raise OSError(36, "Resource deadlock avoided")
        else:
            self.locked[where] = fd


def test_the_windows_primitive_locks_one_byte_and_refuses_a_second_handle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = _FakeMsvcrt()
    monkeypatch.setattr(filelock.sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    primitive = filelock._os_lock()
    path = tmp_path / "x.lock"
    with open(path, "a+b") as first, open(path, "a+b") as second:
        assert primitive.try_lock(first)
        assert not primitive.try_lock(second)
        primitive.unlock(first)
        assert primitive.try_lock(second)
        primitive.unlock(second)
    assert fake.calls[0] == (fake.LK_NBLCK, 1)


_NO_UNIX_MODULES = """
import importlib, importlib.abc, pkgutil, sys
BLOCKED = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog"}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (simulated Windows)", name=name)
        return None

for loaded in list(sys.modules):
    if loaded.split(".")[0] in BLOCKED:
        del sys.modules[loaded]
sys.meta_path.insert(0, Block())
import gria_miro
names = [m.name for m in pkgutil.walk_packages(gria_miro.__path__, "gria_miro.")]
failed = []
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {exc!r}")
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_imports_on_a_platform_without_fcntl() -> None:
    """Windows has no fcntl, termios, pwd…: no module of gria_miro may import one unconditionally."""
    done = subprocess.run(
        [sys.executable, "-c", _NO_UNIX_MODULES], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    count, *failed = done.stdout.splitlines()
    assert int(count) > 40  # the walk did find the package's modules
    assert [line for line in failed if line] == []
