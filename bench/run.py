"""The benchmark harness (`make bench`): R1 against the limit of its stack and of its database.

Side by side in one run, so ratios hold on a noisy machine:
  (a) limit  — the same server answering precomputed bytes identical to an R1 page;
  (b) R1     — `GET /api/v1/social/room/set/mine`, 20 sets × 5 rooms, random hosts out of a
               500 whose pages fit the render cache, and from a server with the cache off;
  (c) db     — pgbench running the fewest statements that fetch the same page (bench/r1.sql).
Then growth (R1 at 10k vs 1M rooms), memory (RSS at start, after 100k and 200k requests),
SQL statements per R1 call with their EXPLAIN plans. Results: bench/results/*.json and the
tables in docs/performance.md.

    python -m bench.run                 # the default profile: 1M rooms, ≈ 25 minutes on 2 cores
                                        # (10 of them the 200k-request memory check)
    python -m bench.run --quick         # a smoke run
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from bench.generate import BENCH_SECRET, Profile, drop_database, dsn_for, generate, host_key
from bench.procs import ROOT, Server

console = Console(stderr=True)
RESULTS = ROOT / "bench" / "results"
R1_PATH = "/api/v1/social/room/set/mine?page=0&size=20"
LUA = ROOT / "bench" / "wrk_hosts.lua"
WRITES_LUA = ROOT / "bench" / "wrk_writes.lua"
# From the stack alone to R1, one piece at a time (bench mode's routes; all answer R1's bytes).
LADDER = ["/bench/limit", "/bench/session", "/bench/auth", R1_PATH]


def sqlalchemy_url(database: str) -> str:
    return "postgresql+asyncpg" + dsn_for(database).removeprefix("postgresql")


def require_tools() -> None:
    missing = [tool for tool in ("wrk", "pgbench") if shutil.which(tool) is None]
    if missing:
        sys.exit(
            f"missing: {', '.join(missing)}. Install with: apt-get install wrk postgresql-client "
            "(wrk is the load generator, pgbench measures the database's own limit)."
        )


def wrk(
    url: str, path: str, keyfile: Path, connections: int, duration: int, script: Path = LUA, *extra: str
) -> dict[str, float]:
    """One wrk run; `rps` counts successful (2xx) answers only."""
    threads = min(connections, 2)
    args = [*extra[:1], str(keyfile), *extra[1:]]
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
         url + path, "--", *args],
        capture_output=True, text=True, check=True,
    ).stdout
    data = json.loads(output.split("WRK_JSON ", 1)[1])
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "requests": data["requests"],
        "rps": round((data["requests"] - data["status_errors"]) / (data["duration_us"] / 1e6), 1),
        "p50_ms": data["p50_us"] / 1000,
        "p90_ms": data["p90_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": errors,
    }


def pgbench(database: str, hosts: int, connections: int, duration: int) -> dict[str, float]:
    output = subprocess.run(
        ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared", "-f", str(ROOT / "bench" / "r1.sql"),
         "-D", f"hosts={hosts}", "-c", str(connections), "-j", str(min(connections, 2)), "-T", str(duration), database],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PGOPTIONS": "-c jit=off"},  # as the service's own connections
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+)", output).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", output).group(1))
    return {"tps": round(tps, 1), "latency_avg_ms": latency}


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


def write_keys(path: Path, hosts: int, sample: int, seed: int = 11) -> Path:
    chosen = random.Random(seed).sample(range(hosts), min(sample, hosts))
    path.write_text("\n".join(host_key(i) for i in chosen) + "\n")
    return path


def save_limit_page(server: Server, limit_file: Path) -> int:
    response = httpx.get(server.url + R1_PATH, headers={"X-API-Key": host_key(0)}, timeout=60)
    response.raise_for_status()
    limit_file.write_bytes(response.content)
    return len(response.content)


def cache_counts(server: Server) -> dict[str, float]:
    """The render cache's hit and miss counters of the worker that answers /metrics."""
    text = httpx.get(server.url + "/metrics", timeout=30).text
    return {
        name: float(re.search(rf"^roomsets_render_cache_{name}_total (\S+)", text, re.M).group(1))  # type: ignore[union-attr]
        for name in ("hits", "misses")
    }


def hit_ratio(before: dict[str, float], after: dict[str, float]) -> float:
    hits, misses = after["hits"] - before["hits"], after["misses"] - before["misses"]
    return round(hits / (hits + misses), 4) if hits + misses else 0.0


