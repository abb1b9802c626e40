"""Synthetic demo vocabulary: Jawa Tengah agencies, the LAPOR! category tree, places, templates.

All names of people here are invented combinations; phone numbers and e-mail addresses are
synthetic (example.com). Nothing refers to a real report.
"""

from __future__ import annotations

import hashlib
import re

SEP = " › "

PROVINCE = "Jawa Tengah"

KABUPATEN = (
    "Banjarnegara", "Banyumas", "Batang", "Blora", "Boyolali", "Brebes", "Cilacap", "Demak",
    "Grobogan", "Jepara", "Karanganyar", "Kebumen", "Kendal", "Klaten", "Kudus", "Magelang",
    "Pati", "Pekalongan", "Pemalang", "Purbalingga", "Purworejo", "Rembang", "Semarang",
    "Sragen", "Sukoharjo", "Tegal", "Temanggung", "Wonogiri", "Wonosobo",
)
KOTA = ("Magelang", "Pekalongan", "Salatiga", "Semarang", "Surakarta", "Tegal")

# (id, name, kind, parent_id, regency display name) of the OPDs and other units.
OPD = (
    ("dpupr-kab-semarang", "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Semarang",
     "kab-semarang", "Kabupaten Semarang"),
    ("disdukcapil-kab-semarang", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Semarang",
     "kab-semarang", "Kabupaten Semarang"),
    ("dishub-kab-semarang", "Dinas Perhubungan Kabupaten Semarang", "kab-semarang",
     "Kabupaten Semarang"),
    ("dlh-kab-semarang", "Dinas Lingkungan Hidup Kabupaten Semarang", "kab-semarang",
     "Kabupaten Semarang"),
    ("bpbd-kab-semarang", "Badan Penanggulangan Bencana Daerah Kabupaten Semarang",
     "kab-semarang", "Kabupaten Semarang"),
    ("dinkes-kab-semarang", "Dinas Kesehatan Kabupaten Semarang", "kab-semarang",
     "Kabupaten Semarang"),
    ("disdik-kab-semarang", "Dinas Pendidikan, Kebudayaan, Kepemudaan dan Olahraga Kabupaten "
     "Semarang", "kab-semarang", "Kabupaten Semarang"),
    ("inspektorat-kab-semarang", "Inspektorat Daerah Kabupaten Semarang", "kab-semarang",
     "Kabupaten Semarang"),
    ("pdam-kab-semarang", "Perumda Air Minum Tirta Ungaran Kabupaten Semarang", "kab-semarang",
     "Kabupaten Semarang"),
    ("disdukcapil-kota-semarang", "Dinas Kependudukan dan Pencatatan Sipil Kota Semarang",
     "kota-semarang", "Kota Semarang"),
    ("dpupr-kota-semarang", "Dinas Pekerjaan Umum Kota Semarang", "kota-semarang",
     "Kota Semarang"),
    ("dlh-kota-semarang", "Dinas Lingkungan Hidup Kota Semarang", "kota-semarang",
     "Kota Semarang"),
    ("dpmptsp-kota-semarang", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota "
     "Semarang", "kota-semarang", "Kota Semarang"),
    ("satpolpp-kota-semarang", "Satuan Polisi Pamong Praja Kota Semarang", "kota-semarang",
     "Kota Semarang"),
    ("dinsos-kota-semarang", "Dinas Sosial Kota Semarang", "kota-semarang", "Kota Semarang"),
    ("dpupr-kota-surakarta", "Dinas Pekerjaan Umum dan Penataan Ruang Kota Surakarta",
     "kota-surakarta", "Kota Surakarta"),
    ("dinas-bmck-jateng", "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya Provinsi Jawa Tengah",
     "pemprov-jateng", None),
    ("disdik-jateng", "Dinas Pendidikan dan Kebudayaan Provinsi Jawa Tengah", "pemprov-jateng",
     None),
)

