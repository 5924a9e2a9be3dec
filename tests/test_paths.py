from __future__ import annotations

from pathlib import Path

from services.paths import backup_dir_for, data_dir, default_db_path


def test_data_folder_follows_the_environment_override(data_dir: Path) -> None:
    assert default_db_path() == data_dir / "techledger.sqlite"


def test_same_file_name_in_two_folders_gets_two_backup_folders(tmp_path: Path) -> None:
    a = backup_dir_for(tmp_path / "office" / "techledger.sqlite")
    b = backup_dir_for(tmp_path / "home" / "techledger.sqlite")
    assert a != b and a.parent == b.parent == data_dir() / "backups"
    assert a == backup_dir_for(tmp_path / "office" / "techledger.sqlite")
