"""The import kinds by ``--kind`` value. A new kind is a module with an :class:`ImportKind` and a line here."""

from __future__ import annotations

from collections.abc import Callable

from services.importing.errors import ImportFileError
from services.importing.spec import ImportKind

#: ``--kind`` values of PRODUCT.md and their Chinese names.
KIND_LABELS = {"enterprises": "企业名单", "carrier_stats": "载体统计", "vouchers": "创新券", "targets": "目标任务"}


def _enterprises() -> ImportKind:
    from services.importing.enterprises import EnterpriseKind

    return EnterpriseKind()


def _carrier_stats() -> ImportKind:
    from services.importing.carrier_stats import CarrierStatsKind

    return CarrierStatsKind()


def _vouchers() -> ImportKind:
    from services.importing.vouchers import VoucherKind

    return VoucherKind()


def _targets() -> ImportKind:
    from services.importing.targets import TargetKind

    return TargetKind()


#: Factories of the kinds that can be imported today.
KINDS: dict[str, Callable[[], ImportKind]] = {"enterprises": _enterprises, "carrier_stats": _carrier_stats,
                                               "vouchers": _vouchers, "targets": _targets}
_cache: dict[str, ImportKind] = {}


def kind_for(key: str, file_name: str) -> ImportKind:
    """The kind named ``key``.

    Raises:
        ImportFileError: a kind this version cannot import yet, or an unknown one.
    """
    if key not in KINDS:
        label = KIND_LABELS.get(key, key)
        offered = "、".join(f"{KIND_LABELS.get(k, k)}（{k}）" for k in KINDS)
        raise ImportFileError(f"“{label}”（{key}）类表格的导入尚未提供；目前可导入：{offered}。", file=file_name)
    if key not in _cache:
        _cache[key] = KINDS[key]()
    return _cache[key]
