"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("role IN ('clerk', 'manager', 'admin')", name=op.f('ck_app_user_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('owner_table', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_owner', ['owner_table', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('carrier_kind',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('incubation_months', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_carrier_kind')),
    sa.UniqueConstraint('name', name=op.f('uq_carrier_kind_name'))
    )
    op.create_table('district',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('city_share_pct', sa.Integer(), nullable=False),
    sa.Column('admin_code', sa.String(length=6), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('主城区', '非主城区')", name=op.f('ck_district_kind')),
    sa.CheckConstraint('city_share_pct BETWEEN 0 AND 100', name=op.f('ck_district_city_share_pct')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district')),
    sa.UniqueConstraint('name', name=op.f('uq_district_name'))
    )
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('mapping_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping'))
    )
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.create_index('uq_import_mapping_kind_source', ['kind', 'source'], unique=True)

    op.create_table('industry_field',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_industry_field')),
    sa.UniqueConstraint('name', name=op.f('uq_industry_field_name'))
    )
    op.create_table('qualification_type',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('granting_body', sa.String(length=80), nullable=True),
    sa.Column('validity_years', sa.Integer(), nullable=True),
    sa.Column('renewable', sa.Boolean(), nullable=False),
    sa.Column('has_annual_report', sa.Boolean(), nullable=False),
    sa.Column('has_tiers', sa.Boolean(), nullable=False),
    sa.Column('lapses_year_end', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("level IN ('国家', '省', '市', '区')", name=op.f('ck_qualification_type_level')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_qualification_type')),
    sa.UniqueConstraint('name', name=op.f('uq_qualification_type_name'))
    )
    op.create_table('district_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_district_alias_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_alias')),
    sa.UniqueConstraint('alias', name=op.f('uq_district_alias_alias'))
    )
    with op.batch_alter_table('district_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_alias_district_id'), ['district_id'], unique=False)

    op.create_table('payment_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('doc_no', sa.String(length=60), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('programme', sa.String(length=80), nullable=False),
    sa.Column('cohort_year', sa.Integer(), nullable=False),
    sa.Column('batch_no', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('audited', sa.Boolean(), nullable=False),
    sa.Column('publicized_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_payment_notice_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_notice'))
    )
    with op.batch_alter_table('payment_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_notice_issued_on'), ['issued_on'], unique=False)

    op.create_table('service_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_service_provider_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_provider')),
    sa.UniqueConstraint('name', name=op.f('uq_service_provider_name'))
    )
    op.create_table('subdistrict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('街道', '镇', '乡', '园区')", name=op.f('ck_subdistrict_kind')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_subdistrict_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subdistrict')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_subdistrict_district_id_name'))
    )
    with op.batch_alter_table('subdistrict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subdistrict_district_id'), ['district_id'], unique=False)

    op.create_table('voucher_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('enterprise_cap_wan', sa.BigInteger(), nullable=False),
    sa.Column('maker_team_cap_wan', sa.BigInteger(), nullable=False),
    sa.Column('subsidy_ratio', sa.BigInteger(), nullable=False),
    sa.Column('city_cofund_max_ratio', sa.BigInteger(), nullable=False),
    sa.Column('source_doc', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_voucher_rule_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_rule')),
    sa.UniqueConstraint('district_id', 'year', name=op.f('uq_voucher_rule_district_id_year'))
    )
    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_norm', sa.String(length=200), nullable=False),
    sa.Column('name_initials', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('uscc_check_override', sa.Boolean(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('registered_capital_wan', sa.BigInteger(), nullable=True),
    sa.Column('industry_field_code', sa.String(length=20), nullable=True),
    sa.Column('legal_person', sa.String(length=40), nullable=True),
    sa.Column('contact_person', sa.String(length=40), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=80), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_enterprise_district_id_district')),
    sa.ForeignKeyConstraint(['industry_field_code'], ['industry_field.code'], name=op.f('fk_enterprise_industry_field_code_industry_field')),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['subdistrict.id'], name=op.f('fk_enterprise_subdistrict_id_subdistrict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('uscc', name=op.f('uq_enterprise_uscc'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_deleted_subdistrict', ['deleted_at', 'subdistrict_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_name_norm'), ['name_norm'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_subdistrict_id'), ['subdistrict_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_no', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('sheet', sa.String(length=100), nullable=True),
    sa.Column('source_subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('user', sa.String(length=40), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('committed_at', sa.DateTime(), nullable=True),
    sa.Column('reverted_at', sa.DateTime(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('review', sa.Integer(), nullable=False),
    sa.Column('backup_file', sa.String(length=260), nullable=True),
    sa.ForeignKeyConstraint(['source_subdistrict_id'], ['subdistrict.id'], name=op.f('fk_import_batch_source_subdistrict_id_subdistrict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    sa.UniqueConstraint('batch_no', name=op.f('uq_import_batch_batch_no'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_file_sha256'), ['file_sha256'], unique=False)

    op.create_table('subdistrict_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['subdistrict.id'], name=op.f('fk_subdistrict_alias_subdistrict_id_subdistrict'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subdistrict_alias')),
    sa.UniqueConstraint('subdistrict_id', 'alias', name=op.f('uq_subdistrict_alias_subdistrict_id_alias'))
    )
    with op.batch_alter_table('subdistrict_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subdistrict_alias_subdistrict_id'), ['subdistrict_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=60), nullable=False),
    sa.Column('issuer', sa.String(length=2), nullable=False),
    sa.Column('required', sa.Integer(), nullable=True),
    sa.Column('stretch', sa.Integer(), nullable=True),
    sa.Column('base_value', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=120), nullable=True),
    sa.CheckConstraint("issuer IN ('市', '区')", name=op.f('ck_target_issuer')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_target_district_id_district')),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['subdistrict.id'], name=op.f('fk_target_subdistrict_id_subdistrict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('district_id', 'subdistrict_id', 'year', 'indicator', 'issuer', name=op.f('uq_target_district_id_subdistrict_id_year_indicator_issuer'))
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_subdistrict_id'), ['subdistrict_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=6), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=60), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('subject_table', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.String(length=60), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("action IN ('insert', 'update', 'delete')", name=op.f('ck_audit_log_action')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_audit_log_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_audit_log_record', ['table_name', 'row_id'], unique=False)
        batch_op.create_index('ix_audit_log_subject', ['subject_table', 'subject_id'], unique=False)

    op.create_table('carrier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_norm', sa.String(length=200), nullable=False),
    sa.Column('kind_code', sa.String(length=40), nullable=False),
    sa.Column('operator_name', sa.String(length=200), nullable=True),
    sa.Column('operator_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('area_m2', sa.BigInteger(), nullable=True),
    sa.Column('specialization', sa.String(length=80), nullable=True),
    sa.Column('established_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_carrier_district_id_district')),
    sa.ForeignKeyConstraint(['kind_code'], ['carrier_kind.code'], name=op.f('fk_carrier_kind_code_carrier_kind')),
    sa.ForeignKeyConstraint(['operator_enterprise_id'], ['enterprise.id'], name=op.f('fk_carrier_operator_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['subdistrict.id'], name=op.f('fk_carrier_subdistrict_id_subdistrict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier'))
    )
    with op.batch_alter_table('carrier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_kind_code'), ['kind_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_name_norm'), ['name_norm'], unique=False)
        batch_op.create_index(batch_op.f('ix_carrier_subdistrict_id'), ['subdistrict_id'], unique=False)

    op.create_table('enterprise_former_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_norm', sa.String(length=200), nullable=False),
    sa.Column('used_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_former_name_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_former_name')),
    sa.UniqueConstraint('enterprise_id', 'name_norm', name=op.f('uq_enterprise_former_name_enterprise_id_name_norm'))
    )
    with op.batch_alter_table('enterprise_former_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_former_name_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_former_name_name_norm'), ['name_norm'], unique=False)

    op.create_table('enterprise_qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('type_code', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=20), nullable=True),
    sa.Column('application_kind', sa.String(length=8), nullable=False),
    sa.Column('recommended_by_id', sa.Integer(), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('publicized_on', sa.Date(), nullable=True),
    sa.Column('certified_on', sa.Date(), nullable=True),
    sa.Column('certificate_no', sa.String(length=40), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('tier', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=120), nullable=True),
    sa.CheckConstraint("application_kind IN ('新申报', '重新认定')", name=op.f('ck_enterprise_qualification_application_kind')),
    sa.CheckConstraint("status IN ('拟申报', '已申报', '评审通过', '公示', '认定', '未通过', '到期', '撤销', '淘汰')", name=op.f('ck_enterprise_qualification_status')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_enterprise_qualification_validity')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_qualification_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommended_by_id'], ['subdistrict.id'], name=op.f('fk_enterprise_qualification_recommended_by_id_subdistrict')),
    sa.ForeignKeyConstraint(['type_code'], ['qualification_type.code'], name=op.f('fk_enterprise_qualification_type_code_qualification_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_qualification'))
    )
    with op.batch_alter_table('enterprise_qualification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_qualification_certified_on'), ['certified_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_qualification_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_qualification_type_code'), ['type_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_qualification_valid_to'), ['valid_to'], unique=False)
        batch_op.create_index('ix_qualification_type_valid', ['type_code', 'valid_to'], unique=False)

    op.create_table('enterprise_year_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue_wan', sa.BigInteger(), nullable=True),
    sa.Column('rd_expense_wan', sa.BigInteger(), nullable=True),
    sa.Column('rd_domestic_wan', sa.BigInteger(), nullable=True),
    sa.Column('hitech_revenue_wan', sa.BigInteger(), nullable=True),
    sa.Column('total_cost_wan', sa.BigInteger(), nullable=True),
    sa.Column('net_assets_wan', sa.BigInteger(), nullable=True),
    sa.Column('total_assets_wan', sa.BigInteger(), nullable=True),
    sa.Column('staff_avg', sa.Integer(), nullable=True),
    sa.Column('st_staff_avg', sa.Integer(), nullable=True),
    sa.Column('ip_class1', sa.Integer(), nullable=True),
    sa.Column('ip_class2', sa.Integer(), nullable=True),
    sa.Column('invention_patents_granted', sa.Integer(), nullable=True),
    sa.Column('size_class', sa.String(length=4), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('st_staff_avg IS NULL OR st_staff_avg >= 0', name=op.f('ck_enterprise_year_fact_st_staff_avg')),
    sa.CheckConstraint('staff_avg IS NULL OR staff_avg >= 0', name=op.f('ck_enterprise_year_fact_staff_avg')),
    sa.CheckConstraint('year BETWEEN 1949 AND 2200', name=op.f('ck_enterprise_year_fact_year')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_year_fact_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_year_fact')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_enterprise_year_fact_enterprise_id_year'))
    )
    op.create_table('pool_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('pool_kind', sa.String(length=4), nullable=False),
    sa.Column('target_type_code', sa.String(length=40), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('subdistrict_id', sa.Integer(), nullable=True),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('exit_reason', sa.String(length=10), nullable=True),
    sa.CheckConstraint("pool_kind IN ('申报库', '储备库', '培育库', '后备群')", name=op.f('ck_pool_entry_pool_kind')),
    sa.CheckConstraint('left_on IS NULL OR left_on >= entered_on', name=op.f('ck_pool_entry_dates')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_pool_entry_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subdistrict_id'], ['subdistrict.id'], name=op.f('fk_pool_entry_subdistrict_id_subdistrict')),
    sa.ForeignKeyConstraint(['target_type_code'], ['qualification_type.code'], name=op.f('fk_pool_entry_target_type_code_qualification_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_entry'))
    )
    with op.batch_alter_table('pool_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_entry_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('pre_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('rule_set', sa.String(length=40), nullable=False),
    sa.Column('rule_version', sa.String(length=40), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('reviewer', sa.String(length=40), nullable=True),
    sa.Column('verdict', sa.String(length=4), nullable=False),
    sa.Column('score', sa.BigInteger(), nullable=True),
    sa.Column('details_json', sa.Text(), nullable=True),
    sa.Column('advice', sa.Text(), nullable=True),
    sa.CheckConstraint("verdict IN ('符合', '不符合', '待定')", name=op.f('ck_pre_review_verdict')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_pre_review_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pre_review'))
    )
    with op.batch_alter_table('pre_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pre_review_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('rd_institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('approved_year', sa.Integer(), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('last_evaluated_year', sa.Integer(), nullable=True),
    sa.Column('evaluation_result', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint("level IN ('国家', '省', '市', '区')", name=op.f('ck_rd_institution_level')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_rd_institution_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rd_institution'))
    )
    with op.batch_alter_table('rd_institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rd_institution_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitors', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_visit_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('voucher_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('voucher_no', sa.String(length=40), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('maker_team_name', sa.String(length=200), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_applied_wan', sa.BigInteger(), nullable=False),
    sa.Column('amount_issued_wan', sa.BigInteger(), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.CheckConstraint("status IN ('申领', '发放', '使用', '兑现', '过期', '作废')", name=op.f('ck_voucher_grant_status')),
    sa.CheckConstraint('(enterprise_id IS NULL) <> (maker_team_name IS NULL)', name=op.f('ck_voucher_grant_holder')),
    sa.CheckConstraint('amount_applied_wan >= 0', name=op.f('ck_voucher_grant_amount_applied')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_voucher_grant_district_id_district')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_voucher_grant_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_grant')),
    sa.UniqueConstraint('voucher_no', name=op.f('uq_voucher_grant_voucher_no'))
    )
    with op.batch_alter_table('voucher_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_grant_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_grant_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_grant_year'), ['year'], unique=False)

    op.create_table('carrier_period_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=True),
    sa.Column('investment_total_wan', sa.BigInteger(), nullable=True),
    sa.Column('floor_area_m2', sa.BigInteger(), nullable=True),
    sa.Column('incubating_count', sa.Integer(), nullable=True),
    sa.Column('new_count', sa.Integer(), nullable=True),
    sa.Column('graduated_count', sa.Integer(), nullable=True),
    sa.Column('exited_count', sa.Integer(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('ip_count', sa.Integer(), nullable=True),
    sa.Column('revenue_wan', sa.BigInteger(), nullable=True),
    sa.Column('financing_wan', sa.BigInteger(), nullable=True),
    sa.Column('events_count', sa.Integer(), nullable=True),
    sa.Column('mentors', sa.Integer(), nullable=True),
    sa.Column('vacancy_m2', sa.BigInteger(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.CheckConstraint('quarter IS NULL OR quarter BETWEEN 1 AND 4', name=op.f('ck_carrier_period_stat_quarter')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], name=op.f('fk_carrier_period_stat_carrier_id_carrier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_period_stat')),
    sa.UniqueConstraint('carrier_id', 'year', 'quarter', name=op.f('uq_carrier_period_stat_carrier_id_year_quarter'))
    )
    with op.batch_alter_table('carrier_period_stat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_period_stat_carrier_id'), ['carrier_id'], unique=False)

    op.create_table('carrier_recognition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('subtype', sa.String(length=20), nullable=True),
    sa.Column('recognized_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('doc_no', sa.String(length=60), nullable=True),
    sa.CheckConstraint("level IN ('国家', '省', '市', '区')", name=op.f('ck_carrier_recognition_level')),
    sa.CheckConstraint("status IN ('认定', '备案', '整改', '摘牌', '验收', '创建', '培育')", name=op.f('ck_carrier_recognition_status')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], name=op.f('fk_carrier_recognition_carrier_id_carrier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_recognition'))
    )
    with op.batch_alter_table('carrier_recognition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_recognition_carrier_id'), ['carrier_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=80), nullable=False),
    sa.Column('amount_total_wan', sa.BigInteger(), nullable=False),
    sa.Column('amount_city_wan', sa.BigInteger(), nullable=False),
    sa.Column('amount_district_wan', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.CheckConstraint('(enterprise_id IS NULL) <> (carrier_id IS NULL)', name=op.f('ck_payment_payee')),
    sa.CheckConstraint('amount_city_wan + amount_district_wan = amount_total_wan', name=op.f('ck_payment_shares')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], name=op.f('fk_payment_carrier_id_carrier')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_payment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['notice_id'], ['payment_notice.id'], name=op.f('fk_payment_notice_id_payment_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_carrier_id'), ['carrier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_paid_on'), ['paid_on'], unique=False)

    op.create_table('qualification_annual_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('未报', '已报', '逾期')", name=op.f('ck_qualification_annual_report_status')),
    sa.ForeignKeyConstraint(['qualification_id'], ['enterprise_qualification.id'], name=op.f('fk_qualification_annual_report_qualification_id_enterprise_qualification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualification_annual_report')),
    sa.UniqueConstraint('qualification_id', 'year', name=op.f('uq_qualification_annual_report_qualification_id_year'))
    )
    with op.batch_alter_table('qualification_annual_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qualification_annual_report_qualification_id'), ['qualification_id'], unique=False)

    op.create_table('tenancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('exit_kind', sa.String(length=4), nullable=True),
    sa.Column('graduation_criteria', sa.String(length=80), nullable=True),
    sa.Column('incubation_months', sa.Integer(), nullable=False),
    sa.CheckConstraint("exit_kind IS NULL OR exit_kind IN ('毕业', '退出')", name=op.f('ck_tenancy_exit_kind')),
    sa.CheckConstraint('(left_on IS NULL) = (exit_kind IS NULL)', name=op.f('ck_tenancy_exit_complete')),
    sa.CheckConstraint('left_on IS NULL OR left_on >= entered_on', name=op.f('ck_tenancy_dates')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carrier.id'], name=op.f('fk_tenancy_carrier_id_carrier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_tenancy_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenancy'))
    )
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenancy_carrier_id'), ['carrier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenancy_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('visit_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('待办', '办理中', '已解决', '无法解决')", name=op.f('ck_visit_issue_status')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_issue_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_issue'))
    )
    with op.batch_alter_table('visit_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_issue_visit_id'), ['visit_id'], unique=False)

    op.create_table('voucher_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('service_type', sa.String(length=40), nullable=False),
    sa.Column('contract_no', sa.String(length=40), nullable=True),
    sa.Column('contract_amount_wan', sa.BigInteger(), nullable=False),
    sa.Column('paid_amount_wan', sa.BigInteger(), nullable=False),
    sa.Column('voucher_amount_wan', sa.BigInteger(), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('related_party', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['grant_id'], ['voucher_grant.id'], name=op.f('fk_voucher_use_grant_id_voucher_grant')),
    sa.ForeignKeyConstraint(['provider_id'], ['service_provider.id'], name=op.f('fk_voucher_use_provider_id_service_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_use'))
    )
    with op.batch_alter_table('voucher_use', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_use_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_use_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_use_used_on'), ['used_on'], unique=False)

    op.create_table('carrier_recognition_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recognition_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('doc_no', sa.String(length=60), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['recognition_id'], ['carrier_recognition.id'], name=op.f('fk_carrier_recognition_event_recognition_id_carrier_recognition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_recognition_event'))
    )
    with op.batch_alter_table('carrier_recognition_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_recognition_event_recognition_id'), ['recognition_id'], unique=False)

    op.create_table('voucher_redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('audited_on', sa.Date(), nullable=True),
    sa.Column('batch_no', sa.Integer(), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('subsidy_wan', sa.BigInteger(), nullable=False),
    sa.Column('ratio', sa.BigInteger(), nullable=True),
    sa.Column('city_share_wan', sa.BigInteger(), nullable=True),
    sa.Column('district_share_wan', sa.BigInteger(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.CheckConstraint("status IN ('申请', '审核通过', '不通过', '已兑付')", name=op.f('ck_voucher_redemption_status')),
    sa.ForeignKeyConstraint(['notice_id'], ['payment_notice.id'], name=op.f('fk_voucher_redemption_notice_id_payment_notice')),
    sa.ForeignKeyConstraint(['use_id'], ['voucher_use.id'], name=op.f('fk_voucher_redemption_use_id_voucher_use')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_redemption'))
    )
    with op.batch_alter_table('voucher_redemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_redemption_paid_on'), ['paid_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemption_use_id'), ['use_id'], unique=False)




def downgrade() -> None:
    
    with op.batch_alter_table('voucher_redemption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_redemption_use_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_redemption_paid_on'))

    op.drop_table('voucher_redemption')
    with op.batch_alter_table('carrier_recognition_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_recognition_event_recognition_id'))

    op.drop_table('carrier_recognition_event')
    with op.batch_alter_table('voucher_use', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_use_used_on'))
        batch_op.drop_index(batch_op.f('ix_voucher_use_provider_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_use_grant_id'))

    op.drop_table('voucher_use')
    with op.batch_alter_table('visit_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_issue_visit_id'))

    op.drop_table('visit_issue')
    with op.batch_alter_table('tenancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenancy_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_tenancy_carrier_id'))

    op.drop_table('tenancy')
    with op.batch_alter_table('qualification_annual_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qualification_annual_report_qualification_id'))

    op.drop_table('qualification_annual_report')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_paid_on'))
        batch_op.drop_index(batch_op.f('ix_payment_notice_id'))
        batch_op.drop_index(batch_op.f('ix_payment_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_payment_carrier_id'))

    op.drop_table('payment')
    with op.batch_alter_table('carrier_recognition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_recognition_carrier_id'))

    op.drop_table('carrier_recognition')
    with op.batch_alter_table('carrier_period_stat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_period_stat_carrier_id'))

    op.drop_table('carrier_period_stat')
    with op.batch_alter_table('voucher_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_grant_year'))
        batch_op.drop_index(batch_op.f('ix_voucher_grant_issued_on'))
        batch_op.drop_index(batch_op.f('ix_voucher_grant_enterprise_id'))

    op.drop_table('voucher_grant')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_enterprise_id'))

    op.drop_table('visit')
    with op.batch_alter_table('rd_institution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rd_institution_enterprise_id'))

    op.drop_table('rd_institution')
    with op.batch_alter_table('pre_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pre_review_enterprise_id'))

    op.drop_table('pre_review')
    with op.batch_alter_table('pool_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_entry_enterprise_id'))

    op.drop_table('pool_entry')
    op.drop_table('enterprise_year_fact')
    with op.batch_alter_table('enterprise_qualification', schema=None) as batch_op:
        batch_op.drop_index('ix_qualification_type_valid')
        batch_op.drop_index(batch_op.f('ix_enterprise_qualification_valid_to'))
        batch_op.drop_index(batch_op.f('ix_enterprise_qualification_type_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_qualification_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_qualification_certified_on'))

    op.drop_table('enterprise_qualification')
    with op.batch_alter_table('enterprise_former_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_former_name_name_norm'))
        batch_op.drop_index(batch_op.f('ix_enterprise_former_name_enterprise_id'))

    op.drop_table('enterprise_former_name')
    with op.batch_alter_table('carrier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_subdistrict_id'))
        batch_op.drop_index(batch_op.f('ix_carrier_name_norm'))
        batch_op.drop_index(batch_op.f('ix_carrier_kind_code'))

    op.drop_table('carrier')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject')
        batch_op.drop_index('ix_audit_log_record')
        batch_op.drop_index(batch_op.f('ix_audit_log_batch_id'))
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_subdistrict_id'))

    op.drop_table('target')
    with op.batch_alter_table('subdistrict_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subdistrict_alias_subdistrict_id'))

    op.drop_table('subdistrict_alias')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_file_sha256'))

    op.drop_table('import_batch')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_subdistrict_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_name_norm'))
        batch_op.drop_index(batch_op.f('ix_enterprise_district_id'))
        batch_op.drop_index('ix_enterprise_deleted_subdistrict')

    op.drop_table('enterprise')
    op.drop_table('voucher_rule')
    with op.batch_alter_table('subdistrict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subdistrict_district_id'))

    op.drop_table('subdistrict')
    op.drop_table('service_provider')
    with op.batch_alter_table('payment_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_notice_issued_on'))

    op.drop_table('payment_notice')
    with op.batch_alter_table('district_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_alias_district_id'))

    op.drop_table('district_alias')
    op.drop_table('qualification_type')
    op.drop_table('industry_field')
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.drop_index('uq_import_mapping_kind_source')

    op.drop_table('import_mapping')
    op.drop_table('district')
    op.drop_table('carrier_kind')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index('ix_attachment_owner')

    op.drop_table('attachment')
    op.drop_table('app_user')
    op.drop_table('app_setting')

