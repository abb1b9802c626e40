"""Deterministic synthetic demo data (Jawa Tengah), written with bulk inserts.

``seed(db_url, complaints, seed)`` creates the reference data, the demo accounts (password
``demo-lapor-2026``) and the complaints. Re-running it on a seeded database adds nothing.
Times are spread over the 90 days before ``now`` (default: today 00:00 UTC, so a run is
reproducible within a day); deadlines follow the working-day calendar.
"""

from __future__ import annotations

import hashlib
import random
import struct
import time
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from lapor_desk.models.workdays import WorkCalendar
from lapor_hub import auth, blobs, db, seeddata
from lapor_hub.seeddata import SEP
from lapor_hub.store import AttachmentData, ComplaintData, ThreadData, write_complaints

DEMO_PASSWORD = "demo-lapor-2026"  # noqa: S105  (synthetic demo accounts only)
DEMO_USERS = (
    ("officer", "Bagus Prakoso, S.T., M.T.", "officer", "dpupr-kab-semarang"),
    ("operator", "Rini Setyowati, S.Kom.", "operator", "dpupr-kab-semarang"),
    ("supervisor", "Ir. Hendra Gunawan", "supervisor", "dpupr-kab-semarang"),
    ("admin", "Agung Wicaksono, S.H.", "admin", "dpupr-kab-semarang"),
    ("officer2", "Dwi Astuti, S.Sos.", "officer", "disdukcapil-kota-semarang"),
)
_BATCH = 2000
_CHANNELS = (("web", 40), ("android", 20), ("whatsapp", 10), ("sms", 8), ("twitter", 7),
             ("ios", 5), ("walk_in", 5), ("surat", 3), ("other", 2))
_PRIORITIES = (("normal", 70), ("tinggi", 15), ("rendah", 10), ("mendesak", 5))
# Working days per step (domain.md defaults).
VERIFY_DAYS, FOLLOWUP_DAYS, REPLY_DAYS = 3, 5, 10
RESOLUTION_DAYS = {"permintaan_informasi": 5, "pengaduan": 14, "aspirasi": 14}
SUPERVISORY_DAYS = 60


