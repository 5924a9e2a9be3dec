"""Explainable pre-screening (门诊式预审) against 国高企, 科小 and city rule sets.

Rule sets are data (resources/rules/*.toml, plus user files in <data folder>/rules/): :mod:`.rules` loads them,
:mod:`.engine` evaluates an enterprise's facts in pure Python (criteria in :mod:`.criteria`, the score in
:mod:`.scoring`, 直通车 routes in :mod:`.routes`), :mod:`.store` reads facts in bulk, :mod:`.service` holds the use
cases (one enterprise with what-if, a batch, saving a pre-review), :mod:`.export` writes xlsx and PDF, and
:mod:`.command` is the ``prescreen`` command.
"""
