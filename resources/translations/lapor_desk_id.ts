<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>ApprovalQueue</name>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="178"/>
        <source>Responses waiting for approval</source>
        <translation>Jawaban yang menunggu persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="179"/>
        <source>Response</source>
        <translation>Tanggapan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="180"/>
        <source>Complaint</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="181"/>
        <source>Changes since returned</source>
        <translation>Perubahan sejak dikembalikan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="182"/>
        <source>Response text under review</source>
        <translation>Teks tanggapan yang diperiksa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="183"/>
        <source>Complaint under review</source>
        <translation>Pengaduan yang diperiksa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="184"/>
        <source>Changes since the returned version</source>
        <translation>Perubahan sejak versi yang dikembalikan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="185"/>
        <source>Checker findings</source>
        <translation>Temuan pemeriksa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="186"/>
        <source>Note for the officer</source>
        <translation>Catatan untuk petugas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="187"/>
        <source>Note for the officer (required to return)</source>
        <translation>Catatan untuk petugas (wajib untuk mengembalikan)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="188"/>
        <source>&amp;Approve</source>
        <translation>&amp;Setujui</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="189"/>
        <source>&amp;Return with note</source>
        <translation>&amp;Kembalikan dengan catatan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="226"/>
        <source>No responses are waiting for your approval.</source>
        <translation>Tidak ada tanggapan yang menunggu persetujuan Anda.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="232"/>
        <source>#%1 — %2 (version %3, by %4)</source>
        <translation>#%1 — %2 (versi %3, oleh %4)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="237"/>
        <source>This response was not returned before.</source>
        <translation>Tanggapan ini belum pernah dikembalikan.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="240"/>
        <source>No changes since it was returned.</source>
        <translation>Tidak ada perubahan sejak dikembalikan.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="263"/>
        <source>The complaint is not in this replica.</source>
        <translation>Pengaduan ini tidak ada di data lokal.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="267"/>
        <source>CONFIDENTIAL (RAHASIA)</source>
        <translation>RAHASIA</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="269"/>
        <source>substantive</source>
        <translation>substantif</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="269"/>
        <source>not substantive</source>
        <translation>belum substantif</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="270"/>
        <source>Checker score %1/100 — %2</source>
        <translation>Skor pemeriksa %1/100 — %2</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="290"/>
        <source>Approve responses</source>
        <translation>Setujui tanggapan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="291"/>
        <source>Approve %1 responses, each exactly as shown?</source>
        <translation>Setujui %1 tanggapan, masing-masing persis seperti yang ditampilkan?</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="306"/>
        <source>Write a note for the officer before returning.</source>
        <translation>Tulis catatan untuk petugas sebelum mengembalikan.</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="176"/>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="177"/>
        <source>Details of the selected item</source>
        <translation>Rincian item terpilih</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="178"/>
        <source>&amp;Compare versions…</source>
        <translation>&amp;Bandingkan versi…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="179"/>
        <source>P&amp;ark</source>
        <translation>&amp;Sisihkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="180"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;kspor…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="181"/>
        <source>Copy as &amp;note</source>
        <translation>Salin sebagai &amp;catatan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="182"/>
        <source>&amp;Discard…</source>
        <translation>B&amp;uang…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="262"/>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="283"/>
        <source>Set aside; it stays recorded.</source>
        <translation>Disisihkan; tetap tercatat.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="278"/>
        <source>Your version is saved again as a new version.</source>
        <translation>Versi Anda disimpan lagi sebagai versi baru.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="281"/>
        <source>The server&apos;s version is now in your draft.</source>
        <translation>Versi server kini ada di draf Anda.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="299"/>
        <source>Draft exported to %1.</source>
        <translation>Draf diekspor ke %1.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="307"/>
        <source>Export draft</source>
        <translation>Ekspor draf</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="308"/>
        <source>Text files (*.txt)</source>
        <translation>Berkas teks (*.txt)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="332"/>
        <source>The draft&apos;s text is queued as an internal note.</source>
        <translation>Teks draf diantrekan sebagai catatan internal.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="342"/>
        <source>Discard draft</source>
        <translation>Buang draf</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="343"/>
        <source>Discard this orphaned draft for good? Its text cannot be recovered. Export it first if you may need it.</source>
        <translation>Buang draf yatim ini selamanya? Teksnya tidak bisa dipulihkan. Ekspor dulu bila mungkin masih diperlukan.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="354"/>
        <source>Draft discarded.</source>
        <translation>Draf dibuang.</translation>
    </message>
