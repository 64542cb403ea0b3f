#!/usr/bin/python3
"""Runs a command once the machine is otherwise idle, and says how busy the rest of the machine was meanwhile.

    bench/run-when-idle.py COMMAND [ARG ...]

Waits (at most 30 minutes) until processes other than this one use under 0.15 cores over 5 s, the rule the PyTorch
reference's --bench applies before each of its measurements, so that both sides of bench/compare-pytorch.sh start
alike. Then runs COMMAND and prints to stderr the cores that other processes used, on average, while it ran (the
command's own processes are counted through their rusage once they have exited). Exits with COMMAND's status.
"""
import os
import resource
import subprocess
import sys
import time

THRESHOLD = 0.15
WINDOW = 5.0
MAX_WAIT = 1800.0


def busy_seconds():
    """CPU time the whole machine has been busy (all but idle and iowait), in seconds."""
    with open('/proc/stat') as f:
        fields = [int(t) for t in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf('SC_CLK_TCK')


def own_seconds():
    """CPU time of this process and of its exited children, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def wait_idle():
    start = time.monotonic()
    while True:
        busy, own = busy_seconds(), own_seconds()
        time.sleep(WINDOW)
        other = (busy_seconds() - busy - (own_seconds() - own)) / WINDOW
        if other < THRESHOLD or time.monotonic() - start > MAX_WAIT:
            return
        print('  (other processes use %.2f cores; waiting)' % other, file=sys.stderr, flush=True)
        time.sleep(10)


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: run-when-idle.py COMMAND [ARG ...]')
    wait_idle()
    start, busy, own = time.monotonic(), busy_seconds(), own_seconds()
    status = subprocess.call(sys.argv[1:])
    wall = time.monotonic() - start
    other = max(0.0, busy_seconds() - busy - (own_seconds() - own)) / wall
    print('  (%.0f s; other processes used %.2f cores on average meanwhile)' % (wall, other), file=sys.stderr)
    sys.exit(status)


if __name__ == '__main__':
    main()
