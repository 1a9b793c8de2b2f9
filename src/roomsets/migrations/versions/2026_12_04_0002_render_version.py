"""render version: every write that changes what R1 renders of a set bumps the set's counter

Revision ID: 0002_render_version
Revises: 0001_initial
Create Date: 2026-12-04 18:10:00

The render cache (roomsets.sets.render_cache) keys a set's rendered bytes by
`room_sets.render_version`. Triggers bump it in the writing transaction itself, so no code
path (API, CLI, demo, a hand-written SQL fix) can change a set without the next R1 on any
instance seeing a new version.

SQLite drops a table's triggers when a batch migration copies the table: a later migration
that rebuilds one of these tables on SQLite must create its triggers again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_render_version'
down_revision: str | None = '0001_initial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE room_sets SET render_version = render_version + 1 WHERE id IN ({sets})"

# table -> (events, the sets a changed row `R` (NEW or OLD) is rendered in)
SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "socials": (("INSERT", "UPDATE", "DELETE"), "SELECT R.room_set_id"),
    "room_set_alternate_hosts": (("INSERT", "UPDATE", "DELETE"), "SELECT R.room_set_id"),
    "badge_questions": (("INSERT", "UPDATE", "DELETE"), "SELECT R.room_set_id"),
    "social_attendees": (("INSERT", "UPDATE", "DELETE"), "SELECT R.room_set_id"),
    "social_alternate_hosts": (
        ("INSERT", "UPDATE", "DELETE"),
        "SELECT room_set_id FROM socials WHERE id = R.social_id",
    ),
    "social_invites": (("INSERT", "UPDATE", "DELETE"), "SELECT room_set_id FROM socials WHERE id = R.social_id"),
    "themes": (("UPDATE",), "SELECT room_set_id FROM socials WHERE theme_id = R.id"),
    "companies": (("UPDATE",), "SELECT room_set_id FROM socials WHERE company_id = R.id"),
    "users": (
        ("UPDATE",),
        "SELECT id FROM room_sets WHERE host_user_id = R.id"
        " UNION SELECT room_set_id FROM room_set_alternate_hosts WHERE user_id = R.id"
        " UNION SELECT room_set_id FROM socials WHERE creator_user_id = R.id"
        " UNION SELECT room_set_id FROM socials WHERE updated_by_user_id = R.id"
        " UNION SELECT s.room_set_id FROM social_alternate_hosts a JOIN socials s ON s.id = a.social_id"
        " WHERE a.user_id = R.id",
    ),
}


def _rows(event: str) -> tuple[str, ...]:
    return {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[event]


def _bump(event: str, sets: str) -> str:
    return BUMP.format(sets=" UNION ".join(sets.replace("R.", f"{row}.") for row in _rows(event)))


def _sqlite_upgrade() -> None:
    for table, (events, sets) in SOURCES.items():
        for event in events:
            op.execute(
                f"CREATE TRIGGER trg_{table}_render_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {_bump(event, sets)}; END"
            )
    # A write to the set's own row; recursive triggers are off, so this does not re-fire.
    op.execute(
        "CREATE TRIGGER trg_room_sets_render_update AFTER UPDATE ON room_sets "
        "WHEN NEW.render_version = OLD.render_version "
        "BEGIN UPDATE room_sets SET render_version = OLD.render_version + 1 WHERE id = NEW.id; END"
    )


def _postgresql_upgrade() -> None:
    for table, (events, sets) in SOURCES.items():
        for event in events:
            name = f"{table}_render_{event.lower()}"
            op.execute(
                f"CREATE FUNCTION roomsets_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {_bump(event, sets)}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER trg_{name} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION roomsets_{name}()"
            )
    op.execute(
        "CREATE FUNCTION roomsets_room_sets_render_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF NEW.render_version = OLD.render_version THEN "
        "NEW.render_version := OLD.render_version + 1; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER trg_room_sets_render_update BEFORE UPDATE ON room_sets "
        "FOR EACH ROW EXECUTE FUNCTION roomsets_room_sets_render_update()"
    )


def _triggers() -> list[tuple[str, str]]:
    named = [(f"{table}_render_{event.lower()}", table) for table, (events, _) in SOURCES.items() for event in events]
    return [*named, ("room_sets_render_update", "room_sets")]


def upgrade() -> None:
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('render_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('socials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_socials_company_id'), ['company_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table in _triggers():
        op.execute(f"DROP TRIGGER trg_{name} ON {table}" if postgresql else f"DROP TRIGGER trg_{name}")
        if postgresql:
            op.execute(f"DROP FUNCTION roomsets_{name}()")
    with op.batch_alter_table('socials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_socials_company_id'))
    # SQLite's batch copy of room_sets cannot carry the expression index: drop it and make it again.
    op.drop_index('ix_room_sets_host_lower_name', table_name='room_sets')
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.drop_column('render_version')
    op.create_index('ix_room_sets_host_lower_name', 'room_sets', ['host_user_id', sa.text('lower(name)')], unique=False)