def side_by_side(
    args: argparse.Namespace, database: str, hosts: int, hot_keys: Path, all_keys: Path, tmp: Path
) -> dict[str, Any]:
    """(a) limit, (b) R1 with its render cache warm, (b') R1 with no cache, (c) pgbench,
    interleaved round by round, for each worker count.

    (b) asks as `hot_keys` (hosts whose pages fit the default cache, warmed first); (b') as any
    of `all_keys` from a server with the cache off: every set rendered on every request.
    """
    report: dict[str, Any] = {}
    for workers in args.workers:
        limit_file = tmp / f"limit-{workers}.json"
        with (
            Server(
                sqlalchemy_url(database), secret=BENCH_SECRET, workers=workers,
                bench_limit_file=str(limit_file), db_pool_size="10",
            ) as server,
            Server(sqlalchemy_url(database), secret=BENCH_SECRET, workers=workers, render_cache_mb="0",
                   db_pool_size="10") as uncached,
        ):
            page_bytes = save_limit_page(server, limit_file)
            console.log(f"workers={workers}: warming the render cache for {args.warm_seconds} s")
            wrk(server.url, R1_PATH, hot_keys, 8, args.warm_seconds)
            wrk(uncached.url, R1_PATH, all_keys, 8, 2)
            rows: dict[int, dict[str, list]] = {c: {"limit": [], "r1": [], "r1_uncached": [], "db": []} for c in args.connections}
            ladder: dict[str, list] = {path: [] for path in LADDER}
            cache_before = cache_counts(server)
            for round_number in range(args.rounds):
                for connections in args.connections:
                    console.log(f"workers={workers} round={round_number + 1} connections={connections}")
                    rows[connections]["limit"].append(wrk(server.url, "/bench/limit", hot_keys, connections, args.duration))
                    rows[connections]["r1"].append(wrk(server.url, R1_PATH, hot_keys, connections, args.duration))
                    rows[connections]["r1_uncached"].append(
                        wrk(uncached.url, R1_PATH, all_keys, connections, args.duration)
                    )
                    rows[connections]["db"].append(pgbench(database, hosts, connections, args.duration))
                for path in LADDER:
                    ladder[path].append(wrk(server.url, path, hot_keys, 32, args.duration))
            cache_after = cache_counts(server)
        per_connections = {}
        for connections, runs in rows.items():
            pairs = list(zip(runs["limit"], runs["r1"], runs["r1_uncached"], runs["db"], strict=True))
            per_connections[str(connections)] = {
                "limit_rps": summary([lim["rps"] for lim, _, _, _ in pairs]),
                "r1_rps": summary([r1["rps"] for _, r1, _, _ in pairs]),
                "r1_uncached_rps": summary([un["rps"] for _, _, un, _ in pairs]),
                "db_tps": summary([db["tps"] for _, _, _, db in pairs]),
                "r1_over_limit": summary([r1["rps"] / lim["rps"] for lim, r1, _, _ in pairs]),
                "r1_uncached_over_limit": summary([un["rps"] / lim["rps"] for lim, _, un, _ in pairs]),
                "r1_over_db": summary([r1["rps"] / db["tps"] for _, r1, _, db in pairs]),
                "limit_p99_ms": summary([lim["p99_ms"] for lim, _, _, _ in pairs]),
                "r1_p50_ms": summary([r1["p50_ms"] for _, r1, _, _ in pairs]),
                "r1_p90_ms": summary([r1["p90_ms"] for _, r1, _, _ in pairs]),
                "r1_p99_ms": summary([r1["p99_ms"] for _, r1, _, _ in pairs]),
                "r1_uncached_p99_ms": summary([un["p99_ms"] for _, _, un, _ in pairs]),
                "r1_p99_over_limit_p99": summary([r1["p99_ms"] / lim["p99_ms"] for lim, r1, _, _ in pairs]),
                "errors": sum(r["errors"] for r in runs["limit"] + runs["r1"] + runs["r1_uncached"]),
                "runs": runs,
            }
        report[str(workers)] = {
            "page_bytes": page_bytes,
            "connections": per_connections,
            "ladder_32": {path: summary([run["rps"] for run in runs]) for path, runs in ladder.items()},
            # Sets served from the cache during the measured R1 runs; with several workers,
            # /metrics answers from any one of them, so the counts do not add up.
            "cache_hit_ratio": hit_ratio(cache_before, cache_after) if workers == 1 else None,
        }
    return report