</context>
<context>
    <name>ChoiceDialog</name>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="53"/>
        <source>Type to filter…</source>
        <translation>Ketik untuk menyaring…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="54"/>
        <source>Filter the choices</source>
        <translation>Saring pilihan</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="90"/>
        <source>Resolve a conflict</source>
        <translation>Selesaikan bentrok</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="94"/>
        <source>Common base</source>
        <translation>Versi dasar bersama</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="95"/>
        <source>Server version (theirs)</source>
        <translation>Versi server (mereka)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="96"/>
        <source>My version</source>
        <translation>Versi saya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="100"/>
        <source>(not known)</source>
        <translation>(tidak diketahui)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="107"/>
        <source>Keep &amp;mine</source>
        <translation>Pakai versi &amp;saya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="109"/>
        <source>Take the &amp;server&apos;s</source>
        <translation>Pakai versi se&amp;rver</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/attention_panel.py" line="111"/>
        <source>&amp;Park</source>
        <translation>&amp;Sisihkan</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="29"/>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="30"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="31"/>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="32"/>
        <source>Agency</source>
        <translation>Instansi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="33"/>
        <source>Copies to</source>
        <translation>Tembusan ke</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="34"/>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="35"/>
        <source>Last change</source>
        <translation>Perubahan terakhir</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="36"/>
        <source>Step deadline</source>
        <translation>Tenggat tahap</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="37"/>
        <source>Resolution deadline</source>
        <translation>Tenggat penyelesaian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="38"/>
        <source>Incident date</source>
        <translation>Tanggal kejadian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="39"/>
        <source>Location</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="40"/>
        <source>Classification</source>
        <translation>Klasifikasi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="41"/>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="42"/>
        <source>Priority</source>
        <translation>Prioritas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="43"/>
        <source>Reporter</source>
        <translation>Pelapor</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="44"/>
        <source>Flags</source>
        <translation>Penanda</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="45"/>
        <source>Tags</source>
        <translation>Label</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="46"/>
        <source>Assignee</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="139"/>
        <source>Select a complaint to see its details.</source>
        <translation>Pilih laporan untuk melihat rinciannya.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="140"/>
        <source>Complaint details</source>
        <translation>Rincian laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="141"/>
        <source>Complaint title</source>
        <translation>Judul laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="142"/>
        <source>Complaint text</source>
        <translation>Isi laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="143"/>
        <source>Conversation and history</source>
        <translation>Percakapan dan riwayat</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="144"/>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="146"/>
        <source>CONFIDENTIAL (RAHASIA): do not share, print or forward this content.</source>
        <translation>RAHASIA: jangan bagikan, cetak, atau teruskan isi laporan ini.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="154"/>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="158"/>
        <source>Conversation (%1)</source>
        <translation>Percakapan (%1)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="165"/>
        <source>Attachments (%1)</source>
        <translation>Lampiran (%1)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="210"/>
        <source>Confidential (rahasia)</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="212"/>
        <source>Anonymous (anonim)</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="238"/>
        <source>Anonymous reporter</source>
        <translation>Pelapor anonim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/detail_pane.py" line="252"/>
        <source>No replies, follow-ups or events yet.</source>
        <translation>Belum ada tanggapan, tindak lanjut, atau peristiwa.</translation>
    </message>
