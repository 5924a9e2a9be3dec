"""Dialogs of the application shell: crash report, log viewer, about box."""
