<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>ApprovalQueue</name>
    <message>
        <source>Responses waiting for approval</source>
        <translation>Jawaban yang menunggu persetujuan</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Tanggapan</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <source>Changes since returned</source>
        <translation>Perubahan sejak dikembalikan</translation>
    </message>
    <message>
        <source>Response text under review</source>
        <translation>Teks tanggapan yang diperiksa</translation>
    </message>
    <message>
        <source>Complaint under review</source>
        <translation>Pengaduan yang diperiksa</translation>
    </message>
    <message>
        <source>Changes since the returned version</source>
        <translation>Perubahan sejak versi yang dikembalikan</translation>
    </message>
    <message>
        <source>Checker findings</source>
        <translation>Temuan pemeriksa</translation>
    </message>
    <message>
        <source>Note for the officer</source>
        <translation>Catatan untuk petugas</translation>
    </message>
    <message>
        <source>Note for the officer (required to return)</source>
        <translation>Catatan untuk petugas (wajib untuk mengembalikan)</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Setujui</translation>
    </message>
    <message>
        <source>&amp;Return with note</source>
        <translation>&amp;Kembalikan dengan catatan</translation>
    </message>
    <message>
        <source>No responses are waiting for your approval.</source>
        <translation>Tidak ada tanggapan yang menunggu persetujuan Anda.</translation>
    </message>
    <message>
        <source>#%1 — %2 (version %3, by %4)</source>
        <translation>#%1 — %2 (versi %3, oleh %4)</translation>
    </message>
    <message>
        <source>This response was not returned before.</source>
        <translation>Tanggapan ini belum pernah dikembalikan.</translation>
    </message>
    <message>
        <source>No changes since it was returned.</source>
        <translation>Tidak ada perubahan sejak dikembalikan.</translation>
    </message>
    <message>
        <source>The complaint is not in this replica.</source>
        <translation>Pengaduan ini tidak ada di data lokal.</translation>
    </message>
    <message>
        <source>CONFIDENTIAL (RAHASIA)</source>
        <translation>RAHASIA</translation>
    </message>
    <message>
        <source>substantive</source>
        <translation>substantif</translation>
    </message>
    <message>
        <source>not substantive</source>
        <translation>belum substantif</translation>
    </message>
    <message>
        <source>Checker score %1/100 — %2</source>
        <translation>Skor pemeriksa %1/100 — %2</translation>
    </message>
    <message>
        <source>Approve responses</source>
        <translation>Setujui tanggapan</translation>
    </message>
    <message numerus="yes">
        <source>Approve %n response(s), each exactly as shown?</source>
        <translation>
            <numerusform>Setujui %n tanggapan, masing-masing persis seperti yang ditampilkan?</numerusform>
        </translation>
    </message>
    <message>
        <source>Write a note for the officer before returning.</source>
        <translation>Tulis catatan untuk petugas sebelum mengembalikan.</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>Details of the selected item</source>
        <translation>Rincian item terpilih</translation>
    </message>
    <message>
        <source>&amp;Compare versions…</source>
        <translation>&amp;Bandingkan versi…</translation>
    </message>
    <message>
        <source>P&amp;ark</source>
        <translation>&amp;Sisihkan</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Lanjutkan</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;kspor…</translation>
    </message>
    <message>
        <source>Send as &amp;note to the owner</source>
        <translation>Kirim sebagai &amp;catatan ke pemilik</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>B&amp;uang…</translation>
    </message>
    <message>
        <source>Show pa&amp;rked</source>
        <translation>Tampilkan yang di&amp;sisihkan</translation>
    </message>
    <message>
        <source>Resumed; it is back in the needs-attention list.</source>
        <translation>Dilanjutkan; item kembali ke daftar perlu perhatian.</translation>
    </message>
    <message>
        <source>Set aside; it stays recorded.</source>
        <translation>Disisihkan; tetap tercatat.</translation>
    </message>
    <message>
        <source>Your version is saved again as a new version.</source>
        <translation>Versi Anda disimpan lagi sebagai versi baru.</translation>
    </message>
    <message>
        <source>The server&apos;s version is now in your draft.</source>
        <translation>Versi server kini ada di draf Anda.</translation>
    </message>
    <message>
        <source>Draft exported to %1.</source>
        <translation>Draf diekspor ke %1.</translation>
    </message>
    <message>
        <source>Export draft</source>
        <translation>Ekspor draf</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Berkas teks (*.txt)</translation>
    </message>
    <message>
        <source>The draft&apos;s text is queued as a note for the complaint&apos;s owner.</source>
        <translation>Teks draf diantrekan sebagai catatan untuk pemilik pengaduan.</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>Buang draf</translation>
    </message>
    <message>
        <source>Discard this orphaned draft for good? Its text cannot be recovered. Export it first if you may need it.</source>
        <translation>Buang draf yatim ini selamanya? Teksnya tidak bisa dipulihkan. Ekspor dulu bila mungkin masih diperlukan.</translation>
    </message>
    <message>
        <source>Draft discarded.</source>
        <translation>Draf dibuang.</translation>
    </message>
