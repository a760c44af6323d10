#!/usr/bin/env python3
"""Seed 000's slow reader against one server: how long until the server lets go of it, and how many bytes the
kernel absorbed first. Usage: kernel-share-experiment.py PORT [MAX_SECONDS]. Loopback only; bounded in time."""
import socket, sys, threading, time

port = int(sys.argv[1])
limit = float(sys.argv[2]) if len(sys.argv) > 2 else 40.0

def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

slow = socket.socket()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
slow.connect(("127.0.0.1", port))
slow.sendall(cmd("CLIENT", "SETNAME", "seed-slow-reader"))
slow.recv(5)
slow.sendall(cmd("SUBSCRIBE", "feed"))
time.sleep(0.2)
got = [0]

def read_slowly():
    try:
        while True:
            b = slow.recv(1)
            if not b:
                return
            got[0] += 1
            time.sleep(1.0)
    except OSError:
        return

threading.Thread(target=read_slowly, daemon=True).start()
pub = socket.create_connection(("127.0.0.1", port))
admin = socket.create_connection(("127.0.0.1", port))
payload = b"x" * 1024
start = time.monotonic()
n = 0
while time.monotonic() - start < limit:
    pub.sendall(cmd("PUBLISH", "feed", payload))
    pub.recv(64)
    n += 1
    admin.sendall(cmd("CLIENT", "LIST"))
    time.sleep(0.05)
    listing = admin.recv(1 << 20)
    if b"seed-slow-reader" not in listing:
        print("port %d: slow reader gone %.1f s after the first publish (%d messages, %d KiB published)"
              % (port, time.monotonic() - start, n, n))
        sys.exit(0)
    time.sleep(max(0.0, start + n * 0.1 - time.monotonic()))
print("port %d: slow reader still connected after %.0f s (%d KiB published to it)" % (port, limit, n))
