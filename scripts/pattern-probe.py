#!/usr/bin/env python3
"""Issue 11 Why-2 probe: clients hold hostile patterns (as many per client as max-pattern-bytes-per-client
admits), one client publishes to a 1 KiB channel of 'a's for 3 s, four bystanders PING meanwhile.

  scripts/pattern-probe.py JARDIR SHAPE PATTERNS [server flags...]

JARDIR holds spillway-server.jar and lib/ (server/target after `mvn -B -q -pl server -am -DskipTests package`).
SHAPE: why2     '*' + 'a' x 1000 + 'bN'   (fails at its anchored end; indexed by its literal suffix)
       floating '*bN' + 'a' x 500 + '*'   (a segment searched for at every position: not indexable)
Loopback only; the server log goes to /tmp/pat-probe/."""
import socket, subprocess, sys, time, threading, os, statistics

jardir, shape, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
extra = sys.argv[4:]
port = 17000 + os.getpid() % 1000
log_dir = "/tmp/pat-probe"
os.makedirs(log_dir, exist_ok=True)

def enc(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode("latin-1")
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")
    def send(self, *a): self.s.sendall(enc(*a))
    def read(self):
        line = self.f.readline()
        t = line[:1]
        if t in (b"+", b"-", b":"): return line.strip()
        if t == b"$":
            n = int(line[1:]); 
            if n < 0: return None
            d = self.f.read(n + 2); return d[:-2]
        if t in (b"*", b">"):
            return [self.read() for _ in range(int(line[1:]))]
        raise RuntimeError(line)
    def call(self, *a): self.send(*a); return self.read()

def pattern(i):
    if shape == "why2": return "*" + "a" * 1000 + "b%d" % i
    if shape == "floating": return "*b%d" % i + "a" * 500 + "*"
    raise SystemExit(shape)

server = subprocess.Popen(["java", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Xms64m", "-Xmx256m",
    "-XX:MaxDirectMemorySize=1g", "-cp", jardir + "/spillway-server.jar:" + jardir + "/lib/*",
    "io.spillway.server.cli.Main", "serve", "--port", str(port), "--http-port", "0"] + extra,
    stdout=subprocess.DEVNULL, stderr=open(log_dir + "/server-%s-%s-%d.log" % (os.path.basename(jardir), shape, total), "w"))
try:
    for _ in range(200):
        try: socket.create_connection(("127.0.0.1", port)).close(); break
        except OSError: time.sleep(0.1)
    per_client = max(1, 65536 // (len(pattern(total)) + 1))
    held, refused, subs, i = 0, None, [], 0
    t0 = time.time()
    while i < total:
        c = Conn(); subs.append(c)
        batch = [pattern(j) for j in range(i, min(total, i + per_client))]
        for p in batch: c.send("PSUBSCRIBE", p)
        for p in batch:
            r = c.read()
            if isinstance(r, bytes) and r.startswith(b"-"): refused = refused or r.decode()
            else: held += 1
        i += len(batch)
        if refused and i > held + 200: break
    sub_s = time.time() - t0
    numpat = Conn().call("PUBSUB", "NUMPAT")
    bystanders = [Conn() for _ in range(4)]
    pings, stop = [], threading.Event()
    def ping(b):
        while not stop.is_set():
            s = time.perf_counter(); b.call("PING"); pings.append(time.perf_counter() - s); time.sleep(0.002)
    threads = [threading.Thread(target=ping, args=(b,)) for b in bystanders]
    for t in threads: t.start()
    pub = Conn(); chan = "a" * 1024; lat = []
    for k in range(20): pub.call("PUBLISH", chan, "warm-up")
    del pings[:]
    deadline = time.time() + 3
    while time.time() < deadline:
        s = time.perf_counter(); r = pub.call("PUBLISH", chan, "x"); lat.append(time.perf_counter() - s)
    stop.set(); [t.join() for t in threads]
    ms = lambda x: "%.2f" % (x * 1000)
    pings.sort(); lat.sort()
    print("jar=%s shape=%s asked=%d held=%d (numpat %s) in %d clients, subscribe %.1fs; refusal: %s" % (
        os.path.basename(jardir), shape, total, held, numpat, len(subs), sub_s, (refused or "none")[:110]))
    print("  PUBLISH 1KiB channel x%d in 3 s: p50 %s ms, p99 %s, max %s ms, reply %s | bystander PING x%d: p50 %s p99 %s max %s ms" % (
        len(lat), ms(statistics.median(lat)), ms(lat[int(len(lat) * 0.99) - 1]), ms(lat[-1]), r, len(pings), ms(statistics.median(pings)),
        ms(pings[int(len(pings) * 0.99) - 1]), ms(pings[-1])))
finally:
    server.terminate(); server.wait(timeout=30)
