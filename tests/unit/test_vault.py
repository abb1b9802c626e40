"""The passphrase vault: secrets sealed under scrypt + AES-GCM for PCs with no OS keyring."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from lapor_desk import secrets as s
from lapor_desk.errors import (
    InvalidInputError,
    VaultError,
    VaultLockedError,
    WrongPassphraseError,
)

PASS = "sawah hijau di lereng merbabu"


def make(tmp_path: Path, profile: str = "p1") -> s.PassphraseSecrets:
    return s.PassphraseSecrets.create(tmp_path / s.VAULT_FILE, profile, PASS, confirm=PASS)


def test_round_trip_and_nothing_in_plain_text(tmp_path: Path) -> None:
    vault = make(tmp_path)
    key = s.get_or_create_db_key(vault, db_exists=False)
    s.set_refresh_token(vault, "refresh-CANARY-7f3a")
    raw = (tmp_path / s.VAULT_FILE).read_bytes()
    for needle in (key.hex(), key.hex().upper(), "refresh-CANARY-7f3a", PASS,
                   base64.b64encode(b"refresh-CANARY-7f3a").decode()):
        assert needle.encode() not in raw
    assert (tmp_path / s.VAULT_FILE).stat().st_mode & 0o077 == 0  # mkstemp: owner only

    again = s.PassphraseSecrets(tmp_path / s.VAULT_FILE, "p1")
    assert again.locked
    with pytest.raises(VaultLockedError):
        again.get(s.DB_KEY)
    again.unlock(PASS)
    assert s.get_or_create_db_key(again, db_exists=True) == key
    assert s.get_refresh_token(again) == "refresh-CANARY-7f3a"
    again.lock()
    with pytest.raises(VaultLockedError):
        s.get_refresh_token(again)


def test_wrong_passphrase_and_other_profile_fail(tmp_path: Path) -> None:
    make(tmp_path).set(s.DB_KEY, "00" * 32)
    with pytest.raises(WrongPassphraseError):
        s.PassphraseSecrets(tmp_path / s.VAULT_FILE, "p1").unlock(PASS + "!")
    # The profile id is bound in: a vault copied beside another profile does not open there.
    with pytest.raises(WrongPassphraseError):
        s.PassphraseSecrets(tmp_path / s.VAULT_FILE, "p2").unlock(PASS)


def test_change_passphrase_keeps_the_key(tmp_path: Path) -> None:
    vault = make(tmp_path)
    key = s.get_or_create_db_key(vault, db_exists=False)
    new = "kopi tubruk pagi di kantor kecamatan"
    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("not the one at all", new, confirm=new)
    with pytest.raises(InvalidInputError):
        vault.change_passphrase(PASS, new, confirm=new + "x")
    vault.change_passphrase(PASS, new, confirm=new)
    with pytest.raises(WrongPassphraseError):
        s.PassphraseSecrets(tmp_path / s.VAULT_FILE, "p1").unlock(PASS)
    reopened = s.PassphraseSecrets(tmp_path / s.VAULT_FILE, "p1")
    reopened.unlock(new)
    assert s.get_or_create_db_key(reopened, db_exists=True) == key


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaaa", "abababababab"])
def test_weak_passphrases_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(InvalidInputError):
        s.PassphraseSecrets.create(tmp_path / s.VAULT_FILE, "p1", weak)
    assert not (tmp_path / s.VAULT_FILE).exists()


def test_existing_vault_is_never_overwritten(tmp_path: Path) -> None:
    make(tmp_path).set(s.DB_KEY, "11" * 32)
    before = (tmp_path / s.VAULT_FILE).read_bytes()
    with pytest.raises(VaultError):
        make(tmp_path)
    assert (tmp_path / s.VAULT_FILE).read_bytes() == before


@pytest.mark.parametrize("damage", ["missing", "garbage", "huge_n", "bad_b64", "tampered"])
def test_damaged_or_hostile_vault_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    make(tmp_path).set(s.DB_KEY, "22" * 32)
    path = tmp_path / s.VAULT_FILE
    doc = json.loads(path.read_text())
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff{not json")
    elif damage == "huge_n":
        doc["n"] = 2**30  # would ask scrypt for 1 TiB: refused before deriving anything
        path.write_text(json.dumps(doc))
    elif damage == "bad_b64":
        doc["salt"] = "!!!"
        path.write_text(json.dumps(doc))
    else:
        sealed = bytearray(base64.b64decode(doc["ciphertext"]))
        sealed[0] ^= 1
        doc["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
        path.write_text(json.dumps(doc))
    vault = s.PassphraseSecrets(path, "p1")
    expected = WrongPassphraseError if damage == "tampered" else VaultError
    with pytest.raises(expected) as info:
        vault.unlock(PASS)
    assert PASS not in info.value.message("en")
    assert vault.locked
