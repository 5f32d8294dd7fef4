#!/usr/bin/env python3
"""Splits the samples of `perf script -F comm,tid,ip,sym --no-inline` into the stages of a request.

Usage (with inlined frames: slow, ~2 minutes, but the queries are inlined into their callers):
    perf script -i bench/perf.data -F comm,tid,ip,sym | bench/perf_stages.py
"""
import re
import sys
from collections import Counter

# (stage, pattern over one frame with its generic arguments removed). Each sample goes to the stage
# of the frame nearest its leaf that matches a pattern (the innermost component doing the work);
# within one frame, the first pattern wins.
STAGES = [
    ("pool: r2d2 checkout/return (incl. test_on_check_out)", r"r2d2::|ManageConnection|is_valid"),
    ("auth: login check (cache, SQLite's change count, or the session query)",
     r"session_user|login_cache|Bearer::check|Bearer::admit"),
    ("auth: linked villages", r"linked_villages|villages_of_cadre_on"),
    # The bare route's closure is identical to the handler's, so the linker may fold the two and
    # name either: both count as the village query.
    ("village query (handler, or bare)", r"persistence::villages::(get|list)\b|record::load\b|routes::villages::(read|list)::\{\{closure|bench_baseline::"),
    ("auth: JWT verify", r"jsonwebtoken|auth::jwt"),
    ("JSON serialisation", r"serde_json|json_with_etag"),
    ("blocking-pool hand-off (spawn, wake, park)", r"web::block|blocking::pool|Spawner|BlockingTask|JoinHandle|Condvar|parking_lot|futex"),
    ("compression middleware", r"middleware::compress|actix_http::encoding"),
    ("logging/tracing", r"^<?tracing|tracing_subscriber"),
    ("request id, headers (app middleware)", r"request_id_for|app::app::\{\{closure|default_headers"),
    ("routing", r"actix_router|regex"),
    ("socket I/O syscalls", r"^(__send|__recv|send|recv|sendto|recvfrom|epoll_wait|writev|readv|__libc_write|__libc_read|read|write)$"),
    ("HTTP/1 codec and dispatch", r"actix_http"),
    ("allocator", r"^(malloc|free|_int_malloc|_int_free|realloc|cfree|__memmove|memcpy)"),
]


def strip_generics(frame: str) -> str:
    """`poll<Foo<Bar>> (inlined)` -> `poll (inlined)`; keeps `<A as B>::f` forms."""
    out, depth = [], 0
    for i, ch in enumerate(frame):
        if depth:
            depth += ch == "<"
            depth -= ch == ">"
            continue
        if ch == "<" and i and (frame[i - 1].isalnum() or frame[i - 1] == "_"):
            depth = 1
            continue
        out.append(ch)
    return "".join(out)


def main() -> None:
    stacks, cur, comm = [], [], None
    for line in sys.stdin:
        if not line.strip():
            if cur:
                stacks.append((comm, cur))
            cur, comm = [], None
            continue
        if not line.startswith(("\t", " ")) or comm is None and not line.startswith("\t"):
            comm = line.split()[0]
            continue
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            cur.append(parts[1])
    if cur:
        stacks.append((comm, cur))
    total = len(stacks)
    if not total:
        sys.exit("no samples")
    by_thread, by_stage, kernel = Counter(), Counter(), Counter()
    compiled = [(name, re.compile(p)) for name, p in STAGES]
    for comm, frames in stacks:
        thread = "blocking pool" if comm.startswith("tokio-rt") else "actix worker"
        by_thread[thread] += 1
        if frames and re.match(r"(finish_task_switch|__schedule|_raw_spin_unlock_irqrestore)", frames[0]):
            kernel["scheduler/wake-up in kernel"] += 1
        stage = None
        for frame in frames:
            f = strip_generics(frame.removesuffix(" (inlined)"))
            stage = next((name for name, pat in compiled if pat.search(f)), None)
            if stage:
                break
        by_stage[stage or "other (" + thread + ")"] += 1
    print(f"{total} samples")
    for k, v in by_thread.most_common():
        print(f"  {100 * v / total:5.1f} %  {k} threads")
    for k, v in kernel.most_common():
        print(f"  {100 * v / total:5.1f} %  {k} (leaf frame; overlaps the stages below)")
    print("stages:")
    for k, v in by_stage.most_common():
        print(f"  {100 * v / total:5.1f} %  {k}")


if __name__ == "__main__":
    main()