</context>
<context>
    <name>ChoiceDialog</name>
    <message>
        <source>Type to filter…</source>
        <translation>Ketik untuk menyaring…</translation>
    </message>
    <message>
        <source>Filter the choices</source>
        <translation>Saring pilihan</translation>
    </message>
</context>
<context>
    <name>ClusterController</name>
    <message>
        <source>Choose at least two complaints to answer together.</source>
        <translation>Pilih minimal dua pengaduan untuk dijawab bersama.</translation>
    </message>
    <message>
        <source>Answer %1 complaints together</source>
        <translation>Jawab %1 pengaduan bersama</translation>
    </message>
</context>
<context>
    <name>ClusterDialog</name>
    <message>
        <source>Answer similar complaints together</source>
        <translation>Jawab pengaduan serupa bersama</translation>
    </message>
    <message>
        <source>One text for %1 complaints. Placeholders filled per complaint: %2. An anonymous reporter is never named.</source>
        <translation>Satu teks untuk %1 pengaduan. Isian yang diisi per pengaduan: %2. Pelapor anonim tidak pernah disebut namanya.</translation>
    </message>
    <message>
        <source>Response text for the cluster</source>
        <translation>Teks jawaban untuk kelompok pengaduan</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Pratinjau</translation>
    </message>
    <message>
        <source>Complaints of the cluster</source>
        <translation>Pengaduan dalam kelompok</translation>
    </message>
    <message>
        <source>Text for the selected complaint</source>
        <translation>Teks untuk pengaduan yang dipilih</translation>
    </message>
    <message>
        <source>&amp;Create drafts</source>
        <translation>&amp;Buat draf</translation>
    </message>
    <message>
        <source>%1: skipped (%2)</source>
        <translation>%1: dilewati (%2)</translation>
    </message>
    <message>
        <source>%1: still to fill %2</source>
        <translation>%1: masih harus diisi %2</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Resolve a conflict</source>
        <translation>Selesaikan bentrok</translation>
    </message>
    <message>
        <source>Common base</source>
        <translation>Versi dasar bersama</translation>
    </message>
    <message>
        <source>Server version (theirs)</source>
        <translation>Versi server (mereka)</translation>
    </message>
    <message>
        <source>My version</source>
        <translation>Versi saya</translation>
    </message>
    <message>
        <source>(not known)</source>
        <translation>(tidak diketahui)</translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation>Pakai versi &amp;saya</translation>
    </message>
    <message>
        <source>Take the &amp;server&apos;s</source>
        <translation>Pakai versi se&amp;rver</translation>
    </message>
    <message>
        <source>&amp;Park</source>
        <translation>&amp;Sisihkan</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Instansi</translation>
    </message>
    <message>
        <source>Copies to</source>
        <translation>Tembusan ke</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Perubahan terakhir</translation>
    </message>
    <message>
        <source>Step deadline</source>
        <translation>Tenggat tahap</translation>
    </message>
    <message>
        <source>Resolution deadline</source>
        <translation>Tenggat penyelesaian</translation>
    </message>
    <message>
        <source>Incident date</source>
        <translation>Tanggal kejadian</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Klasifikasi</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritas</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Pelapor</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Penanda</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Select a complaint to see its details.</source>
        <translation>Pilih laporan untuk melihat rinciannya.</translation>
    </message>
    <message>
        <source>Complaint details</source>
        <translation>Rincian laporan</translation>
    </message>
    <message>
        <source>Complaint title</source>
        <translation>Judul laporan</translation>
    </message>
    <message>
        <source>Complaint text</source>
        <translation>Isi laporan</translation>
    </message>
    <message>
        <source>Conversation and history</source>
        <translation>Percakapan dan riwayat</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <source>CONFIDENTIAL (RAHASIA): do not share, print or forward this content.</source>
        <translation>RAHASIA: jangan bagikan, cetak, atau teruskan isi laporan ini.</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>Conversation (%1)</source>
        <translation>Percakapan (%1)</translation>
    </message>
    <message>
        <source>Attachments (%1)</source>
        <translation>Lampiran (%1)</translation>
    </message>
    <message>
        <source>Confidential (rahasia)</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Anonymous (anonim)</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Anonymous reporter</source>
        <translation>Pelapor anonim</translation>
    </message>
    <message>
        <source>No replies, follow-ups or events yet.</source>
        <translation>Belum ada tanggapan, tindak lanjut, atau peristiwa.</translation>
    </message>