# Districts (kecamatan) and villages (desa/kelurahan) per regency.
PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "Kabupaten Semarang": {
        "Ungaran Barat": ("Langensari", "Genuk", "Candirejo", "Lerep", "Nyatnyono", "Bandarjo"),
        "Ungaran Timur": ("Beji", "Gedanganak", "Sidomulyo", "Leyangan", "Kalongan"),
        "Bawen": ("Harjosari", "Asinan", "Polosiri", "Doplang", "Lemahireng"),
        "Ambarawa": ("Panjang", "Lodoyong", "Kupang", "Tambakboyo", "Baran"),
        "Bergas": ("Karangjati", "Wringinputih", "Ngempon", "Gondoriyo", "Bergas Lor"),
        "Tuntang": ("Kesongo", "Lopait", "Candirejo", "Rowosari", "Jombor"),
        "Bandungan": ("Jetis", "Duren", "Kenteng", "Banyukuning", "Candi"),
        "Getasan": ("Kopeng", "Batur", "Sumogawe", "Samirono"),
        "Tengaran": ("Karangduren", "Tegalrejo", "Sruwen", "Butuh"),
        "Pringapus": ("Klepu", "Wonorejo", "Pringsari", "Jatirunggo"),
        "Suruh": ("Dadapayam", "Suruh", "Krandon Lor"),
        "Banyubiru": ("Kebondowo", "Rowoboni", "Ngrapah"),
        "Sumowono": ("Kemawi", "Bumen", "Kebonagung"),
        "Kaliwungu": ("Kradenan", "Udanwuh"),
        "Susukan": ("Tawang", "Ketapang"),
        "Jambu": ("Brongkol", "Kelurahan"),
    },
    "Kota Semarang": {
        "Tembalang": ("Bulusan", "Meteseh", "Sendangmulyo", "Kedungmundu", "Tandang"),
        "Banyumanik": ("Pedalangan", "Srondol Kulon", "Padangsari", "Sumurboto"),
        "Pedurungan": ("Tlogosari Kulon", "Palebon", "Plamongan Sari", "Muktiharjo Kidul"),
        "Semarang Barat": ("Krobokan", "Kembangarum", "Tawangmas", "Bongsari"),
        "Semarang Utara": ("Tanjung Mas", "Bandarharjo", "Kuningan", "Panggung Lor"),
        "Ngaliyan": ("Tambakaji", "Purwoyoso", "Wonosari", "Beringin"),
        "Genuk": ("Trimulyo", "Banjardowo", "Gebangsari"),
        "Gunungpati": ("Sekaran", "Sukorejo", "Patemon"),
        "Semarang Tengah": ("Sekayu", "Kauman", "Miroto"),
        "Semarang Timur": ("Rejosari", "Bugangan", "Mlatibaru"),
        "Gayamsari": ("Sawah Besar", "Tambakrejo"),
        "Candisari": ("Jatingaleh", "Karanganyar Gunung"),
        "Mijen": ("Jatibarang", "Wonoplumbon"),
        "Tugu": ("Mangkang Wetan", "Randugarut"),
    },
    "Kota Surakarta": {
        "Banjarsari": ("Manahan", "Kadipiro", "Nusukan", "Sumber"),
        "Jebres": ("Jebres", "Mojosongo", "Pucangsawit"),
        "Laweyan": ("Penumping", "Purwosari", "Karangasem"),
        "Pasar Kliwon": ("Semanggi", "Joyosuran"),
        "Serengan": ("Tipes", "Danukusuman"),
    },
    "Kota Salatiga": {
        "Argomulyo": ("Ledok", "Tegalrejo"), "Sidomukti": ("Kecandran", "Mangunsari"),
        "Sidorejo": ("Blotongan", "Salatiga"), "Tingkir": ("Kutowinangun Kidul", "Gendongan"),
    },
    "Kabupaten Boyolali": {"Ampel": ("Candisari", "Gladagsari"), "Cepogo": ("Gedangan",),
                           "Mojosongo": ("Kemiri", "Karangnongko"), "Teras": ("Nepen",)},
    "Kabupaten Kendal": {"Kaliwungu": ("Krajankulon", "Sarirejo"), "Boja": ("Bebengan",),
                         "Weleri": ("Penyangkringan", "Sumberagung")},
    "Kabupaten Demak": {"Mranggen": ("Batursari", "Banyumeneng"), "Sayung": ("Sriwulan",
                        "Bedono"), "Karangtengah": ("Wonowoso",)},
    "Kabupaten Klaten": {"Delanggu": ("Gatak", "Sabrang"), "Prambanan": ("Bugisan", "Tlogo"),
                         "Wedi": ("Pasung",)},
}

