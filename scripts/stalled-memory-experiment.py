#!/usr/bin/env python3
"""50 subscribers that never read, a publisher flooding 1 KiB messages for 10 s: the server's peak RSS.
Usage: stalled-memory-experiment.py PORT PID [SECONDS] [STALLED]. Loopback only; bounded in time."""
import socket, sys, threading, time

port, pid = int(sys.argv[1]), int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
stalled_n = int(sys.argv[4]) if len(sys.argv) > 4 else 50

def rss_kib():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

stalled = []
for _ in range(stalled_n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(cmd("SUBSCRIBE", "flood"))
    stalled.append(s)  # never read
time.sleep(0.5)
start_rss = rss_kib()
peak = [start_rss]
done = [False]

def sample():
    while not done[0]:
        try:
            peak[0] = max(peak[0], rss_kib())
        except OSError:
            return
        time.sleep(0.1)

threading.Thread(target=sample, daemon=True).start()
pub = socket.create_connection(("127.0.0.1", port))
batch = cmd("PUBLISH", "flood", b"x" * 1024) * 64
sent = 0
end = time.monotonic() + seconds
pending = b""
while time.monotonic() < end:
    pub.sendall(batch)
    sent += 64
    need = 64
    while need > 0:  # read the 64 integer replies
        pending += pub.recv(65536)
        lines = pending.split(b"\r\n")
        pending = lines[-1]
        need -= len(lines) - 1
done[0] = True
time.sleep(0.3)
print("port %d: %d messages published in %.0f s; server RSS %.1f MiB at start, peak %.1f MiB"
      % (port, sent, seconds, start_rss / 1024.0, peak[0] / 1024.0))
for s in stalled:
    s.close()