</context>
<context>
    <name>ExceptionHook</name>
    <message>
        <source>Something unexpected went wrong. The details were written to the log file. Your work saved on this computer is safe.</source>
        <translation>Terjadi kesalahan yang tidak terduga. Rinciannya dicatat di berkas log. Pekerjaan Anda yang tersimpan di komputer ini tetap aman.</translation>
    </message>
    <message>
        <source>LAPOR! Desk: error</source>
        <translation>LAPOR! Desk: kesalahan</translation>
    </message>
    <message>
        <source>You can continue working or close the application.</source>
        <translation>Anda dapat melanjutkan pekerjaan atau menutup aplikasi.</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Lanjutkan</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Website</source>
        <translation>Situs web</translation>
    </message>
    <message>
        <source>SMS 1708</source>
        <translation>SMS 1708</translation>
    </message>
    <message>
        <source>X/Twitter</source>
        <translation>X/Twitter</translation>
    </message>
    <message>
        <source>Android app</source>
        <translation>Aplikasi Android</translation>
    </message>
    <message>
        <source>iOS app</source>
        <translation>Aplikasi iOS</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>Datang langsung</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Surat</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <source>Reporter reply</source>
        <translation>Tanggapan pelapor</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Tindak lanjut</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Catatan internal</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Peristiwa</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Rendah</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Tinggi</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Mendesak</translation>
    </message>
    <message>
        <source>1 working day overdue</source>
        <translation>terlambat 1 hari kerja</translation>
    </message>
    <message>
        <source>%1 working days overdue</source>
        <translation>terlambat %1 hari kerja</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>hari ini</translation>
    </message>
    <message>
        <source>1 working day left</source>
        <translation>1 hari kerja lagi</translation>
    </message>
    <message>
        <source>%1 working days left</source>
        <translation>%1 hari kerja lagi</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Unlocking needs the server, and it cannot be reached now: %1</source>
        <translation>Membuka kunci memerlukan server, dan server tidak dapat dihubungi sekarang: %1</translation>
    </message>
    <message>
        <source>Unlocking failed because of an unexpected error. Details are in the log.</source>
        <translation>Gagal membuka kunci karena kesalahan tak terduga. Rinciannya ada di log.</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Tenggat</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Penanda</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>Kolom ini tidak dapat diurutkan</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Belum dibaca</translation>
    </message>
    <message>
        <source>Not read by you yet, or the reporter replied since you marked it read</source>
        <translation>Belum Anda baca, atau pelapor membalas setelah Anda menandainya dibaca</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>A change was refused or conflicts: see the needs-attention list</source>
        <translation>Perubahan ditolak atau bentrok: lihat daftar perlu perhatian</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>Belum terkirim</translation>
    </message>
    <message>
        <source>Changes saved here, sent at the next sync</source>
        <translation>Perubahan tersimpan di sini, dikirim pada sinkronisasi berikutnya</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Confidential (rahasia): the content is not public</source>
        <translation>Rahasia: isi laporan tidak untuk publik</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Anonymous (anonim): the reporter&apos;s identity is hidden</source>
        <translation>Anonim: identitas pelapor dirahasiakan</translation>
    </message>
    <message>
        <source>No flags</source>
        <translation>Tanpa penanda</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Frasa sandi:</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frasa sandi</translation>
    </message>
    <message>
        <source>Please enter your passphrase.</source>
        <translation>Masukkan frasa sandi Anda.</translation>
    </message>
    <message>
        <source>The data of %1 on this computer is protected by a passphrase. Enter it to open LAPOR! Desk.</source>
        <translation>Data %1 di komputer ini dilindungi frasa sandi. Masukkan frasa sandi untuk membuka LAPOR! Desk.</translation>
    </message>
    <message>
        <source>The session was locked after a period without activity. Enter the passphrase of this profile (%1) to continue; no connection is needed.</source>
        <translation>Sesi dikunci karena tidak ada aktivitas selama beberapa waktu. Masukkan frasa sandi profil ini (%1) untuk melanjutkan; tidak perlu koneksi.</translation>
    </message>
    <message>
        <source>LAPOR! Desk is locked</source>
        <translation>LAPOR! Desk terkunci</translation>
    </message>
    <message>
        <source>The session was locked after a period without activity. Enter the password of %1 to continue. Unlocking checks it with the server, or on this computer while the server cannot be reached.</source>
        <translation>Sesi dikunci karena tidak ada aktivitas selama beberapa waktu. Masukkan kata sandi %1 untuk melanjutkan. Kata sandi diperiksa oleh server, atau di komputer ini selama server tidak dapat dihubungi.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Kata sandi:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Unlock error</source>
        <translation>Kesalahan buka kunci</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka kunci</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>Please enter your password.</source>
        <translation>Silakan masukkan kata sandi Anda.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>&amp;Repeat passphrase:</source>
        <translation>&amp;Ulangi frasa sandi:</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Frasa sandi baru</translation>
    </message>
    <message>
        <source>Pass&amp;phrase:</source>
        <translation>&amp;Frasa sandi:</translation>
    </message>
    <message>
        <source>Please choose a passphrase for this computer.</source>
        <translation>Pilih frasa sandi untuk komputer ini.</translation>
    </message>
    <message>
        <source>Repeat the passphrase</source>
        <translation>Ulangi frasa sandi</translation>
    </message>
    <message>
        <source>This computer has no system keyring to keep the key of your local data. Choose a passphrase (at least 10 characters, several words) to protect it instead; LAPOR! Desk asks for it each time it opens. It cannot be recovered.</source>
        <translation>Komputer ini tidak punya keyring sistem untuk menyimpan kunci data lokal Anda. Pilih frasa sandi (minimal 10 karakter, beberapa kata) untuk melindunginya; LAPOR! Desk memintanya setiap kali dibuka. Frasa sandi tidak dapat dipulihkan.</translation>
    </message>
    <message>
        <source>Sign in to LAPOR! Desk</source>
        <translation>Masuk ke LAPOR! Desk</translation>
    </message>
    <message>
        <source>Sign in with your LAPOR! account. Your password is not saved on this computer.</source>
        <translation>Masuk dengan akun LAPOR! Anda. Kata sandi tidak disimpan di komputer ini.</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>Alamat &amp;server:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Nama pengguna:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Kata sandi:</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Kesalahan saat masuk</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>&amp;Masuk</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Please fill in the server address, username and password.</source>
        <translation>Isi alamat server, nama pengguna, dan kata sandi.</translation>
    </message>
    <message>
        <source>Sign-in failed because of an unexpected error. Details are in the log.</source>
        <translation>Gagal masuk karena kesalahan yang tidak terduga. Rinciannya ada di log.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sign &amp;out / switch user…</source>
        <translation>&amp;Keluar akun / ganti pengguna…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Keluar akun</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) on this computer have not reached the server yet.</source>
        <translation>
            <numerusform>%n perubahan di komputer ini belum sampai ke server.</numerusform>
        </translation>
    </message>
    <message>
        <source>They are not deleted: they stay in this account's profile and are sent when it signs in here again. Sync now to send them first.</source>
        <translation>Perubahan itu tidak dihapus: tetap tersimpan di profil akun ini dan terkirim saat akun ini masuk lagi di sini. Sinkronkan sekarang untuk mengirimnya lebih dulu.</translation>
    </message>
    <message>
        <source>S&amp;ync first</source>
        <translation>&amp;Sinkronkan dulu</translation>
    </message>
    <message>
        <source>Sign out and &amp;keep them here</source>
        <translation>Keluar dan &amp;simpan di sini</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>LAPOR! Desk</source>
        <translation>LAPOR! Desk</translation>
    </message>
    <message>
        <source>demo (synthetic data)</source>
        <translation>demo (data sintetis)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sunting</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>&amp;Sinkronkan</translation>
    </message>
    <message>
        <source>Sync with the server now (Ctrl+R, F5)</source>
        <translation>Sinkronkan dengan server sekarang (Ctrl+R, F5)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Cari…</translation>
    </message>
    <message>
        <source>&amp;Copy tracking IDs</source>
        <translation>&amp;Salin ID pelacakan</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>&amp;About LAPOR! Desk</source>
        <translation>&amp;Tentang LAPOR! Desk</translation>
    </message>
    <message>
        <source>Search complaints (Ctrl+F)…</source>
        <translation>Cari laporan (Ctrl+F)…</translation>
    </message>
    <message>
        <source>Search complaints</source>
        <translation>Cari laporan</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Saring menurut status</translation>
    </message>
    <message>
        <source>Complaint inbox</source>
        <translation>Kotak masuk laporan</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Kemajuan sinkronisasi</translation>
    </message>
    <message>
        <source>DEMO: synthetic data</source>
        <translation>DEMO: data sintetis</translation>
    </message>
    <message>
        <source>&amp;Approval queue</source>
        <translation>&amp;Antrean persetujuan</translation>
    </message>
    <message>
        <source>Approval queue</source>
        <translation>Antrean persetujuan</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Tanggapan</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n tracking ID(s).</source>
        <translation>
            <numerusform>%n ID pelacakan disalin.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n laporan</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Menyinkronkan…</translation>
    </message>
    <message>
        <source>%1 of %2 complaints · %3</source>
        <translation>%1 dari %2 laporan · %3</translation>
    </message>
    <message>
        <source>%1 complaints · %2</source>
        <translation>%1 laporan · %2</translation>
    </message>
    <message>
        <source>Sync finished: %1 received, %2 removed.</source>
        <translation>Sinkronisasi selesai: %1 diterima, %2 dihapus.</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Sinkron terakhir: %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>Pending: %1</source>
        <translation>Tertunda: %1</translation>
    </message>
    <message>
        <source>Changes saved here and not yet sent</source>
        <translation>Perubahan yang tersimpan di sini dan belum terkirim</translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>Perlu perhatian: %1</translation>
    </message>
    <message>
        <source>Conflicts, rejections and orphaned drafts</source>
        <translation>Konflik, penolakan, dan draf yatim</translation>
    </message>
    <message>
        <source>Connection not checked yet</source>
        <translation>Koneksi belum diperiksa</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Belum disinkronkan</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Daring</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation>Koneksi: %1</translation>
    </message>
    <message>
        <source>About LAPOR! Desk</source>
        <translation>Tentang LAPOR! Desk</translation>
    </message>
    <message>
        <source>LAPOR! Desk: an offline-first desktop client for handling SP4N-LAPOR! public complaints.</source>
        <translation>LAPOR! Desk: aplikasi desktop yang tetap bekerja tanpa koneksi untuk menangani pengaduan publik SP4N-LAPOR!.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>%n new complaint(s) assigned to you.</source>
        <translation>
            <numerusform>%n pengaduan baru ditugaskan kepada Anda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of your response(s) approved.</source>
        <translation>
            <numerusform>%n tanggapan Anda disetujui.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more response(s) waiting for your approval.</source>
        <translation>
            <numerusform>%n tanggapan lagi menunggu persetujuan Anda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n draft(s) returned to you.</source>
        <translation>
            <numerusform>%n draf dikembalikan kepada Anda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more complaint(s) due within 2 working days.</source>
        <translation>
            <numerusform>%n pengaduan lagi jatuh tempo dalam 2 hari kerja.</numerusform>
        </translation>
    </message>
    <message>
        <source>LAPOR! Desk</source>
        <translation>LAPOR! Desk</translation>
    </message>