ROADS = (
    "Jl. Diponegoro", "Jl. Gatot Subroto", "Jl. Pemuda", "Jl. Soekarno-Hatta",
    "Jl. Letjen Suprapto", "Jl. Fatmawati", "Jl. Kartini", "Jl. Ahmad Yani",
    "Jl. Raya Bawen–Salatiga", "Jl. Jenderal Sudirman", "Jl. MT Haryono", "Jl. Imam Bonjol",
    "Jl. Setiabudi", "Jl. Majapahit", "Jl. Brigjen Sudiarto", "Jl. Kyai Saleh",
    "Jl. Kaligarang", "Jl. Slamet Riyadi", "Jl. Raya Ungaran–Gunungpati", "Jl. Tentara Pelajar",
    "Jl. Prof. Hamka", "Jl. Kolonel Sugiyono", "Jl. Supriyadi", "Jl. Sultan Agung",
)

LANDMARKS = (
    "masjid", "SD Negeri", "pasar desa", "balai desa", "puskesmas", "pertigaan", "jembatan",
    "kantor kecamatan", "pom bensin", "gereja", "alun-alun", "minimarket", "makam umum",
)
LOCATION_SENTENCES = (
    "Lokasinya tepat di dekat {landmark} {village}.",
    "Titik lokasi kurang lebih {n}00 meter dari {landmark}.",
    "Patokannya di depan {landmark}, Kecamatan {district}.",
)

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dwi", "Eko", "Sri", "Joko", "Rina", "Bambang", "Nur", "Slamet",
    "Wahyu", "Dewi", "Hendra", "Yuni", "Rudi", "Tri", "Ani", "Fajar", "Indah", "Arif", "Endang",
    "Teguh", "Ratna", "Dimas", "Lestari", "Yoga", "Puji", "Galih", "Retno", "Heru", "Wulan",
)
LAST_NAMES = (
    "Santoso", "Aminah", "Wibowo", "Lestari", "Prasetyo", "Wahyuni", "Susilo", "Kurniawati",
    "Haryanto", "Hidayah", "Riyadi", "Nugroho", "Rahayu", "Gunawan", "Setiawan", "Purnomo",
    "Saputra", "Handayani", "Pratama", "Utami", "Kusuma", "Hartono", "Suryani", "Firmansyah",
)

