#!/usr/bin/env python3
"""Run a program from the manifest directory for DURATION seconds and record RSS every 10 s.

usage: python3 tools/measure.py <id> <label> <duration_s> <command...>
Writes rss/<id>.<label>.log ("t_s rss_kb" lines) and prints the growth in MB/min,
a least-squares slope over the samples taken after a 40 s warm-up.
"""
import os, subprocess, sys, time

def slope(points):
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    num = sum((x - mx) * (y - my) for x, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return num / den if den else 0.0

def main():
    pid_id, label, duration = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cmd = sys.argv[4:]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    import tempfile
    errf = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=here, stdout=subprocess.DEVNULL, stderr=errf)
    samples = []
    t0 = time.time()
    status = "ran"
    while True:
        t = time.time() - t0
        if proc.poll() is not None:
            status = f"exited early rc={proc.returncode}"
            break
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(proc.pid)], capture_output=True, text=True).stdout.strip()
        if out:
            samples.append((round(t), int(out)))
        if t >= duration:
            break
        time.sleep(max(0.0, 10 - ((time.time() - t0) % 10)))
    cpu = subprocess.run(["ps", "-o", "time=", "-p", str(proc.pid)], capture_output=True, text=True).stdout.strip()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill(); proc.wait()
    errf.seek(0); err = errf.read()
    pts = [(t / 60.0, kb / 1024.0) for t, kb in samples if t >= 40]
    mbmin = slope(pts) if len(pts) >= 3 else float("nan")
    os.makedirs(os.path.join(here, "rss"), exist_ok=True)
    with open(os.path.join(here, "rss", f"{pid_id}.{label}.log"), "w") as f:
        f.write(f"# command: {' '.join(cmd)}\n# status: {status}; cpu time: {cpu}\n")
        f.write(f"# growth after 40 s warm-up: {mbmin:.2f} MB/min\n# t_s rss_kb\n")
        for t, kb in samples:
            f.write(f"{t} {kb}\n")
    tail = err.decode(errors="replace")[-600:] if status != "ran" else ""
    print(f"{pid_id} {label}: {mbmin:.2f} MB/min, {samples[0][1] if samples else 0}->{samples[-1][1] if samples else 0} kB, cpu {cpu}, {status} {tail}")

main()
