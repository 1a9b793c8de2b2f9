"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-04 15:34:29.248953
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import roomsets.kit.db

revision: str = '0001_initial'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('name', name=op.f('uq_companies_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('middle_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('email_verified', sa.Boolean(), nullable=False),
    sa.Column('preload', sa.Boolean(), nullable=False),
    sa.Column('mobile_phone', sa.String(length=32), nullable=True),
    sa.Column('mobile_phone_verified', sa.Boolean(), nullable=False),
    sa.Column('mobile_phone_verified_web', sa.Boolean(), nullable=False),
    sa.Column('profile_id', sa.String(length=64), nullable=True),
    sa.Column('profile_image_uri', sa.String(length=2048), nullable=True),
    sa.Column('profile_image_id', sa.Uuid(), nullable=True),
    sa.Column('profile_image_background', sa.String(length=32), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('registered_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('acted_as', sa.Boolean(), nullable=False),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_users_company_id_companies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_company_id'), ['company_id'], unique=False)

    op.create_table('api_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_user_id'), ['user_id'], unique=False)

    op.create_table('room_sets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('entry_option', sa.Enum('DEFAULT', 'ACCOUNT', 'CUSTOM_RULES', 'STARTING_POINT', name='entryoption', native_enum=False, length=32), nullable=False),
    sa.Column('group_former_count', sa.Integer(), nullable=False),
    sa.Column('anyone_can_start', sa.Boolean(), nullable=False),
    sa.Column('allow_guest_users', sa.Boolean(), nullable=False),
    sa.Column('host_admitted', sa.Boolean(), nullable=False),
    sa.Column('social_permission_type', sa.Enum('PUBLIC', 'COMPANY_AND_CONNECTIONS', 'CONNECTIONS', 'COMPANY', name='socialpermissiontype', native_enum=False, length=32), nullable=False),
    sa.Column('starting_point_social_id', sa.Uuid(), nullable=True),
    sa.Column('host_user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['host_user_id'], ['users.id'], name=op.f('fk_room_sets_host_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_sets'))
    )
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.create_index('ix_room_sets_host_created', ['host_user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_room_sets_host_group_former_count', ['host_user_id', 'group_former_count'], unique=False)

    op.create_table('themes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.Enum('LAYERED', 'SINGLE_IMAGE', 'SINGLE_COLOR', name='themetype', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('color_primary', sa.String(length=9), nullable=True),
    sa.Column('color_secondary', sa.String(length=9), nullable=True),
    sa.Column('color_background', sa.String(length=9), nullable=True),
    sa.Column('color_gradient_background', sa.String(length=9), nullable=True),
    sa.Column('color_button_text', sa.String(length=9), nullable=True),
    sa.Column('color_button_bg', sa.String(length=9), nullable=True),
    sa.Column('image_far_key', sa.String(length=512), nullable=True),
    sa.Column('image_mid_key', sa.String(length=512), nullable=True),
    sa.Column('image_near_key', sa.String(length=512), nullable=True),
    sa.Column('preview_key', sa.String(length=512), nullable=True),
    sa.Column('minimap_key', sa.String(length=512), nullable=True),
    sa.Column('image_width', sa.Integer(), nullable=True),
    sa.Column('image_height', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.String(length=64), nullable=True),
    sa.Column('default_artifact_set_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('multi_size', sa.Boolean(), nullable=False),
    sa.Column('add_to_minimap', sa.Boolean(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('upload_request_status_id', sa.Uuid(), nullable=True),
    sa.Column('upload_request_id', sa.String(length=64), nullable=True),
    sa.Column('upload_user_id', sa.Uuid(), nullable=True),
    sa.Column('upload_status', sa.Enum('IN_PROGRESS', 'COMPLETED', 'FAILED', name='uploadstate', native_enum=False, length=32), nullable=True),
    sa.Column('upload_progress', sa.Integer(), nullable=True),
    sa.Column('upload_failure_reason', sa.Text(), nullable=True),
    sa.Column('upload_started_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('upload_ended_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_themes_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_themes_owner_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_themes_owner_user_id'), ['owner_user_id'], unique=False)

    op.create_table('badge_questions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('room_set_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('options', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('featured', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.Enum('ALL', 'ACCOUNT_USERS', 'HOSTS', 'INTERNAL', name='badgevisibility', native_enum=False, length=32), nullable=False),
    sa.Column('input_type', sa.Enum('TEXT', 'PARAGRAPH', 'SINGLE_SELECT', 'MULTI_SELECT', 'NUMBER', name='inputtype', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['room_set_id'], ['room_sets.id'], name=op.f('fk_badge_questions_room_set_id_room_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_questions'))
    )
    with op.batch_alter_table('badge_questions', schema=None) as batch_op:
        batch_op.create_index('ix_badge_questions_room_set_position', ['room_set_id', 'position'], unique=False)

    op.create_table('entry_configurations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('room_set_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('entry_option', sa.Enum('DEFAULT', 'ACCOUNT', 'CUSTOM_RULES', 'STARTING_POINT', name='entryoption', native_enum=False, length=32), nullable=False),
    sa.Column('group_spawn_size', sa.Integer(), nullable=False),
    sa.Column('group_former_count', sa.Integer(), nullable=False),
    sa.Column('starting_point_x', sa.Integer(), nullable=True),
    sa.Column('starting_point_y', sa.Integer(), nullable=True),
    sa.Column('entry_flow', sa.Enum('SPIRAL', 'GRID', name='entryflow', native_enum=False, length=32), nullable=False),
    sa.Column('rules', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_set_id'], ['room_sets.id'], name=op.f('fk_entry_configurations_room_set_id_room_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_configurations')),
    sa.UniqueConstraint('room_set_id', name=op.f('uq_entry_configurations_room_set_id'))
    )
    op.create_table('room_set_alternate_hosts',
    sa.Column('room_set_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('added_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_set_id'], ['room_sets.id'], name=op.f('fk_room_set_alternate_hosts_room_set_id_room_sets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_set_alternate_hosts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('room_set_id', 'user_id', name=op.f('pk_room_set_alternate_hosts'))
    )
    with op.batch_alter_table('room_set_alternate_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_set_alternate_hosts_user_id'), ['user_id'], unique=False)

    op.create_table('theme_tiles',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('theme_id', sa.Uuid(), nullable=False),
    sa.Column('layer', sa.Enum('SINGLE', 'FAR', 'MID', 'NEAR', name='tilelayer', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('y', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_tiles_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_tiles'))
    )
    with op.batch_alter_table('theme_tiles', schema=None) as batch_op:
        batch_op.create_index('ix_theme_tiles_theme_position', ['theme_id', 'position'], unique=False)

    op.create_table('badge_answers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('multi_values', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('answered_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['badge_questions.id'], name=op.f('fk_badge_answers_question_id_badge_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_badge_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_answers')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_badge_answers_question_id_user_id'))
    )
    with op.batch_alter_table('badge_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_answers_user_id'), ['user_id'], unique=False)

    op.create_table('socials',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('room_set_id', sa.Uuid(), nullable=False),
    sa.Column('creator_user_id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('meta_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('recurring', sa.Boolean(), nullable=False),
    sa.Column('anyone_can_start', sa.Boolean(), nullable=False),
    sa.Column('free', sa.Boolean(), nullable=False),
    sa.Column('allow_guest_users', sa.Boolean(), nullable=False),
    sa.Column('social_permission_type', sa.Enum('PUBLIC', 'COMPANY_AND_CONNECTIONS', 'CONNECTIONS', 'COMPANY', name='socialpermissiontype', native_enum=False, length=32), nullable=False),
    sa.Column('platform', sa.Enum('SCOOT', name='platform', native_enum=False, length=32), nullable=False),
    sa.Column('max_participants', sa.Integer(), nullable=False),
    sa.Column('starting_width', sa.Integer(), nullable=False),
    sa.Column('starting_height', sa.Integer(), nullable=False),
    sa.Column('host_admitted', sa.Boolean(), nullable=False),
    sa.Column('theme_id', sa.Uuid(), nullable=True),
    sa.Column('configuration_id', sa.Uuid(), nullable=True),
    sa.Column('playlist_id', sa.Uuid(), nullable=True),
    sa.Column('artifact_set_id', sa.Uuid(), nullable=True),
    sa.Column('start_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('end_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_user_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_socials_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['configuration_id'], ['entry_configurations.id'], name=op.f('fk_socials_configuration_id_entry_configurations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['creator_user_id'], ['users.id'], name=op.f('fk_socials_creator_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_set_id'], ['room_sets.id'], name=op.f('fk_socials_room_set_id_room_sets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_socials_theme_id_themes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_user_id'], ['users.id'], name=op.f('fk_socials_updated_by_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_socials'))
    )
    with op.batch_alter_table('socials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_socials_configuration_id'), ['configuration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_socials_creator_user_id'), ['creator_user_id'], unique=False)
        batch_op.create_index('ix_socials_room_set_created', ['room_set_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_socials_theme_id'), ['theme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_socials_updated_by_user_id'), ['updated_by_user_id'], unique=False)

    op.create_table('saved_socials',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('social_id', sa.Uuid(), nullable=False),
    sa.Column('saved_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['social_id'], ['socials.id'], name=op.f('fk_saved_socials_social_id_socials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_socials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'social_id', name=op.f('pk_saved_socials'))
    )
    with op.batch_alter_table('saved_socials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_socials_social_id'), ['social_id'], unique=False)

    op.create_table('social_alternate_hosts',
    sa.Column('social_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('added_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['social_id'], ['socials.id'], name=op.f('fk_social_alternate_hosts_social_id_socials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_alternate_hosts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('social_id', 'user_id', name=op.f('pk_social_alternate_hosts'))
    )
    with op.batch_alter_table('social_alternate_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_alternate_hosts_user_id'), ['user_id'], unique=False)

    op.create_table('social_attendees',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('social_id', sa.Uuid(), nullable=False),
    sa.Column('room_set_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('WAITING', 'JOINED', 'REJECTED', 'LEFT', name='attendeestatus', native_enum=False, length=32), nullable=False),
    sa.Column('is_host', sa.Boolean(), nullable=False),
    sa.Column('is_present', sa.Boolean(), nullable=False),
    sa.Column('arrived_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('first_joined_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('queue_position', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=64), nullable=True),
    sa.Column('ring_color', sa.String(length=9), nullable=True),
    sa.Column('token_id', sa.String(length=64), nullable=True),
    sa.Column('stream_connection_id', sa.String(length=64), nullable=True),
    sa.Column('presenter_video_quality', sa.String(length=16), nullable=True),
    sa.Column('social_changed', sa.Boolean(), nullable=False),
    sa.Column('updated_websocket_url', sa.String(length=2048), nullable=True),
    sa.Column('favorite_user_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_set_id'], ['room_sets.id'], name=op.f('fk_social_attendees_room_set_id_room_sets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['social_id'], ['socials.id'], name=op.f('fk_social_attendees_social_id_socials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_attendees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_attendees')),
    sa.UniqueConstraint('social_id', 'user_id', name=op.f('uq_social_attendees_social_id_user_id'))
    )
    with op.batch_alter_table('social_attendees', schema=None) as batch_op:
        batch_op.create_index('ix_social_attendees_room_set_user', ['room_set_id', 'user_id'], unique=False)
        batch_op.create_index('ix_social_attendees_social_status', ['social_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_attendees_user_id'), ['user_id'], unique=False)

    op.create_table('social_invites',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('social_id', sa.Uuid(), nullable=False),
    sa.Column('invited_user_id', sa.Uuid(), nullable=False),
    sa.Column('invited_by_user_id', sa.Uuid(), nullable=True),
    sa.Column('did_attend', sa.Boolean(), nullable=False),
    sa.Column('invited_at', roomsets.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_user_id'], ['users.id'], name=op.f('fk_social_invites_invited_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_user_id'], ['users.id'], name=op.f('fk_social_invites_invited_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['social_id'], ['socials.id'], name=op.f('fk_social_invites_social_id_socials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_invites')),
    sa.UniqueConstraint('social_id', 'invited_user_id', name=op.f('uq_social_invites_social_id_invited_user_id'))
    )
    with op.batch_alter_table('social_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_invites_invited_user_id'), ['invited_user_id'], unique=False)

    # room_sets <-> socials is circular: the starting point's key comes last.
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.create_foreign_key(op.f('fk_room_sets_starting_point_social_id_socials'), 'socials', ['starting_point_social_id'], ['id'], ondelete='SET NULL')
    # After the batch above: SQLite's table copy cannot carry expression indexes.
    op.create_index('ix_room_sets_host_lower_name', 'room_sets', ['host_user_id', sa.text('lower(name)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_room_sets_host_lower_name', table_name='room_sets')
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_room_sets_starting_point_social_id_socials'), type_='foreignkey')
    with op.batch_alter_table('social_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_invites_invited_user_id'))

    op.drop_table('social_invites')
    with op.batch_alter_table('social_attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_attendees_user_id'))
        batch_op.drop_index('ix_social_attendees_social_status')
        batch_op.drop_index('ix_social_attendees_room_set_user')

    op.drop_table('social_attendees')
    with op.batch_alter_table('social_alternate_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_alternate_hosts_user_id'))

    op.drop_table('social_alternate_hosts')
    with op.batch_alter_table('saved_socials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_socials_social_id'))

    op.drop_table('saved_socials')
    with op.batch_alter_table('socials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_socials_updated_by_user_id'))
        batch_op.drop_index(batch_op.f('ix_socials_theme_id'))
        batch_op.drop_index('ix_socials_room_set_created')
        batch_op.drop_index(batch_op.f('ix_socials_creator_user_id'))
        batch_op.drop_index(batch_op.f('ix_socials_configuration_id'))

    op.drop_table('socials')
    with op.batch_alter_table('badge_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_answers_user_id'))

    op.drop_table('badge_answers')
    with op.batch_alter_table('theme_tiles', schema=None) as batch_op:
        batch_op.drop_index('ix_theme_tiles_theme_position')

    op.drop_table('theme_tiles')
    with op.batch_alter_table('room_set_alternate_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_set_alternate_hosts_user_id'))

    op.drop_table('room_set_alternate_hosts')
    op.drop_table('entry_configurations')
    with op.batch_alter_table('badge_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_badge_questions_room_set_position')

    op.drop_table('badge_questions')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_themes_company_id'))

    op.drop_table('themes')
    with op.batch_alter_table('room_sets', schema=None) as batch_op:
        batch_op.drop_index('ix_room_sets_host_group_former_count')
        batch_op.drop_index('ix_room_sets_host_created')

    op.drop_table('room_sets')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_user_id'))

    op.drop_table('api_keys')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_company_id'))

    op.drop_table('users')
    op.drop_table('companies')
