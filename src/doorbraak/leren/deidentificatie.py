"""One deduce for all workers of `doorbraak serve`: a process of its own, asked over a Unix socket.

deduce's lookup tables (lists of Dutch names, streets and places as Python tries and sets) take
about 1.1 GB per process that loads them; a uvicorn worker without them idles near 120 MB. So
`serve` starts this process once, beside its workers (`Bewaker`), and sets
DOORBRAAK_DEIDENTIFICATIE_SOCKET for them: a worker then never imports deduce, and its check
(`anonimiteit.vondsten_async`, the client side of the protocol) sends the text here and gets
deduce's annotations back.

The socket lies in a directory only the service's user can enter (0700, made by `mkdtemp`) and
is itself 0600: the texts are sensitive. The protocol is one JSON object per line each way:

    {"tekst": "..."}          ->  {"status": "gereed", "annotaties": [["persoon", "Jan"], ...]}
    {"vraag": "status"}       ->  {"status": "gereed" | "bezig" | "niet-geinstalleerd" | "fout"}

While deduce is still loading every answer is {"status": "bezig"}. The process ends when its
supervisor does (its stdin, a pipe from the supervisor, reaches end of file), and the supervisor
starts it again when it dies.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from doorbraak.leren import anonimiteit

log = logging.getLogger("doorbraak.leren.deidentificatie")

MODULE = "doorbraak.leren.deidentificatie"
MAX_REGEL = anonimiteit.MAX_REGEL


# --- the process ------------------------------------------------------------------------------


class _Verbinding(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        while regel := self.rfile.readline(MAX_REGEL):
            try:
                bericht = json.loads(regel)
                tekst = bericht.get("tekst")
                if anonimiteit.status() != "gereed":
                    antwoord: dict[str, Any] = {"status": _status_naar_buiten()}
                elif isinstance(tekst, str):
                    antwoord = {
                        "status": "gereed",
                        "annotaties": anonimiteit.deduce_annotaties(tekst),
                    }
                else:
                    antwoord = {"status": "gereed"}
            except Exception as exc:  # a bad line or a deduce error ends this connection only
                log.error("de-identification request failed: %s", type(exc).__name__)
                return
            try:
                self.wfile.write(json.dumps(antwoord, ensure_ascii=False).encode() + b"\n")
            except OSError:  # the worker stopped waiting (its timeout)
                return


def _status_naar_buiten() -> str:
    s = anonimiteit.status()
    return s if s in {"gereed", "niet-geinstalleerd", "fout"} else "bezig"


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # One JSON log line (the service's log format), not socketserver's traceback on stderr.
        log.error("de-identification connection failed", exc_info=True)


def _einde_bij_eof() -> None:
    # The supervisor holds the other end of stdin: at its end (stopped or killed) this one ends.
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(4096):
            pass
    os._exit(0)


def maak_server(pad: str) -> socketserver.ThreadingUnixStreamServer:
    """The socket server, its socket readable and writable by this user only."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(pad)
    oud = os.umask(0o177)
    try:
        return _Server(pad, _Verbinding)
    finally:
        os.umask(oud)


def dienen(pad: str) -> None:
    """Run the process: answer on `pad` at once ("bezig"), load deduce in a thread."""
    threading.Thread(target=_einde_bij_eof, name="einde-bij-eof", daemon=True).start()
    server = maak_server(pad)
    anonimiteit.start_opwarmen()
    log.info("de-identification process listening (pid %d)", os.getpid())
    server.serve_forever()


def main() -> int:
    import logging.config

    from doorbraak.config import get_settings
    from doorbraak.logs import log_config

    logging.config.dictConfig(log_config(get_settings()))
    # Loading deduce is a burst of CPU that the workers' start-up should not wait behind.
    os.nice(10)
    if len(sys.argv) != 2:
        log.error("usage: python -m %s SOCKET", MODULE)
        return 2
    dienen(sys.argv[1])
    return 0


# --- the supervisor's side --------------------------------------------------------------------


class Bewaker:
    """Starts the process beside the workers and again whenever it dies (waiting a little
    longer each time it dies soon after starting), and stops it with the server."""

    def __init__(self) -> None:
        self.map = tempfile.mkdtemp(prefix="doorbraak-deidentificatie-")  # mode 0700
        self.pad = str(Path(self.map) / "deduce.sock")
        self._stop = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._slot = threading.Lock()
        self._draad = threading.Thread(target=self._bewaak, name="deidentificatie", daemon=True)

    def start(self) -> None:
        self._draad.start()

    def _bewaak(self) -> None:
        wacht = 1.0
        while not self._stop.is_set():
            with self._slot:
                if self._stop.is_set():
                    return
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", MODULE, self.pad], stdin=subprocess.PIPE
                )
            begin = time.monotonic()
            code = self._proc.wait()
            if self._stop.is_set():
                return
            wacht = 1.0 if time.monotonic() - begin > 60 else min(wacht * 2, 30.0)
            log.error(
                "de-identification process ended (exit %s); restarting in %.0f s", code, wacht
            )
            self._stop.wait(wacht)

    def stop(self) -> None:
        self._stop.set()
        with self._slot:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        shutil.rmtree(self.map, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
