"""One response for a cluster of similar complaints, adapted to each (issue 5).

The officer writes one text with placeholders; ``preview`` fills it per complaint from the
local replica, and ``Outbox.save_drafts`` turns the previews into one draft per complaint (each
its own ``response.save`` command) in one transaction, undoable while none was sent.

Placeholders: ``{nama_pelapor}`` (never the identity of an anonymous reporter: the server
does not send it, and the text says "Bapak/Ibu Pelapor"), ``{nomor_tiket}`` /
``{nomor_laporan}``, ``{judul}``, ``{kategori}``, ``{lokasi}``, ``{unit}``, ``{tanggal}``,
``{salam}``. Unknown or empty ones stay visible so the checker flags them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from lapor_desk.errors import InvalidInputError, LaporError
from lapor_desk.models.templates import Template, find_placeholders, render

if TYPE_CHECKING:
    from lapor_desk.models.records import ComplaintDetail
    from lapor_desk.models.store import Store

__all__ = ["CLUSTER_PLACEHOLDERS", "MAX_CLUSTER", "ClusterItem", "context_for", "preview"]

CLUSTER_PLACEHOLDERS = ("salam", "nama_pelapor", "nomor_tiket", "nomor_laporan", "judul",
                        "kategori", "lokasi", "unit", "tanggal")
MAX_CLUSTER = 200  # one batch; more is not "a cluster of similar complaints"
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")


@dataclass(frozen=True, slots=True)
class ClusterItem:
    """The text for one complaint of the cluster, or why it cannot get one."""

    complaint_ref: str
    complaint_id: str | None
    tracking_id: int | None
    text: str | None
    unfilled: tuple[str, ...]  # placeholders / prompts left in the text
    problem_id: str | None = None  # why this complaint is skipped (id/en)
    problem_en: str | None = None
    confidential: bool = False  # rahasia: the CLI masks the text unless --reveal


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def context_for(detail: ComplaintDetail, today: date) -> dict[str, str]:
    """Placeholder values for one complaint. An anonymous report gets no name, ever."""
    row = detail.row
    name = "" if row.is_anonymous else (detail.reporter_name or "")
    place = ", ".join(p for p in (detail.district, detail.regency) if p)
    category = (row.category_path or "").split("›")[-1].strip()
    return {
        "salam": "Yth.",
        "nama_pelapor": name,
        "nomor_tiket": str(row.tracking_id),
        "nomor_laporan": str(row.tracking_id),
        "judul": _one_line(row.title, 200),
        "kategori": category,
        "lokasi": place,
        "unit": detail.agency_name or "",
        "tanggal": f"{today.day} {_MONTHS[today.month - 1]} {today.year}",
    }


def preview(store: Store, refs: Sequence[str], text: str, today: date, *,
            agency_id: str | None = None) -> list[ClusterItem]:
    """The text adapted to each complaint (in the order given, duplicates dropped).

    With ``agency_id`` (the user's agency), complaints it only has a copy of are skipped: the
    server would refuse an answer from a copy agency."""
    if not text.strip():
        raise InvalidInputError("empty text", message_id="Teks masih kosong.",
                                message_en="The text is empty.")
    unique = list(dict.fromkeys(r.strip() for r in refs if r.strip()))
    if not unique:
        raise InvalidInputError("no complaints", message_id="Pilih minimal satu pengaduan.",
                                message_en="Choose at least one complaint.")
    if len(unique) > MAX_CLUSTER:
        raise InvalidInputError(
            "cluster too large",
            message_id=f"Paling banyak {MAX_CLUSTER} pengaduan sekaligus.",
            message_en=f"At most {MAX_CLUSTER} complaints at once.")
    template = Template("cluster", "cluster", "", text)
    items: list[ClusterItem] = []
    seen: set[str] = set()
    for ref in unique:
        try:
            detail = store.detail(ref)
        except LaporError as exc:
            items.append(ClusterItem(ref, None, None, None, (), exc.message("id"),
                                     exc.message("en")))
            continue
        if detail.row.id in seen:
            continue
        seen.add(detail.row.id)
        row = detail.row
        if row.status in ("selesai", "ditutup"):
            items.append(ClusterItem(ref, row.id, row.tracking_id, None, (),
                                     "Pengaduan sudah selesai/ditutup.",
                                     "The complaint is completed/closed.",
                                     row.is_confidential))
            continue
        if agency_id is not None and row.agency_id != agency_id:
            items.append(ClusterItem(ref, row.id, row.tracking_id, None, (),
                                     "Instansi Anda hanya menerima tembusan pengaduan ini.",
                                     "Your agency only has a copy of this complaint.",
                                     row.is_confidential))
            continue
        filled = render(template, context_for(detail, today))
        unfilled = tuple(dict.fromkeys(span for _, _, span in find_placeholders(filled)))
        items.append(ClusterItem(ref, row.id, row.tracking_id, filled, unfilled,
                                 confidential=row.is_confidential))
    return items
