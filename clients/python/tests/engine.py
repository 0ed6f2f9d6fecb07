"""A real engine for the client's tests: the repository's jar, run as its own process on a temp database."""

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """``java -jar target/tradestore.jar run`` on a fresh database, its bridge and HTTP on free loopback ports."""

    def __init__(self, *properties):
        """:param properties: engine settings as ``-Dtradestore.<key>=<value>`` options"""
        self.properties = list(properties)
        self.jar = pathlib.Path(os.environ.get("TRADESTORE_JAR", REPOSITORY / "target" / "tradestore.jar"))
        if not self.jar.is_file():
            raise RuntimeError(f"no engine jar at {self.jar}: build it with mvn -B -q package -DskipTests, "
                               "or point TRADESTORE_JAR at one")
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="tradestore-py-"))
        self.bridge_port = free_port()
        self.http_port = free_port()
        self.process = None
        self.log = None

    @staticmethod
    def temp_file(name, content):
        """A file only its owner may read, as the engine demands of a tokens file."""
        path = pathlib.Path(tempfile.mkdtemp(prefix="tradestore-py-")) / name
        path.write_text(content)
        path.chmod(0o600)
        return path

    def start(self):
        self.log = open(self.work / "engine.log", "ab")
        self.process = subprocess.Popen(
            ["java", "-Xmx256m",
             f"-Dtradestore.cache.dir={self.work / 'cache'}",
             "-Dtradestore.http.host=127.0.0.1", f"-Dtradestore.http.port={self.http_port}",
             "-Dtradestore.bridge.host=127.0.0.1", f"-Dtradestore.bridge.port={self.bridge_port}",
             f"-Dtradestore.migrations.backupDirectory={self.work / 'backups'}",
             *self.properties,
             "-jar", str(self.jar), "run", "--db", str(self.work / "data" / "tradestore.db")],
            cwd=self.work, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while b"ready in" not in (self.work / "engine.log").read_bytes():
            if self.process.poll() is not None:
                raise RuntimeError("the engine exited:\n" + self.tail())
            if time.monotonic() > deadline:
                raise RuntimeError("the engine was not ready within 90 s:\n" + self.tail())
            time.sleep(0.1)
        return self

    def stop(self):
        """SIGTERM, as an operator stops it; the engine drains and closes cleanly."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()
            self.log = None
        log = self.work / "engine.log"
        if log.exists():  # the next start writes a new log: only its own "ready in" must count
            log.rename(self.work / f"engine-{time.monotonic_ns()}.log")

    def close(self):
        self.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def tail(self, lines=40):
        return "\n".join((self.work / "engine.log").read_text(errors="replace").splitlines()[-lines:])
