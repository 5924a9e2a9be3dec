"""SQLAlchemy models of TechLedger. No Qt here.

Importing this package registers every table on ``Base.metadata``.
"""

from models.base import Base
from models.carrier import Carrier, CarrierPeriodStat, CarrierRecognition, CarrierRecognitionEvent, Tenancy
from models.enterprise import (
    Enterprise,
    EnterpriseFormerName,
    EnterpriseQualification,
    EnterpriseYearFact,
    PoolEntry,
    PreReview,
    QualificationAnnualReport,
    RDInstitution,
    Visit,
    VisitIssue,
)
from models.payout import Payment, PaymentNotice, Target
from models.reference import (
    CarrierKind,
    District,
    DistrictAlias,
    IndustryField,
    QualificationType,
    Subdistrict,
    SubdistrictAlias,
)
from models.system import AppSetting, AppUser, Attachment, AuditLog, ImportBatch, ImportMapping, ReportSignoff
from models.voucher import ServiceProvider, VoucherGrant, VoucherRedemption, VoucherRule, VoucherUse

__all__ = [
    "AppSetting",
    "AppUser",
    "Attachment",
    "AuditLog",
    "Base",
    "Carrier",
    "CarrierKind",
    "CarrierPeriodStat",
    "CarrierRecognition",
    "CarrierRecognitionEvent",
    "District",
    "DistrictAlias",
    "Enterprise",
    "EnterpriseFormerName",
    "EnterpriseQualification",
    "EnterpriseYearFact",
    "ImportBatch",
    "ImportMapping",
    "IndustryField",
    "Payment",
    "PaymentNotice",
    "PoolEntry",
    "PreReview",
    "QualificationAnnualReport",
    "QualificationType",
    "RDInstitution",
    "ReportSignoff",
    "ServiceProvider",
    "Subdistrict",
    "SubdistrictAlias",
    "Target",
    "Tenancy",
    "Visit",
    "VisitIssue",
    "VoucherGrant",
    "VoucherRedemption",
    "VoucherRule",
    "VoucherUse",
]