@dataclass(frozen=True, slots=True)
class SeedReport:
    complaints: int
    agencies: int
    categories: int
    users: int
    already_seeded: bool
    seconds: float


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def reference_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Agencies and categories of the demo (parents before children)."""
    ags: list[dict[str, Any]] = [{"id": "pemprov-jateng", "name": "Pemerintah Provinsi Jawa Tengah",
                                  "kind": "provinsi", "parent_id": None}]
    for name in seeddata.KABUPATEN:
        ags.append({"id": f"kab-{seeddata.slug(name)}", "name": f"Pemerintah Kabupaten {name}",
                    "kind": "kabupaten", "parent_id": "pemprov-jateng"})
    for name in seeddata.KOTA:
        ags.append({"id": f"kota-{seeddata.slug(name)}", "name": f"Pemerintah Kota {name}",
                    "kind": "kota", "parent_id": "pemprov-jateng"})
    for aid, name, parent, _reg in seeddata.OPD:
        kind = "bumd" if aid.startswith("pdam-") else "opd"
        ags.append({"id": aid, "name": name, "kind": kind, "parent_id": parent})
    cats: list[dict[str, Any]] = []
    for root, subs in seeddata.CATEGORY_TREE.items():
        rid = seeddata.category_id(root)
        cats.append({"id": rid, "name": root, "parent_id": None, "path": root})
        for sub in subs:
            path = f"{root}{SEP}{sub}"
            cats.append({"id": seeddata.category_id(path), "name": sub, "parent_id": rid,
                         "path": path})
    return ags, cats


class _Gen:
    def __init__(self, rng: random.Random, now: datetime, agency_names: dict[str, str],
                 officer_ids: dict[str, str]) -> None:
        self.rng = rng
        self.now = now
        self.cal = WorkCalendar()
        self._deadlines: dict[tuple[date, int], datetime] = {}
        self.agency_names = agency_names
        self.officer_ids = officer_ids
        self.blob_data: dict[str, bytes] = {}  # sha256 -> content of the demo attachments
        self.regency = {aid: reg for aid, _n, _p, reg in seeddata.OPD}
        by_agency: dict[str, list[seeddata.Scenario]] = {}
        for sc in (*seeddata.SCENARIOS, *seeddata.INFO_SCENARIOS):
            for a in sc.agencies:
                by_agency.setdefault(a, []).append(sc)
        self.by_agency = by_agency
        others = sorted(set(by_agency) - {"dpupr-kab-semarang", "disdukcapil-kota-semarang",
                                          "disdukcapil-kab-semarang"})
        weights = [("dpupr-kab-semarang", 600), ("disdukcapil-kota-semarang", 120),
                   ("disdukcapil-kab-semarang", 50)]
        weights += [(a, 230 // len(others)) for a in others]
        self.agency_weights = tuple(weights)

    def deadline(self, start: datetime, n: int) -> datetime:
        """``WorkCalendar.deadline`` memoised by local start date (seeding calls it a lot)."""
        key = (start.astimezone(self.cal.tz).date(), n)
        due = self._deadlines.get(key)
        if due is None:
            due = self._deadlines[key] = self.cal.deadline(start, n)
        return due

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def person(self) -> tuple[str, str, str]:
        r = self.rng
        first, last = r.choice(seeddata.FIRST_NAMES), r.choice(seeddata.LAST_NAMES)
        phone = "08" + r.choice(("12", "13", "21", "52", "57", "77", "95")) + \
            "".join(str(r.randrange(10)) for _ in range(r.choice((7, 8))))
        email = f"{first.lower()}.{last.lower()}{r.randrange(100)}@example.com"
        return f"{first} {last}", phone, email

    def complaint(self) -> ComplaintData:
        r = self.rng
        agency = _pick(r, self.agency_weights)
        sc = r.choice(self.by_agency[agency])
        regency = self.regency.get(agency) or r.choice(sorted(seeddata.PLACES))
        districts = seeddata.PLACES[regency]
        district = r.choice(sorted(districts))
        village = r.choice(districts[district])
        fill = {"road": r.choice(seeddata.ROADS), "village": village, "district": district,
                "n": r.randint(2, 9)}

        def fmt(options: tuple[str, ...], **extra: Any) -> str:
            return r.choice(options).format(**fill, **extra)

        title = fmt(sc.titles)
        details = r.sample(sc.details, min(len(sc.details), r.choice((1, 1, 2))))
        parts = [fmt(sc.intros), *(d.format(**fill) for d in details)]
        if r.random() < 0.5:
            parts.append(fmt(seeddata.LOCATION_SENTENCES, landmark=r.choice(seeddata.LANDMARKS)))
        parts += [fmt(sc.impacts), fmt(sc.requests)]
        body = " ".join(parts)
        # Skewed towards recent days: an inbox is mostly this month's work plus a backlog.
        created = self.now - timedelta(seconds=int(90 * 86400 * r.random() ** 2))
        age = (self.now - created).days
        if age < 3:
            status = _pick(r, (("baru", 60), ("diverifikasi", 25), ("didisposisikan", 15)))
        elif age < 14:
            status = _pick(r, (("baru", 8), ("diverifikasi", 12), ("didisposisikan", 35),
                               ("ditindaklanjuti", 35), ("ditunda", 5), ("ditutup", 5)))
        else:
            status = _pick(r, (("baru", 3), ("didisposisikan", 15), ("ditindaklanjuti", 20),
                               ("selesai", 45), ("ditutup", 10), ("ditunda", 7)))
        is_anon = r.random() < 0.15
        is_conf = r.random() < 0.05 or (sc.key == "pungli" and r.random() < 0.5)
        name, phone, email = self.person()
        c = ComplaintData(
            id=self.uuid(), tracking_id=0, title=title, body=body, agency_id=agency,
            classification=sc.classification, channel=_pick(r, _CHANNELS), status=status,
            created_at=_iso(created), updated_at=_iso(created), is_anonymous=is_anon,
            is_confidential=is_conf, reporter_name=name,
            reporter_phone=phone if r.random() < 0.8 else None,
            reporter_email=email if r.random() < 0.6 else None,
            incident_date=(created - timedelta(days=r.randrange(10))).date().isoformat(),
            province=seeddata.PROVINCE, regency=regency, district=district,
            category_id=seeddata.category_id(sc.category), priority=_pick(r, _PRIORITIES),
            tags=r.choice(([], [], [], ["berulang"], ["viral"], ["prioritas-kepala-daerah"])),
        )
        resolution = SUPERVISORY_DAYS if sc.supervisory else RESOLUTION_DAYS.get(
            sc.classification, 14)
        c.resolution_due_at = _iso(self.deadline(created, resolution))
        copies = [a for a in sc.copy_to if a != agency]
        if copies and (r.random() < 0.15 or (agency == "disdukcapil-kab-semarang"
                       and r.random() < 0.5)):
            c.copy_agency_ids = [copies[0]]
        if r.random() < 0.3:
            n = r.randint(1, 3)
            c.attachments = []
            for i in range(n):
                aid = self.uuid()
                r.randint(40_000, 3_000_000)  # keeps the random sequence of earlier seeds
                bits = r.getrandbits(256)
                data = (demo_png(bits) if i < 2 else demo_pdf(bits))
                sha = hashlib.sha256(data).hexdigest()
                self.blob_data[sha] = data
                c.attachments.append(AttachmentData(
                    id=aid, name=f"foto_lokasi_{i + 1}.png" if i < 2 else "surat_pengantar.pdf",
                    size=len(data), sha256=sha,
                    mime="image/png" if i < 2 else "application/pdf"))
        self._lifecycle(c, sc, created, fill)
        return c

    def _lifecycle(self, c: ComplaintData, sc: seeddata.Scenario, created: datetime,
                   fill: dict[str, Any]) -> None:
        r, now = self.rng, self.now
        cal = self
        unit = self.agency_names[c.agency_id]
        t = created
        thread = c.thread

        def at(hours_lo: float, hours_hi: float) -> datetime:
            nonlocal t
            t = min(now, t + timedelta(hours=r.uniform(hours_lo, hours_hi)))
            return t

        def add(kind: str, author: str, body: str, when: datetime) -> None:
            thread.append(ThreadData(self.uuid(), kind, author, body, _iso(when)))

        status = c.status
        if status == "baru":
            c.due_at = _iso(cal.deadline(created, VERIFY_DAYS))
            return
        add("event", "Admin LAPOR!", "Laporan diverifikasi.", at(1, 40))
        if status == "diverifikasi":
            c.due_at = _iso(cal.deadline(t, VERIFY_DAYS))
        elif status == "ditunda":
            add("event", "Admin LAPOR!", "Laporan ditunda: menunggu kelengkapan data dari "
                "pelapor.", at(1, 24))
        elif status == "ditutup":
            add("event", "Admin LAPOR!", "Laporan diarsipkan: " + r.choice(seeddata.CLOSE_REASONS),
                at(1, 24))
        else:
            copies = "".join(f"; tembusan ke {self.agency_names[a]}" for a in c.copy_agency_ids)
            add("event", "Admin LAPOR!", f"Terdisposisi ke {unit}{copies}.", at(1, 24))
            officer = self.officer_ids.get(c.agency_id)
            if officer:
                c.assignee_id = officer
                if r.random() < 0.3:
                    add("note", "Bagus Prakoso, S.T., M.T.", r.choice(seeddata.NOTES), at(1, 30))
            if status == "didisposisikan":
                c.due_at = _iso(cal.deadline(t, FOLLOWUP_DAYS))
            else:
                when = at(20, 140)
                add("followup", unit, r.choice(sc.followups).format(
                    **fill, date=(when - timedelta(days=1)).strftime("%d-%m-%Y")), when)
                if r.random() < 0.4:
                    add("comment", "Pelapor", r.choice(seeddata.COMMENTS), at(10, 120))
                if status == "ditindaklanjuti":
                    c.due_at = _iso(cal.deadline(t, REPLY_DAYS))
                else:  # selesai
                    add("event", "Sistem LAPOR!", "Laporan selesai.", at(200, 340))
        c.updated_at = _iso(t)


def _mark_seeded(conn: Connection, seed: int) -> None:
    db.insert_or_ignore(conn, db.meta, [{"key": "seeded", "value": str(seed)}], ["key"])


def _already_seeded(conn: Connection) -> bool:
    return "seeded" in db.get_meta(conn)


def demo_png(bits: int, width: int = 48, height: int = 32) -> bytes:
    """A small real PNG (two colour bands from ``bits``) so the demo has files to open."""
    rgb1 = bytes((bits >> 8 * k) & 0xFF for k in range(3))
    rgb2 = bytes((bits >> 8 * k) & 0xFF for k in range(3, 6))
    rows = b"".join(b"\x00" + (rgb1 if y < height // 2 else rgb2) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def demo_pdf(bits: int) -> bytes:
    """A small real one-page PDF with a reference number (no complaint text: it may be
    rahasia)."""
    text = f"Surat pengantar {bits % 10**8:08d}"
    stream = f"BT /F1 14 Tf 50 750 Td ({text}) Tj ET".encode("ascii")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def seed(db_url: str, complaints: int = 2000, seed: int = 1,
         now: datetime | None = None) -> SeedReport:
    """Seed ``db_url`` (tables are created when missing). Idempotent: a second run adds nothing."""
    if complaints < 0:
        raise ValueError("complaints must be >= 0")
    started = time.perf_counter()
    engine = db.make_engine(db_url, bulk=True)
    try:
        db.init_db(engine)
        rng = random.Random(seed)
        if now is None:
            today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            now = today
        ags, cats = reference_rows()
        with db.write_tx(engine) as conn:
            if _already_seeded(conn):
                return SeedReport(0, 0, 0, 0, True, time.perf_counter() - started)
            db.insert_or_ignore(conn, db.agencies, ags, ["id"])
            db.insert_or_ignore(conn, db.categories, cats, ["id"])
            existing_users = set(conn.execute(select(db.users.c.username)).scalars())
            officer_ids: dict[str, str] = {}
            for username, display, role, agency in DEMO_USERS:
                uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                if username in existing_users:
                    continue
                auth.add_user(conn, username=username, password=DEMO_PASSWORD, role=role,
                              agency_id=agency, display_name=display, user_id=uid)
                if role == "officer":
                    officer_ids[agency] = uid
            db.bump_ref_seq(conn)
            if not complaints:
                _mark_seeded(conn, seed)
            start_tid = max(9_100_000, int(conn.execute(
                select(func.coalesce(func.max(db.complaints.c.tracking_id), 0))).scalar_one()) + 1)
        gen = _Gen(rng, now, {a["id"]: a["name"] for a in ags}, officer_ids)
        items = [gen.complaint() for _ in range(complaints)]
        items.sort(key=lambda c: (c.created_at, c.id))
        tid = start_tid
        for c in items:
            c.tracking_id = tid
            tid += rng.randint(1, 3)  # other agencies' reports interleave in the national series
        for i in range(0, len(items), _BATCH):
            with db.write_tx(engine) as conn:
                for c in items[i:i + _BATCH]:
                    for a in c.attachments:
                        blobs.store_blob(conn, gen.blob_data[a.sha256])
                write_complaints(conn, items[i:i + _BATCH], merge_thread=False)
                if i + _BATCH >= len(items):
                    _mark_seeded(conn, seed)  # only once everything is in
        return SeedReport(len(items), len(ags), len(cats), len(DEMO_USERS), False,
                          time.perf_counter() - started)
    finally:
        engine.dispose()