</context>
<context>
    <name>PowerFeatures</name>
    <message>
        <source>Views</source>
        <translation>Tampilan</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>&amp;Triage</source>
        <translation>&amp;Triase</translation>
    </message>
    <message>
        <source>&amp;Undo triage</source>
        <translation>&amp;Batalkan triase</translation>
    </message>
    <message>
        <source>&amp;Redo triage</source>
        <translation>&amp;Ulangi triase</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <source>Answer selected &amp;together…</source>
        <translation>Jawab yang dipilih ber&amp;sama…</translation>
    </message>
    <message numerus="yes">
        <source>Undone: %n inverse change(s) queued.</source>
        <translation>
            <numerusform>Dibatalkan: %n perubahan kebalikan diantrekan.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) queued; they are sent at the next sync.</source>
        <translation>
            <numerusform>%n perubahan diantrekan; dikirim pada sinkronisasi berikutnya.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 drafts created, one per complaint; Ctrl+Z takes them back while they are unsent.</source>
        <translation>%1 draf dibuat, satu per pengaduan; Ctrl+Z membatalkannya selama belum terkirim.</translation>
    </message>
    <message>
        <source>Queuing changes: %1 of %2</source>
        <translation>Mengantrekan perubahan: %1 dari %2</translation>
    </message>