</context>
<context>
    <name>ExceptionHook</name>
    <message>
        <location filename="../../lapor_desk/ui/app.py" line="73"/>
        <source>Something unexpected went wrong. The details were written to the log file. Your work saved on this computer is safe.</source>
        <translation>Terjadi kesalahan yang tidak terduga. Rinciannya dicatat di berkas log. Pekerjaan Anda yang tersimpan di komputer ini tetap aman.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/app.py" line="90"/>
        <source>LAPOR! Desk: error</source>
        <translation>LAPOR! Desk: kesalahan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/app.py" line="93"/>
        <source>You can continue working or close the application.</source>
        <translation>Anda dapat melanjutkan pekerjaan atau menutup aplikasi.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/app.py" line="96"/>
        <source>&amp;Continue</source>
        <translation>&amp;Lanjutkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/app.py" line="99"/>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="141"/>
        <source>Website</source>
        <translation>Situs web</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="142"/>
        <source>SMS 1708</source>
        <translation>SMS 1708</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="143"/>
        <source>X/Twitter</source>
        <translation>X/Twitter</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="144"/>
        <source>Android app</source>
        <translation>Aplikasi Android</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="145"/>
        <source>iOS app</source>
        <translation>Aplikasi iOS</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="146"/>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="147"/>
        <source>Walk-in</source>
        <translation>Datang langsung</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="148"/>
        <source>Letter</source>
        <translation>Surat</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="149"/>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="156"/>
        <source>Reporter reply</source>
        <translation>Tanggapan pelapor</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="157"/>
        <source>Follow-up</source>
        <translation>Tindak lanjut</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="158"/>
        <source>Internal note</source>
        <translation>Catatan internal</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="159"/>
        <source>Event</source>
        <translation>Peristiwa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="166"/>
        <source>Low</source>
        <translation>Rendah</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="167"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="168"/>
        <source>High</source>
        <translation>Tinggi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="169"/>
        <source>Urgent</source>
        <translation>Mendesak</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="188"/>
        <source>1 working day overdue</source>
        <translation>terlambat 1 hari kerja</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="190"/>
        <source>%1 working days overdue</source>
        <translation>terlambat %1 hari kerja</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="194"/>
        <source>due today</source>
        <translation>hari ini</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="196"/>
        <source>1 working day left</source>
        <translation>1 hari kerja lagi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/formatting.py" line="198"/>
        <source>%1 working days left</source>
        <translation>%1 hari kerja lagi</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="80"/>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="81"/>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="82"/>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="83"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="84"/>
        <source>Deadline</source>
        <translation>Tenggat</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="85"/>
        <source>Assignee</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="86"/>
        <source>Flags</source>
        <translation>Penanda</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="207"/>
        <source>This column cannot be sorted</source>
        <translation>Kolom ini tidak dapat diurutkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="310"/>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="311"/>
        <source>A change was refused or conflicts: see the needs-attention list</source>
        <translation>Perubahan ditolak atau bentrok: lihat daftar perlu perhatian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="314"/>
        <source>Not sent yet</source>
        <translation>Belum terkirim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="315"/>
        <source>Changes saved here, sent at the next sync</source>
        <translation>Perubahan tersimpan di sini, dikirim pada sinkronisasi berikutnya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="317"/>
        <source>Confidential</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="319"/>
        <source>Confidential (rahasia): the content is not public</source>
        <translation>Rahasia: isi laporan tidak untuk publik</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="322"/>
        <source>Anonymous</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="324"/>
        <source>Anonymous (anonim): the reporter&apos;s identity is hidden</source>
        <translation>Anonim: identitas pelapor dirahasiakan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/inbox_model.py" line="331"/>
        <source>No flags</source>
        <translation>Tanpa penanda</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="101"/>
        <source>Sign in to LAPOR! Desk</source>
        <translation>Masuk ke LAPOR! Desk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="104"/>
        <source>Sign in with your LAPOR! account. Your password is not saved on this computer.</source>
        <translation>Masuk dengan akun LAPOR! Anda. Kata sandi tidak disimpan di komputer ini.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="107"/>
        <source>&amp;Server address:</source>
        <translation>Alamat &amp;server:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="108"/>
        <source>&amp;Username:</source>
        <translation>&amp;Nama pengguna:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="109"/>
        <source>&amp;Password:</source>
        <translation>&amp;Kata sandi:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="110"/>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="112"/>
        <source>Username</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="113"/>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="114"/>
        <source>Sign-in error</source>
        <translation>Kesalahan saat masuk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="116"/>
        <source>Sign &amp;in</source>
        <translation>&amp;Masuk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="117"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="131"/>
        <source>Please fill in the server address, username and password.</source>
        <translation>Isi alamat server, nama pengguna, dan kata sandi.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/login_dialog.py" line="163"/>
        <source>Sign-in failed because of an unexpected error. Details are in the log.</source>
        <translation>Gagal masuk karena kesalahan yang tidak terduga. Rinciannya ada di log.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="333"/>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="363"/>
        <source>LAPOR! Desk</source>
        <translation>LAPOR! Desk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="365"/>
        <source>demo (synthetic data)</source>
        <translation>demo (data sintetis)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="367"/>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="368"/>
        <source>&amp;Edit</source>
        <translation>&amp;Sunting</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="369"/>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="370"/>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="371"/>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="372"/>
        <source>&amp;Sync</source>
        <translation>&amp;Sinkronkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="373"/>
        <source>Sync with the server now (Ctrl+R, F5)</source>
        <translation>Sinkronkan dengan server sekarang (Ctrl+R, F5)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="374"/>
        <source>&amp;Find…</source>
        <translation>&amp;Cari…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="375"/>
        <source>&amp;Copy tracking IDs</source>
        <translation>&amp;Salin ID pelacakan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="376"/>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="377"/>
        <source>&amp;About LAPOR! Desk</source>
        <translation>&amp;Tentang LAPOR! Desk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="378"/>
        <source>Search complaints (Ctrl+F)…</source>
        <translation>Cari laporan (Ctrl+F)…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="379"/>
        <source>Search complaints</source>
        <translation>Cari laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="380"/>
        <source>Filter by status</source>
        <translation>Saring menurut status</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="381"/>
        <source>Complaint inbox</source>
        <translation>Kotak masuk laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="382"/>
        <source>Sync progress</source>
        <translation>Kemajuan sinkronisasi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="383"/>
        <source>DEMO: synthetic data</source>
        <translation>DEMO: data sintetis</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="384"/>
        <source>&amp;Approval queue</source>
        <translation>&amp;Antrean persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="385"/>
        <source>Approval queue</source>
        <translation>Antrean persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="387"/>
        <source>Response</source>
        <translation>Tanggapan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="487"/>
        <source>Copied %1 tracking IDs.</source>
        <translation>%1 ID pelacakan disalin.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="500"/>
        <source>1 complaint</source>
        <translation>1 laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="500"/>
        <source>%1 complaints</source>
        <translation>%1 laporan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="563"/>
        <source>Syncing…</source>
        <translation>Menyinkronkan…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="585"/>
        <source>%1 of %2 complaints · %3</source>
        <translation>%1 dari %2 laporan · %3</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="588"/>
        <source>%1 complaints · %2</source>
        <translation>%1 laporan · %2</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="616"/>
        <source>Sync finished: %1 received, %2 removed.</source>
        <translation>Sinkronisasi selesai: %1 diterima, %2 dihapus.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="695"/>
        <source>Last sync: %1</source>
        <translation>Sinkron terakhir: %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="696"/>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="701"/>
        <source>Pending: %1</source>
        <translation>Tertunda: %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="702"/>
        <source>Changes saved here and not yet sent</source>
        <translation>Perubahan yang tersimpan di sini dan belum terkirim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="703"/>
        <source>Needs attention: %1</source>
        <translation>Perlu perhatian: %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="704"/>
        <source>Conflicts, rejections and orphaned drafts</source>
        <translation>Konflik, penolakan, dan draf yatim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="713"/>
        <source>Connection not checked yet</source>
        <translation>Koneksi belum diperiksa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="715"/>
        <source>Not synced yet</source>
        <translation>Belum disinkronkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="719"/>
        <source>Online</source>
        <translation>Daring</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="721"/>
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="723"/>
        <source>Connection: %1</source>
        <translation>Koneksi: %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="755"/>
        <source>About LAPOR! Desk</source>
        <translation>Tentang LAPOR! Desk</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/main_window.py" line="758"/>
        <source>LAPOR! Desk: an offline-first desktop client for handling SP4N-LAPOR! public complaints.</source>
        <translation>LAPOR! Desk: aplikasi desktop yang tetap bekerja tanpa koneksi untuk menangani pengaduan publik SP4N-LAPOR!.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="175"/>
        <source>%1 new complaints assigned to you.</source>
        <translation>%1 pengaduan baru ditugaskan kepada Anda.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="177"/>
        <source>%1 drafts returned to you.</source>
        <translation>%1 draf dikembalikan kepada Anda.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="179"/>
        <source>%1 more complaints are due within 2 working days.</source>
        <translation>%1 pengaduan lagi jatuh tempo dalam 2 hari kerja.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="185"/>
        <source>LAPOR! Desk</source>
        <translation>LAPOR! Desk</translation>
    </message>
