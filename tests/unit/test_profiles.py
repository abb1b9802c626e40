"""One profile per account on a shared PC: where an account's data lives."""

from __future__ import annotations

from pathlib import Path

from lapor_desk.settings import ProfileDir, Settings, account_home

URL = "https://lapor.example.go.id"


def _profile(home: Path, username: str | None, url: str | None = URL) -> Path:
    ProfileDir(home).save(Settings(server_url=url, username=username))
    return home


def test_unused_or_own_profile_is_kept(tmp_path: Path) -> None:
    fresh = tmp_path / "default"
    assert account_home(fresh, URL, "budi") == fresh  # no settings yet
    _profile(fresh, None)
    assert account_home(fresh, URL, "budi") == fresh  # never signed in
    _profile(fresh, "budi")
    assert account_home(fresh, URL, "Budi") == fresh  # usernames are case-insensitive


def test_another_account_gets_its_own_profile_and_finds_it_again(tmp_path: Path) -> None:
    default = _profile(tmp_path / "default", "budi")
    siti = account_home(default, URL, "siti.rahma")
    assert siti == tmp_path / "siti.rahma" and not siti.exists()
    _profile(siti, "siti.rahma")
    assert account_home(default, URL, "SITI.RAHMA") == siti
    # From Siti's profile, Budi's is found again by its settings, whatever its name.
    assert account_home(siti, URL, "budi") == default
    # The same username on another server is another account.
    other = account_home(default, "https://lain.example.go.id", "budi")
    assert other not in (default, siti) and other.parent == tmp_path


def test_names_are_safe_and_never_reuse_a_foreign_directory(tmp_path: Path) -> None:
    default = _profile(tmp_path / "default", "budi")
    (tmp_path / "x").mkdir()  # someone else's directory, not a profile
    hostile = account_home(default, URL, "../../x")
    assert hostile.parent == tmp_path and hostile.name == "x-2"
    assert account_home(default, URL, "\u202e..//").name == "akun"
    damaged = tmp_path / "rusak"
    damaged.mkdir()
    (damaged / "settings.json").write_text("{not json")
    assert account_home(default, URL, "rusak").name == "rusak-2"  # a damaged profile is skipped
