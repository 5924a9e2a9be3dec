"""Application name and version, read by main.py, the installer spec and the About box."""

APP_NAME = "TechLedger"
APP_NAME_CN = "科创台账"
ORG_NAME = "TechLedger"
__version__ = "0.1.0"