</context>
<context>
    <name>PowerFeatures</name>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="107"/>
        <source>Views</source>
        <translation>Tampilan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="108"/>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="109"/>
        <source>&amp;Triage</source>
        <translation>&amp;Triase</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="110"/>
        <source>&amp;Undo triage</source>
        <translation>&amp;Batalkan triase</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="111"/>
        <source>&amp;Redo triage</source>
        <translation>&amp;Ulangi triase</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="112"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="130"/>
        <source>Undone: %1 inverse changes queued.</source>
        <translation>Dibatalkan: %1 perubahan kebalikan diantrekan.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/power.py" line="131"/>
        <source>%1 changes queued; they are sent at the next sync.</source>
        <translation>%1 perubahan diantrekan; dikirim pada sinkronisasi berikutnya.</translation>
    </message>
</context>
<context>
    <name>ResponseEditor</name>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="191"/>
        <source>&amp;Template:</source>
        <translation>&amp;Templat:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="192"/>
        <source>Response template</source>
        <translation>Templat tanggapan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="193"/>
        <source>&amp;Insert template</source>
        <translation>&amp;Sisipkan templat</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="194"/>
        <source>Response text</source>
        <translation>Teks tanggapan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="196"/>
        <source>Write the follow-up for the reporter here. It is saved on this computer as you type.</source>
        <translation>Tulis tindak lanjut untuk pelapor di sini. Teks disimpan di komputer ini selagi Anda mengetik.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="198"/>
        <source>Su&amp;bmit for approval</source>
        <translation>Aj&amp;ukan untuk persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="199"/>
        <source>Submit for approval (Ctrl+Enter)</source>
        <translation>Ajukan untuk persetujuan (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="200"/>
        <location filename="../../lapor_desk/ui/response_editor.py" line="443"/>
        <source>Submit for approval</source>
        <translation>Ajukan untuk persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="201"/>
        <source>Substantive-answer check</source>
        <translation>Pemeriksaan jawaban substantif</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="202"/>
        <source>Checker findings</source>
        <translation>Temuan pemeriksa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="203"/>
        <source>Draft state</source>
        <translation>Status draf</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="396"/>
        <source>substantive</source>
        <translation>substantif</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="396"/>
        <source>not substantive yet</source>
        <translation>belum substantif</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="397"/>
        <source>Score %1/100 — %2</source>
        <translation>Skor %1/100 — %2</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="408"/>
        <source>Click or press Enter to select this place in the text</source>
        <translation>Klik atau tekan Enter untuk memilih bagian ini di teks</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="429"/>
        <source>The response is empty.</source>
        <translation>Tanggapan masih kosong.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="445"/>
        <source>The checker says this answer is not substantive yet (score %1/100). Submit it for approval anyway?</source>
        <translation>Menurut pemeriksa, jawaban ini belum substantif (skor %1/100). Tetap ajukan untuk persetujuan?</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="484"/>
        <source>Not saved yet…</source>
        <translation>Belum disimpan…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="486"/>
        <source>No draft yet</source>
        <translation>Belum ada draf</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="488"/>
        <source>Draft</source>
        <translation>Draf</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="489"/>
        <source>Submitted for approval</source>
        <translation>Diajukan untuk persetujuan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="490"/>
        <source>Approved</source>
        <translation>Disetujui</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="491"/>
        <source>Returned</source>
        <translation>Dikembalikan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="492"/>
        <source>Orphaned (no longer assigned)</source>
        <translation>Yatim (tidak lagi ditugaskan)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="495"/>
        <source>saved locally</source>
        <translation>tersimpan lokal</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="496"/>
        <source>sending</source>
        <translation>mengirim</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="497"/>
        <source>synced</source>
        <translation>tersinkron</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="498"/>
        <source>merged</source>
        <translation>tergabung</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="499"/>
        <source>conflict</source>
        <translation>konflik</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="500"/>
        <source>rejected</source>
        <translation>ditolak</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="501"/>
        <source>parked</source>
        <translation>disisihkan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="520"/>
        <source>This complaint left your scope or was closed. Your text is kept here (read only): copy it into a note for the new owner, or discard it from the needs-attention list.</source>
        <translation>Pengaduan ini sudah keluar dari lingkup Anda atau sudah ditutup. Teks Anda tetap disimpan di sini (hanya baca): salin ke catatan untuk pemilik baru, atau buang dari daftar perlu perhatian.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="525"/>
        <source>The reporter replied after this draft was last saved. Read the reply in the Conversation tab, adjust the answer if needed, then submit.</source>
        <translation>Pelapor membalas setelah draf ini terakhir disimpan. Baca balasannya di tab Percakapan, sesuaikan jawaban bila perlu, lalu ajukan.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/response_editor.py" line="531"/>
        <source>Returned by the supervisor: %1</source>
        <translation>Dikembalikan oleh atasan: %1</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="85"/>
        <source>Tracking ID</source>
        <translation>ID Pelacakan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="85"/>
        <source>Complaint</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="85"/>
        <source>Author</source>
        <translation>Penulis</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/approval_queue.py" line="86"/>
        <source>Submitted</source>
        <translation>Diajukan</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="51"/>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="54"/>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="57"/>
        <source>CA bundle file</source>
        <translation>Berkas bundel CA</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="58"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Telusuri…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="65"/>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="73"/>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="79"/>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="74"/>
        <source>Sync interval in minutes</source>
        <translation>Selang sinkronisasi dalam menit</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="80"/>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="81"/>
        <source>Lock after idle minutes</source>
        <translation>Kunci setelah menganggur (menit)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="82"/>
        <source>Show &amp;notifications after a sync</source>
        <translation>Tampilkan &amp;notifikasi setelah sinkronisasi</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="89"/>
        <source>&amp;Server address:</source>
        <translation>Alamat &amp;server:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="90"/>
        <source>CA &amp;bundle:</source>
        <translation>&amp;Bundel CA:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="91"/>
        <source>&amp;Language:</source>
        <translation>&amp;Bahasa:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="92"/>
        <source>S&amp;ync every:</source>
        <translation>Sinkron&amp;kan setiap:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="93"/>
        <source>Lock when &amp;idle after:</source>
        <translation>Kunci bila &amp;menganggur setelah:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="101"/>
        <source>A new server address applies at the next sign-in.</source>
        <translation>Alamat server baru berlaku pada masuk berikutnya.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="108"/>
        <source>CA bundle</source>
        <translation>Bundel CA</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="109"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Sertifikat (*.pem *.crt *.cer);;Semua berkas (*)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="126"/>
        <source>The server address must start with https://.</source>
        <translation>Alamat server harus diawali https://.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/settings_dialog.py" line="139"/>
        <source>The settings could not be saved: %1</source>
        <translation>Pengaturan tidak bisa disimpan: %1</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="163"/>
        <source>&amp;Assign to…</source>
        <translation>&amp;Tugaskan ke…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="164"/>
        <source>Set &amp;category…</source>
        <translation>Atur &amp;kategori…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="165"/>
        <source>Set &amp;priority…</source>
        <translation>Atur &amp;prioritas…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="166"/>
        <source>Set &amp;tags…</source>
        <translation>Atur &amp;label…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="167"/>
        <source>Request &amp;re-route…</source>
        <translation>Minta pe&amp;ngalihan…</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="222"/>
        <source>Select one or more complaints first.</source>
        <translation>Pilih satu atau beberapa pengaduan dulu.</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="245"/>
        <source>(nobody)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="248"/>
        <source>Assign</source>
        <translation>Tugaskan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="248"/>
        <source>Assign %1 complaints to:</source>
        <translation>Tugaskan %1 pengaduan kepada:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="250"/>
        <source>Assign %1</source>
        <translation>Tugaskan %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="261"/>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="262"/>
        <source>Category for %1 complaints:</source>
        <translation>Kategori untuk %1 pengaduan:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="265"/>
        <source>Set category of %1</source>
        <translation>Atur kategori %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="273"/>
        <source>Priority</source>
        <translation>Prioritas</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="273"/>
        <source>Priority for %1 complaints:</source>
        <translation>Prioritas untuk %1 pengaduan:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="276"/>
        <source>Set priority of %1</source>
        <translation>Atur prioritas %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="282"/>
        <source>Tags</source>
        <translation>Label</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="283"/>
        <source>Tags for %1 complaints, separated by commas:</source>
        <translation>Label untuk %1 pengaduan, dipisah koma:</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="292"/>
        <source>Set tags of %1</source>
        <translation>Atur label %1</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="303"/>
        <source>Request re-route</source>
        <translation>Minta pengalihan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="304"/>
        <source>Why is this not your agency&apos;s authority? The admin reads this reason (%1 complaints).</source>
        <translation>Mengapa ini bukan wewenang instansi Anda? Admin membaca alasan ini (%1 pengaduan).</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="324"/>
        <source>Confidential complaints</source>
        <translation>Pengaduan rahasia</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/triage.py" line="326"/>
        <source>%1 of the selected complaints are confidential (rahasia): #%2. Their content must only reach people allowed to see it. Forward them anyway?</source>
        <translation>%1 pengaduan terpilih bersifat rahasia: #%2. Isinya hanya boleh sampai ke orang yang berhak melihatnya. Tetap teruskan?</translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="93"/>
        <source>All</source>
        <translation>Semua</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="94"/>
        <source>My work</source>
        <translation>Pekerjaan saya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="95"/>
        <source>Unassigned</source>
        <translation>Belum ditugaskan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="96"/>
        <source>Overdue</source>
        <translation>Terlambat</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="97"/>
        <source>Due within 2 working days</source>
        <translation>Jatuh tempo ≤ 2 hari kerja</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="98"/>
        <source>Waiting for my approval</source>
        <translation>Menunggu persetujuan saya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="99"/>
        <source>Returned to me</source>
        <translation>Dikembalikan ke saya</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="100"/>
        <source>Needs attention</source>
        <translation>Perlu perhatian</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="128"/>
        <source>%1: %2 complaints</source>
        <translation>%1: %2 pengaduan</translation>
    </message>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="130"/>
        <source>Ctrl+%1</source>
        <translation>Ctrl+%1</translation>
    </message>
</context>
<context>
    <name>ViewsSidebar</name>
    <message>
        <location filename="../../lapor_desk/ui/views_sidebar.py" line="183"/>
        <source>Saved views</source>
        <translation>Tampilan tersimpan</translation>
    </message>
</context>
</TS>
