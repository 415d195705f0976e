"""A TCP proxy on 127.0.0.1 that cuts and stalls the connections through it (chaos runs).

Every accepted connection is forwarded to the real server by two pump threads. ``cut``
closes a connection's both sides at once (the client sees the server vanish mid-query);
``stall`` holds its bytes in both directions for a few seconds (a frozen network);
``outage`` refuses new connections for a while. With no connection open at that moment,
a cut or a stall sometimes waits for the next connection (a sync hit mid-flight).
``heal`` ends every stall and outage and disarms what waits.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from dataclasses import dataclass, field

CHUNK = 65536
POLL = 0.2  # seconds: how often a blocked thread looks at the stop and close flags


@dataclass(eq=False)
class Link:
    client: socket.socket
    upstream: socket.socket
    resume_at: float = 0.0  # monotonic time before which nothing is forwarded
    closed: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        self.closed.set()
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class ChaosProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))  # loopback only
        self._listener.listen(64)
        self._listener.settimeout(POLL)
        self.port = int(self._listener.getsockname()[1])
        self._links: set[Link] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._refuse_until = 0.0
        self._armed: list[tuple[str, float]] = []  # ("cut"|"stall", seconds) for the next link
        self.cuts = 0
        self.stalls = 0
        self.outages = 0
        self._acceptor = threading.Thread(target=self._accept, name="chaos-proxy", daemon=True)
        self._acceptor.start()

    # --- forwarding ---------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if time.monotonic() < self._refuse_until:
                with contextlib.suppress(OSError):
                    client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            link = Link(client, upstream)
            for sock in (client, upstream):
                sock.settimeout(POLL)
            with self._lock:
                self._links.add(link)
                armed = self._armed.pop(0) if self._armed else None
            if armed is not None:
                self._spring(link, *armed)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(link, source, sink), name="chaos-pump", daemon=True
                ).start()

    def _pump(self, link: Link, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not link.closed.is_set() and not self._stop.is_set():
                try:
                    data = source.recv(CHUNK)
                except TimeoutError:
                    continue
                if not data:
                    break
                while time.monotonic() < link.resume_at and not link.closed.is_set():
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            link.close()
            with self._lock:
                self._links.discard(link)

    # --- chaos --------------------------------------------------------------------
    def live(self) -> int:
        with self._lock:
            return len(self._links)

    def _pick(self, rnd: random.Random) -> Link | None:
        with self._lock:
            links = sorted(self._links, key=id)
        return rnd.choice(links) if links else None

    def _spring(self, link: Link, kind: str, seconds: float) -> None:
        if kind == "stall":
            link.resume_at = time.monotonic() + seconds
            return
        timer = threading.Timer(seconds, link.close)  # cut once the exchange has begun
        timer.daemon = True
        timer.start()

    def _arm(self, kind: str, seconds: float) -> None:
        with self._lock:
            if len(self._armed) < 2:
                self._armed.append((kind, seconds))

    def cut(self, rnd: random.Random) -> None:
        link = self._pick(rnd)
        if link is not None:
            link.close()
        elif rnd.random() < 0.4:
            self._arm("cut", rnd.uniform(0.05, 1.0))
        else:
            return
        self.cuts += 1

    def cut_all(self) -> int:
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()
        self.cuts += len(links)
        return len(links)

    def stall(self, rnd: random.Random, seconds: float) -> None:
        link = self._pick(rnd)
        if link is not None:
            link.resume_at = time.monotonic() + seconds
        elif rnd.random() < 0.4:
            self._arm("stall", seconds)
        else:
            return
        self.stalls += 1

    def outage(self, seconds: float) -> None:
        self._refuse_until = time.monotonic() + seconds
        self.outages += 1

    def heal(self) -> None:
        self._refuse_until = 0.0
        with self._lock:
            self._armed.clear()
            for link in self._links:
                link.resume_at = 0.0

    def close(self) -> None:
        self._stop.set()
        self.cut_all()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._acceptor.join(timeout=5)


class NetworkChaos:
    """Cuts, stalls and short outages at random moments until ``stop`` (bounded: each
    stall and outage lasts a few seconds, and the loop ends with the run)."""

    def __init__(self, proxy: ChaosProxy, seed: int, max_stall: float = 3.0) -> None:
        self.proxy = proxy
        self._rnd = random.Random(seed)
        self._max_stall = max_stall
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos-network", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._rnd.uniform(1.5, 5.0)):
            roll = self._rnd.random()
            if roll < 0.5:
                self.proxy.cut(self._rnd)
            elif roll < 0.6:
                self.proxy.cut_all()
            elif roll < 0.9:
                self.proxy.stall(self._rnd, self._rnd.uniform(0.5, self._max_stall))
            else:
                self.proxy.outage(self._rnd.uniform(0.5, 2.0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.proxy.heal()
