<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ApprovalQueue</name>
    <message numerus="yes">
        <source>Approve %n response(s), each exactly as shown?</source>
        <translation>
            <numerusform>Approve %n response, exactly as shown?</numerusform>
            <numerusform>Approve %n responses, each exactly as shown?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n change(s) on this computer have not reached the server yet.</source>
        <translation>
            <numerusform>%n change on this computer has not reached the server yet.</numerusform>
            <numerusform>%n changes on this computer have not reached the server yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n tracking ID(s).</source>
        <translation>
            <numerusform>Copied %n tracking ID.</numerusform>
            <numerusform>Copied %n tracking IDs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n complaint</numerusform>
            <numerusform>%n complaints</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>%n new complaint(s) assigned to you.</source>
        <translation>
            <numerusform>%n new complaint assigned to you.</numerusform>
            <numerusform>%n new complaints assigned to you.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of your response(s) approved.</source>
        <translation>
            <numerusform>%n of your response approved.</numerusform>
            <numerusform>%n of your responses approved.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more response(s) waiting for your approval.</source>
        <translation>
            <numerusform>%n more response waiting for your approval.</numerusform>
            <numerusform>%n more responses waiting for your approval.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n draft(s) returned to you.</source>
        <translation>
            <numerusform>%n draft returned to you.</numerusform>
            <numerusform>%n drafts returned to you.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more complaint(s) due within 2 working days.</source>
        <translation>
            <numerusform>%n more complaint is due within 2 working days.</numerusform>
            <numerusform>%n more complaints are due within 2 working days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PowerFeatures</name>
    <message numerus="yes">
        <source>Undone: %n inverse change(s) queued.</source>
        <translation>
            <numerusform>Undone: %n inverse change queued.</numerusform>
            <numerusform>Undone: %n inverse changes queued.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) queued; they are sent at the next sync.</source>
        <translation>
            <numerusform>%n change queued; it is sent at the next sync.</numerusform>
            <numerusform>%n changes queued; they are sent at the next sync.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message numerus="yes">
        <source>Assign %n complaint(s) to:</source>
        <translation>
            <numerusform>Assign %n complaint to:</numerusform>
            <numerusform>Assign %n complaints to:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Category for %n complaint(s):</source>
        <translation>
            <numerusform>Category for %n complaint:</numerusform>
            <numerusform>Category for %n complaints:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Priority for %n complaint(s):</source>
        <translation>
            <numerusform>Priority for %n complaint:</numerusform>
            <numerusform>Priority for %n complaints:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tags for %n complaint(s), separated by commas:</source>
        <translation>
            <numerusform>Tags for %n complaint, separated by commas:</numerusform>
            <numerusform>Tags for %n complaints, separated by commas:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message numerus="yes">
        <source>%1: %n complaint(s)</source>
        <translation>
            <numerusform>%1: %n complaint</numerusform>
            <numerusform>%1: %n complaints</numerusform>
        </translation>
    </message>
</context>
</TS>
