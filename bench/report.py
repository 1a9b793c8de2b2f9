"""Render a harness result as Markdown inside docs/performance.md (between markers)."""

from pathlib import Path
from typing import Any

START, END = "<!-- r1-bench:start -->", "<!-- r1-bench:end -->"


def _range(s: dict[str, float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(s['median'])} ({fmt.format(s['min'])}–{fmt.format(s['max'])})"


def render(report: dict[str, Any]) -> str:
    m = report["machine"]
    command = "make bench BENCH_ARGS=--quick" if report["args"]["quick"] else "make bench"
    lines = [
        "## R1 `GET /api/v1/social/room/set/mine` — side by side",
        "",
        f"Run of {report['started']} (`{command}`, {report['seconds']} s): "
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}, PostgreSQL {m['postgresql']}. Medians over {report['args']['rounds']} rounds "
        f"of {report['args']['duration']} s, min–max in brackets. A page is 20 sets × 5 rooms with full "
        f"nesting. R1 asks as random hosts out of {report['args'].get('hot_hosts', 2000)} (their pages fit "
        f"the render cache, warmed for {report['args'].get('warm_seconds', 0)} s first); *R1 uncached* asks as "
        f"random hosts out of {min(2000, report['args']['large_hosts'])} from a server with the cache off.",
        "",
        "| workers | conns | limit req/s | R1 req/s | R1 uncached req/s | db tps | R1/limit | R1 uncached/limit | R1/db "
        "| R1 p50 ms | R1 p99 ms | limit p99 ms | R1 p99 / limit p99 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for workers, data in report["side_by_side"].items():
        for conns, row in data["connections"].items():
            lines.append(
                f"| {workers} | {conns} | {row['limit_rps']['median']:.0f} | {row['r1_rps']['median']:.1f} | "
                f"{row['r1_uncached_rps']['median']:.1f} | "
                f"{row['db_tps']['median']:.1f} | {_range(row['r1_over_limit'], '{:.3f}')} | "
                f"{_range(row['r1_uncached_over_limit'], '{:.3f}')} | "
                f"{_range(row['r1_over_db'])} | {row['r1_p50_ms']['median']:.1f} | {row['r1_p99_ms']['median']:.1f} | "
                f"{row['limit_p99_ms']['median']:.1f} | {_range(row['r1_p99_over_limit_p99'], '{:.1f}')} |"
            )
    lines += [
        "",
        "Sets served from the render cache during the measured R1 runs (1 worker): "
        + ", ".join(
            f"{data['cache_hit_ratio'] * 100:.1f} %"
            for workers, data in report["side_by_side"].items()
            if data.get("cache_hit_ratio") is not None
        )
        + ".",
        "",
        "Where R1's time goes, at 32 connections (req/s; bench mode's routes answer R1's bytes): "
        "the stack alone → plus the request's session dependency → plus the API-key check → R1.",
        "",
        "| workers | limit | + session | + auth | R1 |",
        "|---|---|---|---|---|",
        *[
            f"| {workers} | " + " | ".join(f"{row['median']:.0f}" for row in data["ladder_32"].values()) + " |"
            for workers, data in report["side_by_side"].items()
            if "ladder_32" in data
        ],
    ]
    page_bytes = next(iter(report["side_by_side"].values()))["page_bytes"]
    g = report["growth"]
    mem = report["memory"]["readings"]
    st = report["statements"]
    data = report.get("data", {})
    lines += [
        "",
        f"A page is {page_bytes / 1024:.0f} KiB of JSON. "
        + (
            f"Data: small {data['small']['socials']:,} rooms, large {data['large']['socials']:,} rooms "
            f"({data['large']['social_invites']:,} invites, {data['large']['social_attendees']:,} attendees), "
            f"loaded in {data['large']['seconds']} s."
            if data
            else ""
        ),
        "",
        "### Growth, memory, statements",
        "",
        "| measure | value |",
        "|---|---|",
        f"| R1 p50 (cache off) at small → large database, {g['connections']} conns | {g['small_p50_ms']['median']:.1f} ms → "
        f"{g['large_p50_ms']['median']:.1f} ms; ratio {_range(g['large_over_small_p50'])} |",
        f"| R1 req/s large/small | {_range(g['large_over_small_rps'])} |",
        f"| server RSS after warm-up / after {mem[1]['requests']:,} / after {mem[2]['requests']:,} requests | "
        f"{mem[0]['rss_mb']} / {mem[1]['rss_mb']} / {mem[2]['rss_mb']} MB "
        f"(second half {report['memory']['growth_second_half'] * 100:+.1f} %) |",
        f"| SQL statements per R1 call (auth included): cache warm / a page not rendered before | "
        f"{st['count']} / {st.get('count_cold', '–')} |",
        f"| sequential scans in R1's plans (large database) | {', '.join(st['seq_scans']) or 'none'} |",
        "",
        "### Writes (1 worker)",
        "",
        "| operation | conns | 2xx req/s | p99 ms | requests | non-2xx or errors |",
        "|---|---|---|---|---|---|",
        *[
            f"| {kind.replace('_', ' ')} | {conns} | {_range(row['ok_rps'], '{:.1f}')} | {row['p99_ms']['median']:.0f} | "
            f"{row['requests']} | {row['non_2xx_or_errors']} |"
            for kind, per_conns in report.get("writes", {}).items()
            for conns, row in per_conns.items()
        ],
        "",
        "Create set: `POST /api/v1/social/room/set` with 5 rooms as a random host. Join/leave: "
        "random users join one of the 5 rooms of one set (no required badge questions), or leave it "
        "if they joined last (rooms of "
        "75 places: once full, joins queue as WAITING, which is a 2xx too). A non-2xx there is a "
        "join/leave pair overtaken by another request of the same user (409).",
        "",
        "<details><summary>EXPLAIN ANALYZE of R1's statements on the large database</summary>",
        "",
    ]
    for plan in st["plans"]:
        lines += [f"{plan.get('call', '')} call:", "```sql", plan["statement"].strip(), "```", "```", plan["plan"], "```", ""]
    lines += ["</details>"]
    return "\n".join(lines)


def write_report(report: dict[str, Any], path: Path) -> None:
    block = f"{START}\n{render(report)}\n{END}"
    text = path.read_text() if path.exists() else "# Performance\n\nHow to reproduce: `make bench` (see bench/run.py).\n\n"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
