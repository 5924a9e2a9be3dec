"""Import of spreadsheets that subdistricts and parks send (PRODUCT.md "Import rules").

The package is split by concern: ``safety`` and ``readers`` (files in, hostile ones refused), ``header`` (title
rows, one- or two-row headers, data block), ``normalize`` (numbers, dates, units, credit codes), ``spec`` and
``kinds`` (what a kind declares), ``mapping`` (synonyms and saved mappings), ``plan`` (the dry run),
``enterprises``/``enterprise_plan``/``enterprise_writer`` (the enterprise kind), ``register_index`` (matching),
``references`` (属地 and catalogue lookups), ``commit`` (backup, one transaction, batch), ``revert`` (batch history
and undo), ``export`` (errored-rows workbook) and ``command`` (the CLI).
"""