# The category tree: ~38 roots with sub-categories.
CATEGORY_TREE: dict[str, tuple[str, ...]] = {
    "PEKERJAAN UMUM DAN PENATAAN RUANG": (
        "JALAN BERLUBANG", "JEMBATAN RUSAK", "DRAINASE DAN SALURAN", "PENERANGAN JALAN UMUM",
        "TROTOAR", "TATA RUANG DAN PBG"),
    "KEPENDUDUKAN": ("KTP", "KARTU KELUARGA", "AKTA KELAHIRAN", "AKTA KEMATIAN",
                     "PINDAH DATANG", "KARTU IDENTITAS ANAK"),
    "LINGKUNGAN HIDUP DAN KEHUTANAN": ("SAMPAH", "PENCEMARAN AIR", "PENCEMARAN UDARA",
                                       "KEBISINGAN", "POHON TUMBANG"),
    "KESEHATAN": ("BPJS KESEHATAN", "PELAYANAN PUSKESMAS", "PELAYANAN RUMAH SAKIT",
                  "OBAT DAN VAKSIN", "STUNTING"),
    "PENDIDIKAN DAN KEBUDAYAAN": ("PPDB DAN ZONASI", "PUNGUTAN SEKOLAH", "SARANA SEKOLAH",
                                  "BEASISWA DAN KIP", "GURU DAN TENAGA KEPENDIDIKAN"),
    "PERHUBUNGAN": ("ANGKUTAN UMUM", "PARKIR", "LAMPU LALU LINTAS", "UJI KIR", "TERMINAL"),
    "PERUMAHAN DAN KAWASAN PERMUKIMAN": ("AIR BERSIH DAN PDAM", "RUMAH TIDAK LAYAK HUNI",
                                         "SANITASI"),
    "KETENTRAMAN DAN KETERTIBAN UMUM": ("PEDAGANG KAKI LIMA", "BANGUNAN LIAR",
                                        "GANGGUAN KETERTIBAN", "MINUMAN KERAS"),
    "SOSIAL": ("BANTUAN SOSIAL DAN PKH", "DTKS", "PENYANDANG DISABILITAS", "LANSIA TERLANTAR"),
    "PERIZINAN DAN PENANAMAN MODAL": ("IZIN USAHA DAN NIB", "IZIN REKLAME", "OSS"),
    "PENANGGULANGAN BENCANA": ("BANJIR", "TANAH LONGSOR", "ROB", "KEBAKARAN"),
    "KORUPSI DAN PUNGUTAN LIAR": ("PUNGLI PELAYANAN", "GRATIFIKASI", "DANA DESA"),
    "KETENAGAKERJAAN": ("UPAH MINIMUM", "PHK", "BPJS KETENAGAKERJAAN", "PELATIHAN KERJA"),
    "ENERGI DAN SUMBER DAYA MINERAL": ("LISTRIK", "LPG 3 KG", "BBM", "TAMBANG ILEGAL"),
    "KOMUNIKASI DAN INFORMATIKA": ("SINYAL DAN INTERNET", "HOAKS", "APLIKASI PEMERINTAH",
                                   "KETERBUKAAN INFORMASI"),
    "PERTANIAN DAN PETERNAKAN": ("PUPUK BERSUBSIDI", "IRIGASI", "HARGA GABAH",
                                 "KESEHATAN HEWAN"),
    "PERDAGANGAN": ("HARGA BAHAN POKOK", "PASAR TRADISIONAL", "METROLOGI"),
    "KOPERASI DAN UMKM": ("KREDIT USAHA RAKYAT", "PEMBINAAN UMKM"),
    "PAJAK DAN RETRIBUSI DAERAH": ("PBB", "PAJAK KENDARAAN BERMOTOR", "RETRIBUSI PASAR",
                                   "RETRIBUSI SAMPAH"),
    "PERTANAHAN": ("SERTIFIKAT TANAH", "SENGKETA TANAH", "PTSL"),
    "DESA DAN PEMBANGUNAN PERDESAAN": ("PERANGKAT DESA", "BUMDES", "INFRASTRUKTUR DESA"),
    "KEPEGAWAIAN": ("DISIPLIN ASN", "SELEKSI CASN", "PPPK"),
    "HUKUM DAN HAK ASASI MANUSIA": ("BANTUAN HUKUM", "LAPAS DAN RUTAN", "KEIMIGRASIAN"),
    "KETAHANAN PANGAN": ("CADANGAN PANGAN", "KEAMANAN PANGAN"),
    "PARIWISATA DAN EKONOMI KREATIF": ("OBJEK WISATA", "RETRIBUSI WISATA"),
    "PEMUDA DAN OLAHRAGA": ("SARANA OLAHRAGA", "KEPEMUDAAN"),
    "AGAMA": ("HAJI DAN UMRAH", "PENCATATAN NIKAH", "RUMAH IBADAH"),
    "KELAUTAN DAN PERIKANAN": ("NELAYAN", "TEMPAT PELELANGAN IKAN"),
    "PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK": ("KEKERASAN TERHADAP ANAK", "KDRT"),
    "BADAN USAHA MILIK NEGARA DAN DAERAH": ("BUMN", "BUMD"),
    "KEUANGAN DAN PERBANKAN": ("PINJAMAN ONLINE ILEGAL", "ASURANSI"),
    "PEMILIHAN UMUM": ("DAFTAR PEMILIH", "NETRALITAS ASN"),
    "KEPOLISIAN": ("SIM", "SKCK", "PELAYANAN KEPOLISIAN"),
    "PERPUSTAKAAN DAN KEARSIPAN": ("LAYANAN PERPUSTAKAAN",),
    "PERENCANAAN PEMBANGUNAN": ("MUSRENBANG",),
    "PENGADAAN BARANG DAN JASA": ("TENDER", "KUALITAS PEKERJAAN"),
    "TRANSMIGRASI": ("LAHAN TRANSMIGRASI",),
    "LAINNYA": ("LAINNYA",),
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_id(path: str) -> str:
    """A stable slug id for a category path; parts without Latin letters get a hash."""
    parts = []
    for part in path.split("›"):
        s = slug(part)
        parts.append(s or "k" + hashlib.sha256(part.strip().encode("utf-8")).hexdigest()[:10])
    return "/".join(parts)


class Scenario:
    """A kind of complaint: where it goes and how its texts are built."""

    def __init__(self, key: str, category: str, agencies: tuple[str, ...],
                 titles: tuple[str, ...], intros: tuple[str, ...], details: tuple[str, ...],
                 impacts: tuple[str, ...], requests: tuple[str, ...],
                 followups: tuple[str, ...], classification: str = "pengaduan",
                 copy_to: tuple[str, ...] = (), supervisory: bool = False) -> None:
        self.key, self.category, self.agencies = key, category, agencies
        self.titles, self.intros, self.details = titles, intros, details
        self.impacts, self.requests, self.followups = impacts, requests, followups
        self.classification, self.copy_to, self.supervisory = (
            classification, copy_to, supervisory)


_REQ = ("Mohon segera ditindaklanjuti.", "Mohon perhatian dari dinas terkait.",
        "Kami berharap ada tindakan nyata, bukan sekadar jawaban normatif.",
        "Terima kasih atas perhatiannya.")

SCENARIOS = (
    Scenario(
        "jalan", "PEKERJAAN UMUM DAN PENATAAN RUANG › JALAN BERLUBANG",
        ("dpupr-kab-semarang", "dpupr-kota-semarang", "dpupr-kota-surakarta", "dinas-bmck-jateng"),
        ("Jalan berlubang di {road}, {village}", "Jalan rusak parah di {village}, {district}",
         "Lubang besar di {road} membahayakan pengendara",
         "Perbaikan jalan {road} tidak kunjung dilakukan"),
        ("Jalan di {road}, Desa {village}, Kecamatan {district} rusak dengan banyak lubang.",
         "Ruas {road} dekat Desa {village} berlubang cukup dalam di beberapa titik.",
         "Aspal di {road} wilayah {district} mengelupas dan berlubang sepanjang kira-kira "
         "{n}00 meter."),
        ("Kerusakan ini sudah terjadi sekitar {n} bulan dan makin parah saat hujan.",
         "Lubang tertutup genangan air sehingga tidak terlihat pada malam hari.",
         "Sudah pernah ditambal warga dengan batu dan tanah, tetapi rusak lagi."),
        ("Sudah {n} pengendara sepeda motor terjatuh di lokasi ini.",
         "Anak-anak sekolah yang lewat setiap pagi terpaksa turun ke bahu jalan.",
         "Kendaraan harus melambat sehingga terjadi antrean panjang pada jam sibuk."),
        ("Mohon segera diperbaiki sebelum musim hujan.", *_REQ),
        ("Terima kasih atas laporannya. Tim UPTD Jalan dan Jembatan telah melakukan survei "
         "lokasi dan penambalan darurat. Perbaikan permanen dijadwalkan dalam anggaran "
         "pemeliharaan rutin bulan depan.",
         "Laporan telah kami tindak lanjuti. Penambalan lubang di lokasi yang disebutkan sudah "
         "selesai dikerjakan pada {date}. Foto dokumentasi terlampir."),
        copy_to=("dishub-kab-semarang",)),
    Scenario(
        "pju", "PEKERJAAN UMUM DAN PENATAAN RUANG › PENERANGAN JALAN UMUM",
        ("dpupr-kab-semarang", "dishub-kab-semarang", "dpupr-kota-semarang"),
        ("Lampu PJU mati di {road}", "Penerangan jalan padam di {village}",
         "Lampu jalan mati total di Kecamatan {district}"),
        ("Lampu penerangan jalan umum di {road} sekitar Desa {village} mati.",
         "Sebanyak {n} tiang lampu PJU di {district} tidak menyala."),
        ("Sudah lebih dari {n} minggu kondisi jalan gelap gulita pada malam hari.",
         "Warga sudah melapor ke kantor desa tetapi belum ada perbaikan."),
        ("Warga khawatir terjadi kejahatan dan kecelakaan karena jalan sangat gelap.",
         "Beberapa kali terjadi penjambretan di ruas jalan ini."),
        _REQ,
        ("Petugas PJU telah mengganti lampu dan memperbaiki instalasi kabel yang putus pada "
         "{date}. Lampu sudah menyala kembali.",),
        copy_to=("dishub-kab-semarang",)),
    Scenario(
        "drainase", "PEKERJAAN UMUM DAN PENATAAN RUANG › DRAINASE DAN SALURAN",
        ("dpupr-kab-semarang", "dpupr-kota-semarang"),
        ("Saluran drainase tersumbat di {village}", "Gorong-gorong ambrol di {road}"),
        ("Saluran air di sepanjang {road}, Desa {village} tersumbat sedimen dan sampah.",
         "Gorong-gorong di depan balai desa {village} ambrol."),
        ("Setiap hujan deras air meluap ke jalan dan masuk ke rumah warga.",
         "Kondisi ini sudah berlangsung sejak {n} bulan lalu."),
        ("Jalan tergenang hingga 30 cm dan bau tidak sedap.",),
        _REQ,
        ("Normalisasi saluran telah dilaksanakan bersama warga pada {date}.",)),
    Scenario(
        "jembatan", "PEKERJAAN UMUM DAN PENATAAN RUANG › JEMBATAN RUSAK",
        ("dpupr-kab-semarang",),
        ("Jembatan penghubung {village} rusak", "Jembatan di Kecamatan {district} retak"),
        ("Jembatan yang menghubungkan Desa {village} dengan jalan kabupaten retak pada bagian "
         "oprit.", "Pagar pengaman jembatan di {road} patah dan hilang."),
        ("Retakan makin lebar setelah dilewati truk bermuatan berat.",),
        ("Warga takut melintas, terutama pengendara motor yang membonceng anak.",),
        _REQ,
        ("Tim teknis telah memasang rambu batas tonase dan mengusulkan rehabilitasi jembatan "
         "pada anggaran perubahan.",),
        supervisory=True),
    Scenario(
        "banjir", "PENANGGULANGAN BENCANA › BANJIR",
        ("dpupr-kab-semarang", "bpbd-kab-semarang", "dpupr-kota-semarang"),
        ("Banjir setiap hujan di {village}", "Banjir di {road} belum ada penanganan"),
        ("Kawasan permukiman di Desa {village}, Kecamatan {district} kembali banjir setelah "
         "hujan deras.",),
        ("Ketinggian air mencapai lutut orang dewasa dan surut setelah {n} jam.",
         "Tanggul sungai di dekat permukiman jebol sepanjang kira-kira {n} meter."),
        ("Beberapa rumah warga terendam dan perabot rusak.",),
        _REQ,
        ("BPBD bersama DPUPR telah memasang karung pasir di tanggul yang jebol dan menjadwalkan "
         "perbaikan permanen.",),
        copy_to=("bpbd-kab-semarang",)),
    Scenario(
        "ktp", "KEPENDUDUKAN › KTP",
        ("disdukcapil-kota-semarang", "disdukcapil-kab-semarang"),
        ("KTP-el belum jadi sejak {n} bulan", "Perekaman KTP-el di Kecamatan {district}",
         "Blangko KTP-el kosong"),
        ("Saya sudah melakukan perekaman KTP-el di kantor Kecamatan {district} {n} bulan lalu.",
         "Anak saya sudah berusia 17 tahun dan melakukan perekaman KTP-el di Kecamatan "
         "{district}."),
        ("Sampai sekarang KTP-el belum dicetak dengan alasan blangko habis.",
         "Setiap kali datang petugas hanya memberi surat keterangan pengganti."),
        ("KTP sangat dibutuhkan untuk melamar pekerjaan dan membuka rekening bank.",),
        _REQ,
        ("KTP-el atas nama pelapor sudah dicetak dan dapat diambil di kantor Disdukcapil "
         "dengan membawa bukti perekaman.",),
        copy_to=("disdukcapil-kota-semarang",)),
    Scenario(
        "kk", "KEPENDUDUKAN › PINDAH DATANG",
        ("disdukcapil-kab-semarang", "disdukcapil-kota-semarang"),
        ("Surat pindah belum diproses", "Kartu Keluarga tidak bisa diperbarui"),
        ("Kami sekeluarga pindah dari Kecamatan {district} dan mengajukan surat pindah secara "
         "daring.", "Pengajuan perubahan Kartu Keluarga di Kelurahan {village} ditolak sistem."),
        ("Status pengajuan tertahan selama {n} minggu tanpa keterangan.",),
        ("Anak kami tidak bisa didaftarkan sekolah karena data belum diperbarui.",),
        _REQ,
        ("Data kependudukan pelapor telah diperbarui. Silakan mencetak KK secara mandiri.",),
        copy_to=("disdukcapil-kota-semarang",)),
    Scenario(
        "sampah", "LINGKUNGAN HIDUP DAN KEHUTANAN › SAMPAH",
        ("dlh-kab-semarang", "dlh-kota-semarang"),
        ("Tumpukan sampah di {road}", "Sampah tidak diangkut di {village}",
         "TPS liar di dekat sungai {village}"),
        ("Sampah menumpuk di pinggir {road} dekat Kelurahan {village}.",
         "Truk pengangkut sampah tidak datang ke {village} selama {n} minggu."),
        ("Bau menyengat dan banyak lalat, apalagi saat hujan.",),
        ("Warga khawatir muncul penyakit, terutama pada balita.",),
        _REQ,
        ("Sampah telah diangkut dan jadwal pengangkutan rutin di wilayah tersebut dipulihkan.",),
        copy_to=("dpupr-kab-semarang",)),
    Scenario(
        "pungli", "KORUPSI DAN PUNGUTAN LIAR › PUNGLI PELAYANAN",
        ("inspektorat-kab-semarang",),
        ("Dugaan pungli pengurusan surat di {village}", "Pungutan tidak resmi di kantor desa"),
        ("Saat mengurus surat pengantar di kantor Desa {village}, oknum meminta uang "
         "Rp{n}00.000.",),
        ("Tidak ada kuitansi dan pungutan ini tidak tercantum dalam peraturan desa.",),
        ("Warga yang tidak membayar prosesnya dipersulit.",),
        _REQ,
        ("Inspektorat telah melakukan klarifikasi kepada pihak terkait. Hasil pemeriksaan akan "
         "ditindaklanjuti sesuai ketentuan.",),
        supervisory=True),
    Scenario(
        "bpjs", "KESEHATAN › BPJS KESEHATAN",
        ("dinkes-kab-semarang",),
        ("Kartu BPJS PBI nonaktif", "Pasien BPJS ditolak di puskesmas {district}"),
        ("Kepesertaan BPJS Kesehatan PBI keluarga kami tiba-tiba nonaktif.",
         "Ibu saya ditolak berobat di puskesmas Kecamatan {district}."),
        ("Kami tidak pernah menerima pemberitahuan sebelumnya.",),
        ("Kami tidak mampu membayar biaya berobat secara mandiri.",),
        _REQ,
        ("Kepesertaan PBI pelapor telah diaktifkan kembali melalui usulan Dinas Sosial.",)),
    Scenario(
        "pdam", "PERUMAHAN DAN KAWASAN PERMUKIMAN › AIR BERSIH DAN PDAM",
        ("pdam-kab-semarang",),
        ("Air PDAM mati di {village}", "Air PDAM keruh dan berbau"),
        ("Aliran air PDAM di perumahan kami di Desa {village} mati.",
         "Air PDAM di wilayah {district} keruh kecokelatan."),
        ("Sudah {n} hari tidak mengalir, padahal tagihan tetap dibayar.",),
        ("Warga terpaksa membeli air galon untuk masak dan mandi.",),
        _REQ,
        ("Gangguan disebabkan kebocoran pipa transmisi. Perbaikan telah selesai dan aliran air "
         "normal kembali.",)),
    Scenario(
        "izin", "PERIZINAN DAN PENANAMAN MODAL › IZIN USAHA DAN NIB",
        ("dpmptsp-kota-semarang",),
        ("Permohonan izin usaha tertahan", "NIB tidak terbit di OSS"),
        ("Saya mengajukan izin usaha mikro melalui OSS {n} minggu lalu.",),
        ("Status permohonan tidak berubah dan tidak ada petugas yang bisa dihubungi.",),
        ("Usaha saya belum bisa mengikuti pengadaan karena belum memiliki izin.",),
        _REQ,
        ("Permohonan pelapor telah diverifikasi dan NIB sudah terbit.",),
        classification="permintaan_informasi"),
    Scenario(
        "sekolah", "PENDIDIKAN DAN KEBUDAYAAN › PUNGUTAN SEKOLAH",
        ("disdik-kab-semarang", "disdik-jateng"),
        ("Pungutan seragam di SD Negeri {village}", "Sekolah meminta sumbangan wajib"),
        ("Sekolah anak kami di Kecamatan {district} meminta uang seragam dan buku Rp{n}50.000.",),
        ("Pembayaran disebut wajib dan menjadi syarat pengambilan rapor.",),
        ("Banyak orang tua keberatan karena sekolah negeri seharusnya gratis.",),
        _REQ,
        ("Dinas telah memanggil kepala sekolah; pungutan dibatalkan dan uang dikembalikan.",)),
    Scenario(
        "aspirasi", "PEKERJAAN UMUM DAN PENATAAN RUANG › TROTOAR",
        ("dpupr-kab-semarang", "dpupr-kota-semarang"),
        ("Usulan pembangunan trotoar di {road}", "Aspirasi penataan trotoar {district}"),
        ("Kami mengusulkan pembangunan trotoar di sepanjang {road} dekat sekolah di {village}.",),
        ("Saat ini pejalan kaki berjalan di badan jalan yang ramai kendaraan.",),
        ("Trotoar akan membuat anak-anak lebih aman berangkat ke sekolah.",),
        ("Terima kasih atas perhatiannya.",),
        ("Usulan telah kami catat dan akan dibahas dalam Musrenbang tahun depan.",),
        classification="aspirasi"),
)

INFO_SCENARIOS = (
    Scenario(
        "info-jalan", "PEKERJAAN UMUM DAN PENATAAN RUANG › JALAN BERLUBANG",
        ("dpupr-kab-semarang",),
        ("Permintaan informasi jadwal perbaikan {road}",
         "Kapan jalan di {village} diperbaiki?"),
        ("Saya ingin mengetahui apakah perbaikan {road} di Kecamatan {district} sudah masuk "
         "rencana tahun ini.",),
        ("Di media sosial beredar kabar bahwa ruas ini akan dibeton, tetapi belum ada "
         "pengumuman resmi.",),
        ("Informasi ini penting bagi warga dan pelaku usaha di sepanjang jalan tersebut.",),
        ("Mohon informasi resminya.", "Terima kasih."),
        ("Ruas tersebut masuk program peningkatan jalan tahun anggaran berjalan; pelaksanaan "
         "dijadwalkan setelah proses lelang selesai.",),
        classification="permintaan_informasi"),
    Scenario(
        "info-akta", "KEPENDUDUKAN › AKTA KELAHIRAN",
        ("disdukcapil-kota-semarang",),
        ("Syarat pengurusan akta kelahiran", "Informasi akta kelahiran anak terlambat lapor"),
        ("Saya ingin menanyakan syarat pembuatan akta kelahiran untuk anak yang lahir {n} tahun "
         "lalu.",),
        ("Kami tinggal di Kelurahan {village}, Kecamatan {district}.",),
        ("Kami belum sempat mengurus karena bekerja di luar kota.",),
        ("Mohon informasinya.", "Terima kasih atas penjelasannya."),
        ("Akta kelahiran dapat diajukan secara daring dengan melampirkan surat keterangan lahir, "
         "KK dan KTP orang tua; tidak ada denda keterlambatan.",),
        classification="permintaan_informasi"),
)

OFFICER_NAMES = ("Ir. Hendra Gunawan", "Dwi Astuti, S.T.", "Bagus Prakoso, S.T., M.T.",
                 "Rini Setyowati, S.Kom.", "Agung Wicaksono, S.H.", "Sri Mulyani, S.Sos.")
COMMENTS = (
    "Terima kasih, tetapi sampai hari ini belum ada perbaikan di lokasi.",
    "Terima kasih atas tindak lanjutnya, masalah sudah teratasi.",
    "Mohon kejelasan kapan pekerjaan akan dimulai.",
    "Kondisinya makin parah setelah hujan kemarin.",
    "Tanggapan ini terlalu normatif, mohon ada tindakan nyata.",
)
NOTES = (
    "Koordinasi dengan UPTD wilayah; menunggu hasil survei.",
    "Mohon cek anggaran pemeliharaan sebelum menjawab.",
    "Lokasi sudah pernah dilaporkan; lihat laporan serupa.",
)
CLOSE_REASONS = ("Masukan terlalu umum.", "Laporan ganda.", "Bukan wewenang instansi ini.")