def growth(args: argparse.Namespace, small: str, large: str, small_keys: Path, large_keys: Path) -> dict[str, Any]:
    """R1 latency with few and with many rooms in the database, same page shape, interleaved.

    The render cache is off, so every statement of a render runs each time: what could grow
    with the data is measured, not the cache's hit rate. Both sides ask as 100 hosts.
    """
    results: dict[str, list[dict[str, float]]] = {"small": [], "large": []}
    with (
        Server(sqlalchemy_url(small), secret=BENCH_SECRET, db_pool_size="10", render_cache_mb="0") as s_server,
        Server(sqlalchemy_url(large), secret=BENCH_SECRET, db_pool_size="10", render_cache_mb="0") as l_server,
    ):
        for server, keys in ((s_server, small_keys), (l_server, large_keys)):
            wrk(server.url, R1_PATH, keys, 8, 2)
        for round_number in range(args.rounds):
            console.log(f"growth round={round_number + 1}")
            results["small"].append(wrk(s_server.url, R1_PATH, small_keys, 8, args.duration))
            results["large"].append(wrk(l_server.url, R1_PATH, large_keys, 8, args.duration))
    pairs = list(zip(results["small"], results["large"], strict=True))
    return {
        "connections": 8,
        "small_p50_ms": summary([s["p50_ms"] for s, _ in pairs]),
        "large_p50_ms": summary([lg["p50_ms"] for _, lg in pairs]),
        "large_over_small_p50": summary([lg["p50_ms"] / s["p50_ms"] for s, lg in pairs]),
        "large_over_small_rps": summary([lg["rps"] / s["rps"] for s, lg in pairs]),
        "runs": results,
    }


def memory(args: argparse.Namespace, database: str, keyfile: Path) -> dict[str, Any]:
    """Server RSS after warming the render cache, after N/2 and after N R1 requests.

    As the hot hosts: their pages fit the cache, so what could grow is the per-request
    path. Eviction (a cache at its bound) is covered by tests/test_render_cache.py.
    """
    marks = [args.memory_requests // 2, args.memory_requests]
    readings = []
    with Server(sqlalchemy_url(database), secret=BENCH_SECRET, db_pool_size="10") as server:
        wrk(server.url, R1_PATH, keyfile, 8, args.warm_seconds)
        readings.append({"requests": 0, "rss_mb": round(server.rss_bytes() / 2**20, 1)})
        sent = 0
        for mark in marks:
            while sent < mark:
                sent += wrk(server.url, R1_PATH, keyfile, 32, 10)["requests"]
                console.log(f"memory: {sent} requests, rss {server.rss_bytes() / 2**20:.1f} MB")
            readings.append({"requests": sent, "rss_mb": round(server.rss_bytes() / 2**20, 1)})
    return {
        "readings": readings,
        "growth_second_half": round(readings[2]["rss_mb"] / readings[1]["rss_mb"] - 1, 4),
    }


def contention_rooms(database: str, count: int = 5) -> list[str]:
    """The rooms of host 0's first set (PUBLIC, anyone may start): the contended ones.

    Its badge questions are made optional first, so that joining needs no answers.
    """
    first_set = (
        "(SELECT r.id FROM room_sets r JOIN bench_hosts h ON h.user_id = r.host_user_id "
        "WHERE h.n = 0 ORDER BY r.created_at, r.id LIMIT 1)"
    )
    output = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-At",
         "-c", f"UPDATE badge_questions SET required = false WHERE room_set_id = {first_set}",
         "-c", f"SELECT id FROM socials WHERE room_set_id = {first_set} ORDER BY created_at LIMIT {count}",
         database],
        capture_output=True, text=True, check=True,
    ).stdout
    return output.split()


def writes(args: argparse.Namespace, database: str, keyfile: Path, tmp: Path) -> dict[str, Any]:
    """Throughput of create-set (5 rooms) and of join/leave of a few rooms by many users."""
    room_file = tmp / "rooms.txt"
    room_file.write_text("\n".join(contention_rooms(database)) + "\n")
    results: dict[str, dict[str, list[dict[str, float]]]] = {"create_set": {}, "join_leave": {}}
    with Server(sqlalchemy_url(database), secret=BENCH_SECRET, db_pool_size="10") as server:
        for round_number in range(args.rounds):
            for connections in (8, 32):
                console.log(f"writes round={round_number + 1} connections={connections}")
                results["create_set"].setdefault(str(connections), []).append(
                    wrk(server.url, "/", keyfile, connections, args.duration, WRITES_LUA, "create")
                )
                results["join_leave"].setdefault(str(connections), []).append(
                    wrk(server.url, "/", keyfile, connections, args.duration, WRITES_LUA, "joinleave", str(room_file))
                )
    return {
        kind: {
            conns: {
                "ok_rps": summary([r["rps"] for r in runs]),
                "p99_ms": summary([r["p99_ms"] for r in runs]),
                "non_2xx_or_errors": sum(r["errors"] for r in runs),
                "requests": sum(r["requests"] for r in runs),
            }
            for conns, runs in per_connections.items()
        }
        for kind, per_connections in results.items()
    }