</context>
<context>
    <name>ResponseEditor</name>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Templat:</translation>
    </message>
    <message>
        <source>Response template</source>
        <translation>Templat tanggapan</translation>
    </message>
    <message>
        <source>&amp;Insert template</source>
        <translation>&amp;Sisipkan templat</translation>
    </message>
    <message>
        <source>Response text</source>
        <translation>Teks tanggapan</translation>
    </message>
    <message>
        <source>Write the follow-up for the reporter here. It is saved on this computer as you type.</source>
        <translation>Tulis tindak lanjut untuk pelapor di sini. Teks disimpan di komputer ini selagi Anda mengetik.</translation>
    </message>
    <message>
        <source>Su&amp;bmit for approval</source>
        <translation>Aj&amp;ukan untuk persetujuan</translation>
    </message>
    <message>
        <source>Submit for approval (Ctrl+Enter)</source>
        <translation>Ajukan untuk persetujuan (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>Ajukan untuk persetujuan</translation>
    </message>
    <message>
        <source>Substantive-answer check</source>
        <translation>Pemeriksaan jawaban substantif</translation>
    </message>
    <message>
        <source>Checker findings</source>
        <translation>Temuan pemeriksa</translation>
    </message>
    <message>
        <source>Draft state</source>
        <translation>Status draf</translation>
    </message>
    <message>
        <source>Send as note to the owner</source>
        <translation>Kirim sebagai catatan ke pemilik</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Buang…</translation>
    </message>
    <message>
        <source>substantive</source>
        <translation>substantif</translation>
    </message>
    <message>
        <source>not substantive yet</source>
        <translation>belum substantif</translation>
    </message>
    <message>
        <source>Score %1/100 — %2</source>
        <translation>Skor %1/100 — %2</translation>
    </message>
    <message>
        <source>Click or press Enter to select this place in the text</source>
        <translation>Klik atau tekan Enter untuk memilih bagian ini di teks</translation>
    </message>
    <message>
        <source>The response is empty.</source>
        <translation>Tanggapan masih kosong.</translation>
    </message>
    <message>
        <source>The checker says this answer is not substantive yet (score %1/100). Submit it for approval anyway?</source>
        <translation>Menurut pemeriksa, jawaban ini belum substantif (skor %1/100). Tetap ajukan untuk persetujuan?</translation>
    </message>
    <message>
        <source>Not saved yet…</source>
        <translation>Belum disimpan…</translation>
    </message>
    <message>
        <source>No draft yet</source>
        <translation>Belum ada draf</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Draf</translation>
    </message>
    <message>
        <source>Submitted for approval</source>
        <translation>Diajukan untuk persetujuan</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Disetujui</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Dikembalikan</translation>
    </message>
    <message>
        <source>Orphaned (no longer assigned)</source>
        <translation>Yatim (tidak lagi ditugaskan)</translation>
    </message>
    <message>
        <source>saved locally</source>
        <translation>tersimpan lokal</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>mengirim</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>tersinkron</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>tergabung</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>konflik</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>ditolak</translation>
    </message>
    <message>
        <source>parked</source>
        <translation>disisihkan</translation>
    </message>
    <message>
        <source>This complaint left your scope or was closed. Your text is kept here (read only): send it as a note to the owner, export it, or discard it.</source>
        <translation>Pengaduan ini sudah keluar dari lingkup Anda atau sudah ditutup. Teks Anda tetap tersimpan di sini (hanya baca): kirim sebagai catatan ke pemilik, ekspor, atau buang.</translation>
    </message>
    <message>
        <source>The reporter replied after this draft was last saved. Read the reply in the Conversation tab, adjust the answer if needed, then submit.</source>
        <translation>Pelapor membalas setelah draf ini terakhir disimpan. Baca balasannya di tab Percakapan, sesuaikan jawaban bila perlu, lalu ajukan.</translation>
    </message>
    <message>
        <source>Returned by the supervisor: %1</source>
        <translation>Dikembalikan oleh atasan: %1</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Penulis</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Diajukan</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>Berkas bundel CA</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Telusuri…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <source>Sync interval in minutes</source>
        <translation>Selang sinkronisasi dalam menit</translation>
    </message>
    <message>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <source>Lock after idle minutes</source>
        <translation>Kunci setelah menganggur (menit)</translation>
    </message>
    <message>
        <source>Show &amp;notifications after a sync</source>
        <translation>Tampilkan &amp;notifikasi setelah sinkronisasi</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>Alamat &amp;server:</translation>
    </message>
    <message>
        <source>CA &amp;bundle:</source>
        <translation>&amp;Bundel CA:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Bahasa:</translation>
    </message>
    <message>
        <source>S&amp;ync every:</source>
        <translation>Sinkron&amp;kan setiap:</translation>
    </message>
    <message>
        <source>Lock when &amp;idle after:</source>
        <translation>Kunci bila &amp;menganggur setelah:</translation>
    </message>
    <message>
        <source>A new server address applies at the next sign-in.</source>
        <translation>Alamat server baru berlaku pada masuk berikutnya.</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>Bundel CA</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Sertifikat (*.pem *.crt *.cer);;Semua berkas (*)</translation>
    </message>
    <message>
        <source>The server address must start with https://.</source>
        <translation>Alamat server harus diawali https://.</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>Pengaturan tidak bisa disimpan: %1</translation>
    </message>
</context>
<context>
    <name>SimilarPanel</name>
    <message>
        <source>Similar complaints:</source>
        <translation>Pengaduan serupa:</translation>
    </message>
    <message>
        <source>Similar complaints</source>
        <translation>Pengaduan serupa</translation>
    </message>
    <message>
        <source>Answer &amp;together…</source>
        <translation>Jawab &amp;bersama…</translation>
    </message>
    <message>
        <source>same place</source>
        <translation>tempat sama</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <source>&amp;Assign to…</source>
        <translation>&amp;Tugaskan ke…</translation>
    </message>
    <message>
        <source>Set &amp;category…</source>
        <translation>Atur &amp;kategori…</translation>
    </message>
    <message>
        <source>Set &amp;priority…</source>
        <translation>Atur &amp;prioritas…</translation>
    </message>
    <message>
        <source>Set &amp;tags…</source>
        <translation>Atur &amp;label…</translation>
    </message>
    <message>
        <source>Request &amp;re-route…</source>
        <translation>Minta pe&amp;ngalihan…</translation>
    </message>
    <message>
        <source>Mark rea&amp;d</source>
        <translation>Tandai sudah &amp;dibaca</translation>
    </message>
    <message>
        <source>Mark &amp;unread</source>
        <translation>Tandai &amp;belum dibaca</translation>
    </message>
    <message>
        <source>Mark %1 read</source>
        <translation>Tandai %1 sudah dibaca</translation>
    </message>
    <message>
        <source>Mark %1 unread</source>
        <translation>Tandai %1 belum dibaca</translation>
    </message>
    <message>
        <source>Select one or more complaints first.</source>
        <translation>Pilih satu atau beberapa pengaduan dulu.</translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Tugaskan</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n complaint(s) to:</source>
        <translation>
            <numerusform>Tugaskan %n pengaduan kepada:</numerusform>
        </translation>
    </message>
    <message>
        <source>Assign %1</source>
        <translation>Tugaskan %1</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message numerus="yes">
        <source>Category for %n complaint(s):</source>
        <translation>
            <numerusform>Kategori untuk %n pengaduan:</numerusform>
        </translation>
    </message>
    <message>
        <source>Set category of %1</source>
        <translation>Atur kategori %1</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioritas</translation>
    </message>
    <message numerus="yes">
        <source>Priority for %n complaint(s):</source>
        <translation>
            <numerusform>Prioritas untuk %n pengaduan:</numerusform>
        </translation>
    </message>
    <message>
        <source>Set priority of %1</source>
        <translation>Atur prioritas %1</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Label</translation>
    </message>
    <message numerus="yes">
        <source>Tags for %n complaint(s), separated by commas:</source>
        <translation>
            <numerusform>Label untuk %n pengaduan, dipisah koma:</numerusform>
        </translation>
    </message>
    <message>
        <source>Set tags of %1</source>
        <translation>Atur label %1</translation>
    </message>
    <message>
        <source>Request re-route</source>
        <translation>Minta pengalihan</translation>
    </message>
    <message>
        <source>Why is this not your agency&apos;s authority? The admin reads this reason (%1 complaints).</source>
        <translation>Mengapa ini bukan wewenang instansi Anda? Admin membaca alasan ini (%1 pengaduan).</translation>
    </message>
    <message>
        <source>Confidential complaints</source>
        <translation>Pengaduan rahasia</translation>
    </message>
    <message>
        <source>%1 of the selected complaints are confidential (rahasia): #%2. Their content must only reach people allowed to see it. Forward them anyway?</source>
        <translation>%1 pengaduan terpilih bersifat rahasia: #%2. Isinya hanya boleh sampai ke orang yang berhak melihatnya. Tetap teruskan?</translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message>
        <source>All</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>My work</source>
        <translation>Pekerjaan saya</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Belum ditugaskan</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Terlambat</translation>
    </message>
    <message>
        <source>Due within 2 working days</source>
        <translation>Jatuh tempo ≤ 2 hari kerja</translation>
    </message>
    <message>
        <source>Waiting for my approval</source>
        <translation>Menunggu persetujuan saya</translation>
    </message>
    <message>
        <source>Returned to me</source>
        <translation>Dikembalikan ke saya</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Belum dibaca</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n complaint(s)</source>
        <translation>
            <numerusform>%1: %n pengaduan</numerusform>
        </translation>
    </message>
    <message>
        <source>Ctrl+%1</source>
        <translation>Ctrl+%1</translation>
    </message>
</context>
<context>
    <name>ViewsSidebar</name>
    <message>
        <source>Saved views</source>
        <translation>Tampilan tersimpan</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unlocking failed because of an unexpected error. Details are in the log.</source>
        <translation>Gagal membuka kunci karena kesalahan tak terduga. Rinciannya ada di log.</translation>
    </message>
    <message>
        <source>LAPOR! Desk is already running for this profile; its window was brought to the front.</source>
        <translation>LAPOR! Desk sudah berjalan untuk profil ini; jendelanya dibawa ke depan.</translation>
    </message>
</context>
<context>
    <name>PlainView</name>
    <message>
        <source>Copy confidential text…</source>
        <translation>Salin teks rahasia…</translation>
    </message>
    <message>
        <source>Confidential content</source>
        <translation>Konten rahasia</translation>
    </message>
    <message>
        <source>This complaint is confidential (rahasia). Copy the selected text to the clipboard anyway?</source>
        <translation>Pengaduan ini bersifat rahasia. Tetap salin teks yang dipilih ke papan klip?</translation>
    </message>
    <message>
        <source>Other programs can read the clipboard. Do not share, print or forward this content.</source>
        <translation>Program lain dapat membaca papan klip. Jangan bagikan, cetak, atau teruskan konten ini.</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>downloaded</source>
        <translation>sudah diunduh</translation>
    </message>
    <message>
        <source>waiting to upload (sent at the next sync)</source>
        <translation>menunggu diunggah (dikirim pada sinkronisasi berikutnya)</translation>
    </message>
    <message>
        <source>partly downloaded (%1 of %2)</source>
        <translation>sebagian diunduh (%1 dari %2)</translation>
    </message>
    <message>
        <source>on the server</source>
        <translation>ada di server</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Buka</translation>
    </message>
    <message>
        <source>Download if needed, then open a copy of the file</source>
        <translation>Unduh bila perlu, lalu buka salinan berkasnya</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>Batalkan unduhan</translation>
    </message>
    <message>
        <source>Add &amp;evidence…</source>
        <translation>Tambah &amp;bukti…</translation>
    </message>
    <message>
        <source>Attach files to this complaint (or drop them here); they are uploaded at the next sync</source>
        <translation>Lampirkan berkas ke pengaduan ini (atau jatuhkan di sini); berkas diunggah pada sinkronisasi berikutnya</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>Kemajuan unduhan</translation>
    </message>
    <message>
        <source>No program on this computer could open the file.</source>
        <translation>Tidak ada program di komputer ini yang dapat membuka berkas itu.</translation>
    </message>
    <message>
        <source>Add evidence</source>
        <translation>Tambah bukti</translation>
    </message>
    <message>
        <source>Confidential attachment</source>
        <translation>Lampiran rahasia</translation>
    </message>
    <message>
        <source>This file belongs to a confidential (rahasia) complaint. Open a copy of it in another program?</source>
        <translation>Berkas ini milik pengaduan rahasia. Buka salinannya di program lain?</translation>
    </message>
    <message>
        <source>That program can print or share it. Do not share, print or forward this content.</source>
        <translation>Program itu dapat mencetak atau membagikannya. Jangan bagikan, cetak, atau teruskan konten ini.</translation>
    </message>
</context>
</TS>
