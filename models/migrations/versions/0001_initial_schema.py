"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_row_id'), ['row_id'], unique=False)

    op.create_table('offices',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('administration', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('pec', sa.String(length=200), nullable=False),
    sa.Column('patron_day', sa.String(length=5), nullable=True),
    sa.Column('signatory', sa.String(length=200), nullable=False),
    sa.Column('responsabile', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
    sa.UniqueConstraint('code', name=op.f('uq_offices_code'))
    )
    op.create_table('procedure_types',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.Column('lead_office', sa.String(length=16), nullable=False),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('required_fields', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_types')),
    sa.UniqueConstraint('code', name=op.f('uq_procedure_types_code'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('dossiers',
    sa.Column('protocol_office_id', sa.Uuid(), nullable=False),
    sa.Column('protocol_year', sa.Integer(), nullable=True),
    sa.Column('protocol_number', sa.Integer(), nullable=True),
    sa.Column('application_code', sa.String(length=64), nullable=True),
    sa.Column('procedure_type_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=16), nullable=False),
    sa.Column('holder_office_id', sa.Uuid(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('quota_assigned_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('birth_place', sa.String(length=200), nullable=False),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('passport', sa.String(length=32), nullable=True),
    sa.Column('fiscal_code', sa.String(length=16), nullable=True),
    sa.Column('cui', sa.String(length=32), nullable=True),
    sa.Column('employer_name', sa.String(length=300), nullable=False),
    sa.Column('employer_fiscal_code', sa.String(length=16), nullable=True),
    sa.Column('employer_pec', sa.String(length=200), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('clock_state', sa.String(length=16), nullable=False),
    sa.Column('suspended_days', sa.Integer(), nullable=False),
    sa.Column('open_flags', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holder_office_id'], ['offices.id'], name=op.f('fk_dossiers_holder_office_id_offices')),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_types.id'], name=op.f('fk_dossiers_procedure_type_id_procedure_types')),
    sa.ForeignKeyConstraint(['protocol_office_id'], ['offices.id'], name=op.f('fk_dossiers_protocol_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('application_code', name=op.f('uq_dossiers_application_code')),
    sa.UniqueConstraint('protocol_office_id', 'protocol_year', 'protocol_number', name='uq_dossiers_protocol')
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index('ix_dossiers_clock_deadline', ['clock_state', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_cui'), ['cui'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_filed_on'), ['filed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_fiscal_code'), ['fiscal_code'], unique=False)
        batch_op.create_index('ix_dossiers_holder_office_deadline', ['holder_office_id', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_passport'), ['passport'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_search_key'), ['search_key'], unique=False)
        batch_op.create_index('ix_dossiers_type_state', ['procedure_type_id', 'state'], unique=False)

    op.create_table('protocol_counters',
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_protocol_counters_office_id_offices')),
    sa.PrimaryKeyConstraint('office_id', 'year', name=op.f('pk_protocol_counters'))
    )
    op.create_table('staff',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('office_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('restricted_access', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_staff_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    op.create_table('term_rules',
    sa.Column('procedure_type_id', sa.Uuid(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('start', sa.String(length=24), nullable=False),
    sa.Column('saturday_working', sa.Boolean(), nullable=False),
    sa.Column('silent_assent', sa.Boolean(), nullable=False),
    sa.Column('silent_assent_exclusions', sa.String(length=200), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('to_verify', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_types.id'], name=op.f('fk_term_rules_procedure_type_id_procedure_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term_rules')),
    sa.UniqueConstraint('procedure_type_id', 'valid_from', name=op.f('uq_term_rules_procedure_type_id'))
    )
    op.create_table('workflow_states',
    sa.Column('procedure_type_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('holder', sa.String(length=16), nullable=False),
    sa.Column('clock', sa.String(length=16), nullable=False),
    sa.Column('is_final', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_types.id'], name=op.f('fk_workflow_states_procedure_type_id_procedure_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_states')),
    sa.UniqueConstraint('procedure_type_id', 'code', name=op.f('uq_workflow_states_procedure_type_id'))
    )
    op.create_table('workflow_transitions',
    sa.Column('procedure_type_id', sa.Uuid(), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=False),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('actor_office', sa.String(length=16), nullable=False),
    sa.Column('via_parere', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_types.id'], name=op.f('fk_workflow_transitions_procedure_type_id_procedure_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_transitions')),
    sa.UniqueConstraint('procedure_type_id', 'from_state', 'to_state', name=op.f('uq_workflow_transitions_procedure_type_id'))
    )
    op.create_table('dossier_events',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=True),
    sa.Column('to_state', sa.String(length=40), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('office_id', sa.Uuid(), nullable=True),
    sa.Column('entered_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_dossier_events_actor_id_staff')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_events_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_dossier_events_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_events'))
    )
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_events_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('flags',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('suspends', sa.Boolean(), nullable=False),
    sa.Column('raised_by_office_id', sa.Uuid(), nullable=False),
    sa.Column('for_office_id', sa.Uuid(), nullable=False),
    sa.Column('raised_by_id', sa.Uuid(), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('resolved_by_id', sa.Uuid(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_flags_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['for_office_id'], ['offices.id'], name=op.f('fk_flags_for_office_id_offices')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['staff.id'], name=op.f('fk_flags_raised_by_id_staff')),
    sa.ForeignKeyConstraint(['raised_by_office_id'], ['offices.id'], name=op.f('fk_flags_raised_by_office_id_offices')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['staff.id'], name=op.f('fk_flags_resolved_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_number'), ['number'], unique=False)
        batch_op.create_index('ix_flags_open_for_office', ['for_office_id', 'resolved_on'], unique=False)

    op.create_table('pareri',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_pareri_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['officer_id'], ['staff.id'], name=op.f('fk_pareri_officer_id_staff')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_pareri_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pareri'))
    )
    with op.batch_alter_table('pareri', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pareri_dossier_id'), ['dossier_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('pareri', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pareri_dossier_id'))

    op.drop_table('pareri')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_open_for_office')
        batch_op.drop_index(batch_op.f('ix_flags_number'))
        batch_op.drop_index(batch_op.f('ix_flags_dossier_id'))

    op.drop_table('flags')
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_events_dossier_id'))

    op.drop_table('dossier_events')
    op.drop_table('workflow_transitions')
    op.drop_table('workflow_states')
    op.drop_table('term_rules')
    op.drop_table('staff')
    op.drop_table('protocol_counters')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_type_state')
        batch_op.drop_index(batch_op.f('ix_dossiers_search_key'))
        batch_op.drop_index(batch_op.f('ix_dossiers_passport'))
        batch_op.drop_index('ix_dossiers_holder_office_deadline')
        batch_op.drop_index(batch_op.f('ix_dossiers_fiscal_code'))
        batch_op.drop_index(batch_op.f('ix_dossiers_filed_on'))
        batch_op.drop_index(batch_op.f('ix_dossiers_cui'))
        batch_op.drop_index(batch_op.f('ix_dossiers_closed_on'))
        batch_op.drop_index('ix_dossiers_clock_deadline')

    op.drop_table('dossiers')
    op.drop_table('settings')
    op.drop_table('procedure_types')
    op.drop_table('offices')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_row_id'))

    op.drop_table('audit_log')

