"""Use cases of TechLedger. No Qt widgets here; services return plain dataclasses."""