async def statements_and_plans(database: str) -> dict[str, Any]:
    """SQL statements of one R1 call (in-process) and their EXPLAIN ANALYZE plans."""
    from sqlalchemy import event

    from roomsets.app import create_app
    from roomsets.settings import Settings

    app = create_app(Settings(database_url=sqlalchemy_url(database), secret_key=BENCH_SECRET))
    captured: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    async with app.router.lifespan_context(app):
        engine = app.state.engine
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.get(R1_PATH, headers={"X-API-Key": host_key(1)})  # themes rendered once
            calls = {}
            for label in ("cold", "warm"):
                event.listen(engine.sync_engine, "before_cursor_execute", before)
                response = await client.get(R1_PATH, headers={"X-API-Key": host_key(2)})
                event.remove(engine.sync_engine, "before_cursor_execute", before)
                response.raise_for_status()
                calls[label], captured[:] = list(captured), []
        plans = []
        async with engine.connect() as connection:
            for label, statements in calls.items():
                for statement, parameters in statements:
                    result = await connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plans.append({"call": label, "statement": statement, "plan": "\n".join(row[0] for row in result)})
    seq_scans = sorted({m for p in plans for m in re.findall(r"Seq Scan on (\w+)", p["plan"])})
    return {"count": len(calls["warm"]), "count_cold": len(calls["cold"]), "plans": plans, "seq_scans": seq_scans}


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version", "test"],
                        capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": len(Path("/proc/cpuinfo").read_text().split("processor\t:")) - 1,
            "memory_gb": round(memory_kb / 2**20, 1), "python": platform.python_version(), "postgresql": pg,
            "kernel": platform.release()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: small data, short rounds")
    parser.add_argument("--small-hosts", type=int, default=100, help="hosts in the small database (×100 rooms)")
    parser.add_argument("--large-hosts", type=int, default=10000, help="hosts in the large database (×100 rooms)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--memory-requests", type=int, default=200_000, help="R1 requests in the memory run (RSS read at half and at the end)")
    parser.add_argument("--hot-hosts", type=int, default=500, help="hosts asking in the cache-warm R1 runs")
    parser.add_argument("--warm-seconds", type=int, default=40, help="R1 load before measuring, to fill the cache")
    parser.add_argument("--reuse", action="store_true", help="reuse databases left by --keep")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    args = parser.parse_args()
    if args.quick:
        args.large_hosts, args.duration, args.rounds, args.memory_requests = 1000, 3, 2, 300
        args.warm_seconds = 20
        args.workers = [1]
    require_tools()
    small, large = "roomsets_bench_small", "roomsets_bench_large"
    started = time.time()
    report: dict[str, Any] = {"machine": machine(), "args": vars(args), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        if not args.reuse:
            report["data"] = {
                "small": asyncio.run(generate(small, Profile(hosts=args.small_hosts))),
                "large": asyncio.run(generate(large, Profile(hosts=args.large_hosts))),
            }
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            small_keys = write_keys(tmp / "small.keys", args.small_hosts, 100)
            large_keys = write_keys(tmp / "large.keys", args.large_hosts, 2000)
            hot_keys = write_keys(tmp / "hot.keys", args.large_hosts, args.hot_hosts, seed=12)
            report["statements"] = asyncio.run(statements_and_plans(large))
            report["side_by_side"] = side_by_side(args, large, args.large_hosts, hot_keys, large_keys, tmp)
            growth_keys = write_keys(tmp / "growth.keys", args.large_hosts, 100)
            report["growth"] = growth(args, small, large, small_keys, growth_keys)
            report["memory"] = memory(args, large, hot_keys)
            report["writes"] = writes(args, large, large_keys, tmp)
    finally:
        if not args.keep:
            for database in (small, large):
                asyncio.run(drop_database(database))
    report["seconds"] = round(time.time() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "quick" if args.quick else time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    (RESULTS / f"r1-{name}.json").write_text(json.dumps(report, indent=2))
    from bench.report import write_report

    write_report(report, ROOT / "docs" / "performance.md")
    console.log(f"done in {report['seconds']} s; results in bench/results/r1-{name}.json and docs/performance.md")


if __name__ == "__main__":
    main()
