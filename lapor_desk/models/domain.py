"""Domain vocabulary shared by the client and the reference server (pure Python, no I/O).

Categories and agencies are data, never enums. Statuses, classifications and roles are the
protocol's fixed vocabulary; unknown values from a server are kept as text, never crash a view.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    BARU = "baru"
    DIVERIFIKASI = "diverifikasi"
    DIDISPOSISIKAN = "didisposisikan"
    DITINDAKLANJUTI = "ditindaklanjuti"
    DITUNDA = "ditunda"
    SELESAI = "selesai"
    DITUTUP = "ditutup"


TERMINAL_STATUSES = frozenset({Status.SELESAI, Status.DITUTUP})

STATUS_LABELS_ID: dict[str, str] = {
    "baru": "Baru",
    "diverifikasi": "Diverifikasi",
    "didisposisikan": "Terdisposisi",
    "ditindaklanjuti": "Ditindaklanjuti",
    "ditunda": "Ditunda",
    "selesai": "Selesai",
    "ditutup": "Ditutup",
}
STATUS_LABELS_EN: dict[str, str] = {
    "baru": "New",
    "diverifikasi": "Verified",
    "didisposisikan": "Disposed",
    "ditindaklanjuti": "Followed up",
    "ditunda": "On hold",
    "selesai": "Completed",
    "ditutup": "Closed",
}


class Classification(StrEnum):
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    PERMINTAAN_INFORMASI = "permintaan_informasi"
    WHISTLE_BLOWING = "whistle_blowing"


CLASSIFICATION_LABELS_ID: dict[str, str] = {
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan Informasi",
    "whistle_blowing": "Whistle Blowing",
}


class Role(StrEnum):
    OFFICER = "officer"  # pejabat penghubung
    OPERATOR = "operator"  # admin penghubung
    SUPERVISOR = "supervisor"
    ADMIN = "admin"  # admin instansi / koordinator


class ThreadKind(StrEnum):
    REPORT_COMMENT = "comment"  # a reporter's reply (tanggapan pelapor)
    FOLLOWUP = "followup"  # a published tindak lanjut
    NOTE = "note"  # internal note, never public
    EVENT = "event"  # audit event (transition, assignment, approval)


CHANNELS = ("web", "sms", "twitter", "android", "ios", "whatsapp", "walk_in", "surat", "other")
