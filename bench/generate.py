"""Load a PostgreSQL database with Roomsets data at scale, fast (binary COPY).

Each host gets `sets_per_host` room sets of `rooms_per_set` rooms, with alternate hosts,
themes with tiles, invites, attendees, badge questions and the host's answers: every
part of an R1 page is real. Host i's API key is derived from the bench secret, so the
load generator can authenticate as any host without storing keys.

    python -m bench.generate --database roomsets_bench --hosts 2000
"""

import argparse
import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from roomsets.kit.auth import new_key
from roomsets.migrate import upgrade

BENCH_SECRET = "roomsets-bench-secret"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
CHUNK = 20_000


def host_key(index: int) -> str:
    return new_key(BENCH_SECRET, material=f"bench-host:{index}").key


@dataclass(frozen=True)
class Profile:
    hosts: int
    sets_per_host: int = 20
    rooms_per_set: int = 5
    extra_users: int = 2000
    themes: int = 50
    tiles_per_theme: int = 16
    invites_per_room: int = 3
    attendees_per_room: int = 2

    @property
    def rooms(self) -> int:
        return self.hosts * self.sets_per_host * self.rooms_per_set


def dsn_for(database: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + database


async def recreate_database(database: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()


async def drop_database(database: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await admin.close()


class Loader:
    """Buffers rows per table and COPYs them in chunks."""

    def __init__(self, connection: asyncpg.Connection, progress: Progress, task: int) -> None:
        self.connection = connection
        self.progress = progress
        self.task = task
        self.buffers: dict[str, tuple[list[str], list[tuple]]] = {}

    async def add(self, table: str, columns: list[str], row: tuple) -> None:
        buffer = self.buffers.setdefault(table, (columns, []))[1]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            await self.flush(table)

    async def flush(self, table: str) -> None:
        columns, rows = self.buffers[table]
        if rows:
            await self.connection.copy_records_to_table(table, records=rows, columns=columns)
            self.progress.advance(self.task, len(rows))
            rows.clear()

    async def flush_all(self) -> None:
        for table in list(self.buffers):
            await self.flush(table)


USER_COLUMNS = [
    "id", "company_id", "email", "name", "first_name", "middle_name", "last_name", "email_verified", "preload",
    "mobile_phone", "mobile_phone_verified", "mobile_phone_verified_web", "profile_id", "profile_image_uri",
    "profile_image_id", "profile_image_background", "time_zone", "registered_at", "active", "acted_as", "is_guest",
]
SET_COLUMNS = [
    "id", "name", "description", "entry_option", "group_former_count", "anyone_can_start", "allow_guest_users",
    "host_admitted", "social_permission_type", "starting_point_social_id", "host_user_id", "created_at",
    "updated_at", "version",
]
SOCIAL_COLUMNS = [
    "id", "room_set_id", "creator_user_id", "company_id", "meta_id", "name", "description", "session_id",
    "recurring", "anyone_can_start", "free", "allow_guest_users", "social_permission_type", "platform",
    "max_participants", "starting_width", "starting_height", "host_admitted", "theme_id", "configuration_id",
    "created_at", "updated_at", "updated_by_user_id", "version",
]
ATTENDEE_COLUMNS = [
    "id", "social_id", "room_set_id", "user_id", "status", "is_host", "is_present", "arrived_at",
    "first_joined_at", "social_changed", "favorite_user_ids", "updated_at",
]


def user_row(user_id: uuid.UUID, company_id: uuid.UUID, n: int, now: datetime) -> tuple:
    return (
        user_id, company_id, f"user{n}@bench.test", f"Bench User {n}", "Bench", None, f"User {n}", True, False,
        None, False, False, None, None, None, None, "UTC", now, True, False, False,
    )


async def generate(database: str, profile: Profile, seed: int = 7) -> dict[str, float]:
    """Create `database`, migrate it, load `profile`. Returns row counts and seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    await recreate_database(database)
    await asyncio.to_thread(upgrade, "postgresql+asyncpg" + dsn_for(database).removeprefix("postgresql"))
    connection = await asyncpg.connect(dsn_for(database))
    # Binary COPY needs a binary jsonb codec: a version byte (1), then the JSON text.
    await connection.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + json.dumps(value).encode(),
        decoder=lambda data: json.loads(data[1:]),
        schema="pg_catalog",
        format="binary",
    )
    # A fresh database, filled in one go: the render-version triggers would rewrite a set's
    # row for each of its rooms, invites and attendees; every set starts at version 1.
    await connection.execute("SET session_replication_role = replica")
    now = datetime.now(UTC)
    expected = (
        profile.hosts + profile.extra_users + profile.hosts
        + profile.themes * (1 + profile.tiles_per_theme)
        + profile.hosts * profile.sets_per_host * 6
        + profile.rooms * (2 + profile.invites_per_room + profile.attendees_per_room)
    )
    with Progress(
        TextColumn("[bold]loading {task.fields[database]}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("rows"), TimeElapsedColumn(),
    ) as progress:
        task = progress.add_task("load", total=expected, database=database)
        loader = Loader(connection, progress, task)
        # Rows go in table by table in one pass; FK checks wait for the end of the load.
        await connection.execute("SET session_replication_role = replica")
        async with connection.transaction():
            company = uuid.uuid4()
            await connection.execute("INSERT INTO companies (id, name, created_at) VALUES ($1, 'Bench Co', $2)", company, now)
            hosts = [uuid.uuid4() for _ in range(profile.hosts)]
            others = [uuid.uuid4() for _ in range(profile.extra_users)]
            for n, user_id in enumerate(hosts + others):
                await loader.add("users", USER_COLUMNS, user_row(user_id, company, n, now))
            for index, host in enumerate(hosts):
                made = new_key(BENCH_SECRET, material=f"bench-host:{index}")
                await loader.add(
                    "api_keys", ["id", "user_id", "prefix", "key_hash", "created_at"],
                    (uuid.uuid4(), host, made.prefix, made.key_hash, now),
                )
            themes = [uuid.uuid4() for _ in range(profile.themes)]
            for t, theme_id in enumerate(themes):
                await loader.add(
                    "themes",
                    ["id", "type", "name", "color_primary", "preview_key", "minimap_key", "image_width",
                     "image_height", "created_at", "multi_size", "add_to_minimap", "owner_user_id", "company_id"],
                    (theme_id, "SINGLE_IMAGE", f"Bench theme {t}", "#336699", f"themes/{theme_id}/preview.webp",
                     f"themes/{theme_id}/minimap.webp", 4096, 4096, now, True, True, None, None),
                )
                for position in range(profile.tiles_per_theme):
                    x, y = position % 4, position // 4
                    await loader.add(
                        "theme_tiles", ["id", "theme_id", "layer", "position", "key", "x", "y", "width", "height"],
                        (uuid.uuid4(), theme_id, "SINGLE", position, f"themes/{theme_id}/tiles/{x}_{y}.webp",
                         x * 1024, y * 1024, 1024, 1024),
                    )
            for h, host in enumerate(hosts):
                for s in range(profile.sets_per_host):
                    set_id, config_id = uuid.uuid4(), uuid.uuid4()
                    created = now - timedelta(minutes=profile.sets_per_host - s)
                    room_ids = [uuid.uuid4() for _ in range(profile.rooms_per_set)]
                    await loader.add(
                        "room_sets", SET_COLUMNS,
                        (set_id, f"Set {s:02d} of host {h}", "A bench room set", "DEFAULT", rng.randint(0, 5),
                         True, False, False, "PUBLIC", room_ids[0], host, created, created, 1),
                    )
                    await loader.add(
                        "entry_configurations",
                        ["id", "room_set_id", "name", "entry_option", "group_spawn_size", "group_former_count",
                         "entry_flow", "rules", "created_at", "updated_at"],
                        (config_id, set_id, None, "DEFAULT", 0, 0, "SPIRAL", [], created, created),
                    )
                    await loader.add(
                        "room_set_alternate_hosts", ["room_set_id", "user_id", "added_at"],
                        (set_id, rng.choice(others), created),
                    )
                    questions = [uuid.uuid4(), uuid.uuid4()]
                    for position, question in enumerate(questions):
                        await loader.add(
                            "badge_questions",
                            ["id", "room_set_id", "position", "title", "description", "options", "required",
                             "featured", "visibility", "input_type"],
                            (question, set_id, position, f"Question {position}", None,
                             ["a", "b", "c"] if position else [], position == 1, False, "ALL",
                             "SINGLE_SELECT" if position else "TEXT"),
                        )
                    await loader.add(
                        "badge_answers", ["id", "question_id", "user_id", "value", "multi_values", "answered_at"],
                        (uuid.uuid4(), questions[1], host, "b", None, created),
                    )
                    for r, room_id in enumerate(room_ids):
                        await loader.add(
                            "socials", SOCIAL_COLUMNS,
                            (room_id, set_id, host, company, uuid.uuid4(), f"Room {r}", None, None, False, True,
                             True, False, "PUBLIC", "SCOOT", 75, 8000, 8000, False, rng.choice(themes), config_id,
                             created + timedelta(seconds=r), created, host, 1),
                        )
                        await loader.add(
                            "social_alternate_hosts", ["social_id", "user_id", "added_at"],
                            (room_id, rng.choice(others), created),
                        )
                        for user in rng.sample(others, profile.invites_per_room):
                            await loader.add(
                                "social_invites",
                                ["id", "social_id", "invited_user_id", "invited_by_user_id", "did_attend", "invited_at"],
                                (uuid.uuid4(), room_id, user, host, False, created),
                            )
                        for user in rng.sample(others, profile.attendees_per_room):
                            await loader.add(
                                "social_attendees", ATTENDEE_COLUMNS,
                                (uuid.uuid4(), room_id, set_id, user, "JOINED", False, True, created, created,
                                 False, [], created),
                            )
            await loader.flush_all()
        await connection.execute("SET session_replication_role = DEFAULT")
        # Host number -> user id, for pgbench scripts that pick a random host (bench only).
        await connection.execute(
            "CREATE TABLE bench_hosts AS SELECT n - 1 AS n, id AS user_id FROM unnest($1::uuid[]) WITH ORDINALITY AS h(id, n)",
            hosts,
        )
        await connection.execute("ALTER TABLE bench_hosts ADD PRIMARY KEY (n)")
        await connection.execute("ANALYZE")
    counts = {
        table: await connection.fetchval(f"SELECT count(*) FROM {table}")
        for table in ("users", "room_sets", "socials", "social_invites", "social_attendees", "theme_tiles")
    }
    await connection.close()
    return {**counts, "seconds": round(time.perf_counter() - started, 1)}


def iter_hosts(count: int) -> Iterator[str]:
    for index in range(count):
        yield host_key(index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="roomsets_bench")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--sets-per-host", type=int, default=20)
    parser.add_argument("--rooms-per-set", type=int, default=5)
    args = parser.parse_args()
    profile = Profile(hosts=args.hosts, sets_per_host=args.sets_per_host, rooms_per_set=args.rooms_per_set)
    print(json.dumps(asyncio.run(generate(args.database, profile)), indent=2))


if __name__ == "__main__":
    main()
