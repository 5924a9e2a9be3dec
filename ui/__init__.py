"""The PySide6 GUI of TechLedger. Qt lives here and only here; this package never imports SQLAlchemy."""
