<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AndroidPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="31"/>
        <source>Samsung Galaxy</source>
        <translation>Samsung Galaxy</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="32"/>
        <source>Device Owner over USB, a Knox Mobile Enrollment profile, or a QR code.</source>
        <translation>Device Owner over USB, a Knox Mobile Enrollment profile, or a QR code.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="36"/>
        <source>Device Owner over USB (adb)</source>
        <translation>Device Owner over USB (adb)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="37"/>
        <source>Knox Mobile Enrollment (KME)</source>
        <translation>Knox Mobile Enrollment (KME)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="38"/>
        <source>QR code at the welcome screen</source>
        <translation>QR code at the welcome screen</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="39"/>
        <source>Method:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="48"/>
        <source>Agent APK URL:</source>
        <translation>Agent APK URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="51"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="54"/>
        <source>or agent APK file:</source>
        <translation>or agent APK file:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="55"/>
        <source>Agent package:</source>
        <translation>Agent package:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="56"/>
        <source>Admin receiver:</source>
        <translation>Admin receiver:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="57"/>
        <source>APK SHA-256 (optional):</source>
        <translation>APK SHA-256 (optional):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="61"/>
        <source>KME profile name:</source>
        <translation>KME profile name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="62"/>
        <source>Company name:</source>
        <translation>Company name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="63"/>
        <source>Custom JSON:</source>
        <translation>Custom JSON:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="66"/>
        <source>Preview QR code</source>
        <translation>Preview QR code</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="80"/>
        <source>Agent APK</source>
        <translation>Agent APK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="114"/>
        <source>Agent APK: file not found</source>
        <translation>Agent APK: file not found</translation>
    </message>
</context>
<context>
    <name>BenchController</name>
    <message>
        <location filename="../../kitstation/ui/controller.py" line="198"/>
        <source>Start the bench before scanning box labels.</source>
        <translation>Start the bench before scanning box labels.</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <source>Import names CSV…</source>
        <translation>Import names CSV…</translation>
    </message>
    <message>
        <source>A CSV of device names for this batch (replaces the blueprint&apos;s own)</source>
        <translation>A CSV of device names for this batch (replaces the blueprint&apos;s own)</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 row</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 rows</translation>
    </message>
    <message>
        <source>Names: %1 (%2)</source>
        <translation>Names: %1 (%2)</translation>
    </message>
    <message>
        <source>Key column: %1 (matched against each device&apos;s serial number or IMEI)</source>
        <translation>Key column: %1 (matched against each device&apos;s serial number or IMEI)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="103"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="104"/>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="105"/>
        <source>Apply automatically</source>
        <translation>Apply automatically</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="117"/>
        <source>Which tiles come first</source>
        <translation>Which tiles come first</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="119"/>
        <source>Compact tiles</source>
        <translation>Compact tiles</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="120"/>
        <source>Smaller tiles: more devices on the screen</source>
        <translation>Smaller tiles: more devices on the screen</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="125"/>
        <source>Scan box label:</source>
        <translation>Scan box label:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="127"/>
        <source>IMEI or serial number from the box barcode</source>
        <translation>IMEI or serial number from the box barcode</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="136"/>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="137"/>
        <source>Identifying</source>
        <translation>Identifying</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="138"/>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="139"/>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="145"/>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="146"/>
        <source>Unplugged</source>
        <translation>Unplugged</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="147"/>
        <source>Done in the last hour</source>
        <translation>Done in the last hour</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="140"/>
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="141"/>
        <source>Your turn</source>
        <translation>Your turn</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="142"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="143"/>
        <source>Awaiting ABM/KME</source>
        <translation>Awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="144"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="168"/>
        <source>No devices attached. Plug devices into the hubs, or try the simulated bench.</source>
        <translation>No devices attached. Plug devices into the hubs, or try the simulated bench.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="171"/>
        <source>Start the simulated bench</source>
        <translation>Start the simulated bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="223"/>
        <location filename="../../kitstation/ui/bench_view.py" line="224"/>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="226"/>
        <source>Blueprint — iOS: %1  |  Android: %2</source>
        <translation>Blueprint — iOS: %1  |  Android: %2</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../kitstation/ui/errors.py" line="64"/>
        <source>Something went wrong: %1. The station keeps running; details are in the log file %2.</source>
        <translation>Something went wrong: %1. The station keeps running; details are in the log file %2.</translation>
    </message>
</context>
<context>
    <name>GuiSecrets</name>
    <message>
        <location filename="../../kitstation/ui/secrets.py" line="32"/>
        <source>Secret needed</source>
        <translation>Secret needed</translation>
    </message>
</context>
<context>
    <name>Handoff</name>
    <message>
        <source>Assign 1 device</source>
        <translation>Assign 1 device</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/handoff.py" line="136"/>
        <source>Assign %1 devices</source>
        <translation>Assign %1 devices</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/handoff.py" line="139"/>
        <source>Assign the finished devices the cloud has not taken yet: to the MDM server in Apple Business, or the KME profile in Knox Mobile Enrollment (one batch per blueprint)</source>
        <translation>Assign the finished devices the cloud has not taken yet: to the MDM server in Apple Business, or the KME profile in Knox Mobile Enrollment (one batch per blueprint)</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Device name</source>
        <translation>Device name</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="52"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="55"/>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="53"/>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="56"/>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="57"/>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="58"/>
        <source>Serial</source>
        <translation>Serial</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="59"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="60"/>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="61"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="62"/>
        <source>Blueprint</source>
        <translation>Blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="63"/>
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="54"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="51"/>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="84"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="85"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="86"/>
        <source>Running</source>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="87"/>
        <source>Awaiting ABM/KME</source>
        <translation>Awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="88"/>
        <source>Interrupted</source>
        <translation>Interrupted</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="89"/>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>1 run matches; %2 loaded</source>
        <translation>1 run matches; %2 loaded</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="230"/>
        <source>Serial, IMEI or model</source>
        <translation>Serial, IMEI or model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>All dates</source>
        <translation>All dates</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="233"/>
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="236"/>
        <source>All outcomes</source>
        <translation>All outcomes</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="240"/>
        <source>Blueprint</source>
        <translation>Blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="242"/>
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="244"/>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="245"/>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="247"/>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="248"/>
        <source>Refresh by itself while shown, when new runs are logged</source>
        <translation>Refresh by itself while shown, when new runs are logged</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="355"/>
        <source>%1 runs match; %2 loaded</source>
        <translation>%1 runs match; %2 loaded</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="158"/>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="212"/>
        <source>Supervision identity</source>
        <translation>Supervision identity</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="159"/>
        <source>Generate a new supervision identity or choose an existing one.</source>
        <translation>Generate a new supervision identity or choose an existing one.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="161"/>
        <source>Generate a new supervision identity (kept in the station&apos;s store)</source>
        <translation>Generate a new supervision identity (kept in the station&apos;s store)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="162"/>
        <source>Choose an existing supervision identity (.p12 file)</source>
        <translation>Choose an existing supervision identity (.p12 file)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="167"/>
        <source>e.g. acme-supervision</source>
        <translation>e.g. acme-supervision</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="168"/>
        <source>Identity name:</source>
        <translation>Identity name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="178"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="184"/>
        <source>Passphrase secret name:</source>
        <translation>Passphrase secret name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="187"/>
        <source>The passphrase is never saved: the station asks for it when the batch starts.</source>
        <translation>The passphrase is never saved: the station asks for it when the batch starts.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="201"/>
        <source>This identity is in the station&apos;s store: it will be used.</source>
        <translation>This identity is in the station&apos;s store: it will be used.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="203"/>
        <source>A new identity with this name is generated when the blueprint is saved.</source>
        <translation>A new identity with this name is generated when the blueprint is saved.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="234"/>
        <source>Give an identity name or choose a file</source>
        <translation>Give an identity name or choose a file</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="236"/>
        <source>Supervision identity: file not found</source>
        <translation>Supervision identity: file not found</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="123"/>
        <source>Blueprint library</source>
        <translation>Blueprint library</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="135"/>
        <source>Open file…</source>
        <translation>Open file…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="137"/>
        <source>Edit…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="139"/>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="141"/>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="143"/>
        <source>Use for the bench</source>
        <translation>Use for the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="145"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="187"/>
        <source>In use on the bench (%1)</source>
        <translation>In use on the bench (%1)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="200"/>
        <source>Open blueprint</source>
        <translation>Open blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="249"/>
        <source>This blueprint is in use on the bench: choose another one first.</source>
        <translation>This blueprint is in use on the bench: choose another one first.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="252"/>
        <source>Delete this blueprint?</source>
        <translation>Delete this blueprint?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="253"/>
        <source>%1 is deleted from the disk. Runs already in the log keep their record of it.</source>
        <translation>%1 is deleted from the disk. Runs already in the log keep their record of it.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="255"/>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="255"/>
        <source>Keep it</source>
        <translation>Keep it</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>1 device is being prepared. Stopping ends its run as interrupted; it resumes from the last finished step when the bench starts again.</source>
        <translation>1 device is being prepared. Stopping ends its run as interrupted; it resumes from the last finished step when the bench starts again.</translation>
    </message>
    <message>
        <source>1 device is being prepared. Quitting stops the bench: its run ends as interrupted and resumes when the station starts again.</source>
        <translation>1 device is being prepared. Quitting stops the bench: its run ends as interrupted and resumes when the station starts again.</translation>
    </message>
    <message>
        <source>Import names CSV…</source>
        <translation>Import names CSV…</translation>
    </message>
    <message>
        <source>The names CSV was not imported: %1</source>
        <translation>The names CSV was not imported: %1</translation>
    </message>
    <message>
        <source>Names CSV for this batch</source>
        <translation>Names CSV for this batch</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV files (*.csv);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="73"/>
        <source>KitStation — kitting station</source>
        <translation>KitStation — kitting station</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="84"/>
        <source>Bench</source>
        <translation>Bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="85"/>
        <location filename="../../kitstation/ui/main_window.py" line="104"/>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="90"/>
        <source>&amp;Station</source>
        <translation>&amp;Station</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="91"/>
        <source>Start the bench</source>
        <translation>Start the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="93"/>
        <source>Start a simulated bench (8 devices)</source>
        <translation>Start a simulated bench (8 devices)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="95"/>
        <location filename="../../kitstation/ui/main_window.py" line="274"/>
        <source>Stop the bench</source>
        <translation>Stop the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="97"/>
        <source>Hubs and ports…</source>
        <translation>Hubs and ports…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="98"/>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="99"/>
        <location filename="../../kitstation/ui/main_window.py" line="341"/>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="100"/>
        <source>&amp;Blueprints</source>
        <translation>&amp;Blueprints</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="101"/>
        <source>New blueprint (Prepare wizard)…</source>
        <translation>New blueprint (Prepare wizard)…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="102"/>
        <source>Blueprint library…</source>
        <translation>Blueprint library…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="103"/>
        <source>&amp;Log</source>
        <translation>&amp;Log</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="105"/>
        <source>Export a report…</source>
        <translation>Export a report…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="146"/>
        <source>Simulated bench: these devices are not real (demo and training).</source>
        <translation>Simulated bench: these devices are not real (demo and training).</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="157"/>
        <source>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</source>
        <translation>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="180"/>
        <source>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</source>
        <translation>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="220"/>
        <source>The blueprint could not be opened: %1</source>
        <translation>The blueprint could not be opened: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="237"/>
        <source>The bench is running with the blueprint “%1”. Devices already being prepared finish with it; “%2” is used for the next devices, and Ready devices start with it now (%3 on the bench).</source>
        <translation>The bench is running with the blueprint “%1”. Devices already being prepared finish with it; “%2” is used for the next devices, and Ready devices start with it now (%3 on the bench).</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="241"/>
        <source>Change the blueprint of a running bench?</source>
        <translation>Change the blueprint of a running bench?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="241"/>
        <source>Change the blueprint</source>
        <translation>Change the blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="242"/>
        <source>Keep the current one</source>
        <translation>Keep the current one</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="271"/>
        <source>Stop the bench?</source>
        <translation>Stop the bench?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="272"/>
        <source>%1 devices are being prepared. Stopping ends their runs as interrupted; they resume from the last finished step when the bench starts again.</source>
        <translation>%1 devices are being prepared. Stopping ends their runs as interrupted; they resume from the last finished step when the bench starts again.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="274"/>
        <location filename="../../kitstation/ui/main_window.py" line="341"/>
        <source>Keep running</source>
        <translation>Keep running</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="338"/>
        <source>Quit KitStation?</source>
        <translation>Quit KitStation?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="339"/>
        <source>%1 devices are being prepared. Quitting stops the bench: their runs end as interrupted and resume when the station starts again.</source>
        <translation>%1 devices are being prepared. Quitting stops the bench: their runs end as interrupted and resume when the station starts again.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="218"/>
        <source>%1: the blueprint passed its check</source>
        <translation>%1: the blueprint passed its check</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="222"/>
        <source>%1: the blueprint failed its check, no device will be touched:</source>
        <translation>%1: the blueprint failed its check, no device will be touched:</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="27"/>
        <source>Preparation method</source>
        <translation>Preparation method</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="28"/>
        <source>Choose the platforms and how the devices come under MDM.</source>
        <translation>Choose the platforms and how the devices come under MDM.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="32"/>
        <source>e.g. CLOMO batch for ACME</source>
        <translation>e.g. CLOMO batch for ACME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="33"/>
        <source>Blueprint name:</source>
        <translation>Blueprint name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="35"/>
        <source>Customer:</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="37"/>
        <source>Order reference:</source>
        <translation>Order reference:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="39"/>
        <source>iPhone / iPad</source>
        <translation>iPhone / iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="41"/>
        <source>Samsung Galaxy (Android)</source>
        <translation>Samsung Galaxy (Android)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="47"/>
        <source>Manual configuration: make the device DEP (Add to DEP, supervise)</source>
        <translation>Manual configuration: make the device DEP (Add to DEP, supervise)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="48"/>
        <source>Already a DEP device: check and record its cloud configuration</source>
        <translation>Already a DEP device: check and record its cloud configuration</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="49"/>
        <source>Supervise only (not DEP); the device enrolls via Remote Management</source>
        <translation>Supervise only (not DEP); the device enrolls via Remote Management</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="50"/>
        <source>Direct MDM profile install (unsupervised; user confirms)</source>
        <translation>Direct MDM profile install (unsupervised; user confirms)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="73"/>
        <source>Blueprint name: must not be empty</source>
        <translation>Blueprint name: must not be empty</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="75"/>
        <source>Choose at least one platform</source>
        <translation>Choose at least one platform</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="86"/>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="126"/>
        <source>Network profile</source>
        <translation>Network profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="87"/>
        <source>The Wi-Fi the devices join during setup.</source>
        <translation>The Wi-Fi the devices join during setup.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="89"/>
        <source>No network profile</source>
        <translation>No network profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="90"/>
        <source>Wi-Fi network:</source>
        <translation>Wi-Fi network:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="91"/>
        <source>Import a network profile (.mobileconfig):</source>
        <translation>Import a network profile (.mobileconfig):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="100"/>
        <source>Hidden network</source>
        <translation>Hidden network</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="101"/>
        <source>Join automatically</source>
        <translation>Join automatically</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="103"/>
        <source>Network name (SSID):</source>
        <translation>Network name (SSID):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="104"/>
        <source>Security:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="105"/>
        <source>Password secret name:</source>
        <translation>Password secret name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="109"/>
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="117"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="155"/>
        <source>Network profile: file not found</source>
        <translation>Network profile: file not found</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="76"/>
        <source>%1: done</source>
        <translation>%1: done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="77"/>
        <source>%1: failed — see the tile</source>
        <translation>%1: failed — see the tile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="78"/>
        <source>%1: your turn</source>
        <translation>%1: your turn</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="94"/>
        <source>Prepare options</source>
        <translation>Prepare options</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="95"/>
        <source>As in Apple Configurator&apos;s Prepare. Prepare erases the device.</source>
        <translation>As in Apple Configurator&apos;s Prepare. Prepare erases the device.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="97"/>
        <source>Add to Device Enrollment Program (DEP)</source>
        <translation>Add to Device Enrollment Program (DEP)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="98"/>
        <source>Activate and complete enrollment</source>
        <translation>Activate and complete enrollment</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="99"/>
        <source>Supervise devices</source>
        <translation>Supervise devices</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="100"/>
        <source>Allow devices to pair with other computers</source>
        <translation>Allow devices to pair with other computers</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="101"/>
        <source>Enable Shared iPad</source>
        <translation>Enable Shared iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="102"/>
        <source>Erase the device first</source>
        <translation>Erase the device first</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="106"/>
        <source>MDM enrollment profile (.mobileconfig):</source>
        <translation>MDM enrollment profile (.mobileconfig):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="109"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="122"/>
        <source>MDM enrollment profile</source>
        <translation>MDM enrollment profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="151"/>
        <source>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</source>
        <translation>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="155"/>
        <source>Nothing is written to the device: the station reads and records its cloud configuration.</source>
        <translation>Nothing is written to the device: the station reads and records its cloud configuration.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="156"/>
        <source>On the device, the Remote Management pane then applies the configuration.</source>
        <translation>On the device, the Remote Management pane then applies the configuration.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="157"/>
        <source>The user confirms the profile installation on the device.</source>
        <translation>The user confirms the profile installation on the device.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="174"/>
        <source>Manual configuration needs “Add to Device Enrollment Program”</source>
        <translation>Manual configuration needs “Add to Device Enrollment Program”</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="176"/>
        <source>Manual configuration needs “Supervise devices”</source>
        <translation>Manual configuration needs “Supervise devices”</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="180"/>
        <source>Direct MDM profile install needs the enrollment profile file</source>
        <translation>Direct MDM profile install needs the enrollment profile file</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="182"/>
        <source>Enrollment profile: file not found</source>
        <translation>Enrollment profile: file not found</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="125"/>
        <source>Organization</source>
        <translation>Organization</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="126"/>
        <source>Shown on the device as the organization that manages it.</source>
        <translation>Shown on the device as the organization that manages it.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="131"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="132"/>
        <source>Department:</source>
        <translation>Department:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="133"/>
        <source>Phone:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="134"/>
        <source>Email:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="135"/>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
</context>
<context>
    <name>PortMapDialog</name>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="84"/>
        <source>Hubs and ports</source>
        <translation>Hubs and ports</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="91"/>
        <source>Name each slot as its hub&apos;s sticker says (e.g. “Hub A · 2”); the names are kept in the log for this station and shown on the tiles.</source>
        <translation>Name each slot as its hub&apos;s sticker says (e.g. “Hub A · 2”); the names are kept in the log for this station and shown on the tiles.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>USB location</source>
        <translation>USB location</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Device now</source>
        <translation>Device now</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="107"/>
        <source>Print labels…</source>
        <translation>Print labels…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="119"/>
        <source>Start the bench to rename slots (names are kept per station in the log).</source>
        <translation>Start the bench to rename slots (names are kept per station in the log).</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="153"/>
        <source>The saved names could not be read: %1</source>
        <translation>The saved names could not be read: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="177"/>
        <source>Save the slot labels as</source>
        <translation>Save the slot labels as</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="192"/>
        <source>The labels could not be written: %1</source>
        <translation>The labels could not be written: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="194"/>
        <source>Labels written: %1</source>
        <translation>Labels written: %1</translation>
    </message>
</context>
<context>
    <name>PrepareWizard</name>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="178"/>
        <source>Prepare — new blueprint</source>
        <translation>Prepare — new blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="228"/>
        <source>Prepare — edit blueprint</source>
        <translation>Prepare — edit blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="294"/>
        <source>Discard this blueprint?</source>
        <translation>Discard this blueprint?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="295"/>
        <source>The answers typed in the wizard are not saved. Discard them?</source>
        <translation>The answers typed in the wizard are not saved. Discard them?</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="299"/>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="300"/>
        <source>Keep editing</source>
        <translation>Keep editing</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="284"/>
        <source>Export a kitting report</source>
        <translation>Export a kitting report</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="290"/>
        <source>KME device list (CSV)</source>
        <translation>KME device list (CSV)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="290"/>
        <source>ABM serial list (CSV)</source>
        <translation>ABM serial list (CSV)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="292"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="296"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="299"/>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="301"/>
        <source>Kitting report</source>
        <translation>Kitting report</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="303"/>
        <source>Title:</source>
        <translation>Title:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="305"/>
        <source>Default: the customers of the selected runs</source>
        <translation>Default: the customers of the selected runs</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="307"/>
        <source>Customer:</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="310"/>
        <source>Order reference:</source>
        <translation>Order reference:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="319"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="342"/>
        <source>Save the report as</source>
        <translation>Save the report as</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="356"/>
        <source>Reports are not available in this installation.</source>
        <translation>Reports are not available in this installation.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="360"/>
        <source>File: give the path of the report to write</source>
        <translation>File: give the path of the report to write</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="363"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="390"/>
        <source>The report could not be written: %1</source>
        <translation>The report could not be written: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="396"/>
        <source>Report written: %1</source>
        <translation>Report written: %1</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="37"/>
        <source>MDM server</source>
        <translation>MDM server</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="38"/>
        <source>The server definition: a name for you and the MDM vendor&apos;s enrollment URL.</source>
        <translation>The server definition: a name for you and the MDM vendor&apos;s enrollment URL.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="42"/>
        <source>e.g. CLOMO MDM</source>
        <translation>e.g. CLOMO MDM</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="45"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="46"/>
        <source>Host name or URL:</source>
        <translation>Host name or URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="49"/>
        <source>Fetch certificates</source>
        <translation>Fetch certificates</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="58"/>
        <source>Trust anchor certificates (tick the ones the devices must trust):</source>
        <translation>Trust anchor certificates (tick the ones the devices must trust):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="69"/>
        <source>Fetching…</source>
        <translation>Fetching…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="77"/>
        <source>Could not fetch the certificates: %1</source>
        <translation>Could not fetch the certificates: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="81"/>
        <source>%1 certificates</source>
        <translation>%1 certificates</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="51"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="55"/>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="59"/>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="61"/>
        <source>Default: the SQLite file in the data folder</source>
        <translation>Default: the SQLite file in the data folder</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="62"/>
        <source>Database URL:</source>
        <translation>Database URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="64"/>
        <source>Technician:</source>
        <translation>Technician:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="68"/>
        <source>Erases at once:</source>
        <translation>Erases at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="72"/>
        <source>APK downloads at once:</source>
        <translation>APK downloads at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="76"/>
        <source>iOS devices worked on at once:</source>
        <translation>iOS devices worked on at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="80"/>
        <source>Android devices worked on at once:</source>
        <translation>Android devices worked on at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="81"/>
        <source>Sound when a device is done, fails or needs you</source>
        <translation>Sound when a device is done, fails or needs you</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="84"/>
        <source>Desktop notifications for the same</source>
        <translation>Desktop notifications for the same</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="88"/>
        <source>The language changes at once; the database and limits apply when the bench starts.</source>
        <translation>The language changes at once; the database and limits apply when the bench starts.</translation>
    </message>
</context>
<context>
    <name>SkipPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="35"/>
        <source>Setup Assistant</source>
        <translation>Setup Assistant</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="36"/>
        <source>Untick the panes the user should see; ticked panes are skipped.</source>
        <translation>Untick the panes the user should see; ticked panes are skipped.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="39"/>
        <source>Show all</source>
        <translation>Show all</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="40"/>
        <source>Skip all</source>
        <translation>Skip all</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="48"/>
        <source>Pane</source>
        <translation>Pane</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="48"/>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="48"/>
        <source>iOS</source>
        <translation>iOS</translation>
    </message>
</context>
<context>
    <name>SlotState</name>
    <message>
        <source>Name: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66"/>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="265"/>
        <source>Slot: %1</source>
        <translation>Slot: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="62"/>
        <source>Attached</source>
        <translation>Attached</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="63"/>
        <source>Identifying</source>
        <translation>Identifying</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="64"/>
        <source>Waiting for you</source>
        <translation>Waiting for you</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="65"/>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66"/>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="67"/>
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="68"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="69"/>
        <source>Done here, awaiting ABM/KME</source>
        <translation>Done here, awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="70"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="71"/>
        <source>Interrupted</source>
        <translation>Interrupted</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="72"/>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="73"/>
        <source>Unplugged</source>
        <translation>Unplugged</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="112"/>
        <source>Assign the serial to the MDM server in Apple Business Manager</source>
        <translation>Assign the serial to the MDM server in Apple Business Manager</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="113"/>
        <source>Approve and assign the device in the KME console</source>
        <translation>Approve and assign the device in the KME console</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="117"/>
        <source>Not connected: restarting, or unplugged (%1)</source>
        <translation>Not connected: restarting, or unplugged (%1)</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="75"/>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="76"/>
        <source>Check the blueprint, then save it.</source>
        <translation>Check the blueprint, then save it.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="79"/>
        <source>Save as:</source>
        <translation>Save as:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="86"/>
        <source>Show the blueprint file (TOML)</source>
        <translation>Show the blueprint file (TOML)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="128"/>
        <source>Save as: give a file name ending in .toml</source>
        <translation>Save as: give a file name ending in .toml</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="137"/>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="159"/>
        <source>Cannot write the file: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
</context>
<context>
    <name>TileActions</name>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="51"/>
        <source>Apply the blueprint</source>
        <translation>Apply the blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="52"/>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="53"/>
        <source>Re-run even if done</source>
        <translation>Re-run even if done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="54"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="55"/>
        <source>Show timeline</source>
        <translation>Show timeline</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="56"/>
        <source>Copy serial / IMEI</source>
        <translation>Copy serial / IMEI</translation>
    </message>
</context>
<context>
    <name>TileOrder</name>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="33"/>
        <source>By hub and port</source>
        <translation>By hub and port</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="34"/>
        <source>Needs attention first</source>
        <translation>Needs attention first</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="35"/>
        <source>Only what needs attention</source>
        <translation>Only what needs attention</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="72"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="73"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="74"/>
        <source>Already done (skipped)</source>
        <translation>Already done (skipped)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="75"/>
        <source>Awaiting ABM/KME</source>
        <translation>Awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="76"/>
        <source>Interrupted</source>
        <translation>Interrupted</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="77"/>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="80"/>
        <source>Running</source>
        <translation>Running</translation>
    </message>
</context>
<context>
    <name>TimelineDialog</name>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="92"/>
        <source>Timeline: %1</source>
        <translation>Timeline: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Attempt</source>
        <translation>Attempt</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="107"/>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="127"/>
        <source>The timeline could not be read: %1</source>
        <translation>The timeline could not be read: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="132"/>
        <source>No steps recorded for this device yet.</source>
        <translation>No steps recorded for this device yet.</translation>
    </message>
</context>
<context>
    <name>Places</name>
    <message>
        <location filename="../../kitstation/ui/places.py" line="50"/>
        <source>Hub %1 · Port %2</source>
        <translation>Hub %1 · Port %2</translation>
    </message>
</context>
<context>
    <name>AndroidAppsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="207"/>
        <source>Galaxy apps</source>
        <translation>Galaxy apps</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="208"/>
        <source>Apps installed over USB after the Device Owner; runtime permissions granted to each; apps removed.</source>
        <translation>Apps installed over USB after the Device Owner; runtime permissions granted to each; apps removed.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>Package</source>
        <translation>Package</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>Version code</source>
        <translation>Version code</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>APK files</source>
        <translation>APK files</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="214"/>
        <source>Permissions to grant</source>
        <translation>Permissions to grant</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="217"/>
        <source>Add app (APK and its splits)…</source>
        <translation>Add app (APK and its splits)…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="219"/>
        <source>Remove from the list</source>
        <translation>Remove from the list</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="229"/>
        <source>Permissions to grant to the selected app (separated by commas):</source>
        <translation>Permissions to grant to the selected app (separated by commas):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="231"/>
        <source>Packages to remove from the device (separated by commas):</source>
        <translation>Packages to remove from the device (separated by commas):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="233"/>
        <source>Choose an app&apos;s base APK together with its split APKs: they are installed together.</source>
        <translation>Choose an app&apos;s base APK together with its split APKs: they are installed together.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="242"/>
        <source>Galaxy app</source>
        <translation>Galaxy app</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="258"/>
        <source>%1 is in the list already</source>
        <translation>%1 is in the list already</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="307"/>
        <source>Still reading the chosen files…</source>
        <translation>Still reading the chosen files…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="310"/>
        <source>%1: file not found</source>
        <translation>%1: file not found</translation>
    </message>
</context>
<context>
    <name>BatteryBox</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="74"/>
        <source>Battery</source>
        <translation>Battery</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="76"/>
        <source>Wait until the battery is charged enough before preparing</source>
        <translation>Wait until the battery is charged enough before preparing</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="84"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="86"/>
        <source>Minimum charge:</source>
        <translation>Minimum charge:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="87"/>
        <source>Wait at most:</source>
        <translation>Wait at most:</translation>
    </message>
</context>
<context>
    <name>GalaxySettingsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="32"/>
        <source>Galaxy settings</source>
        <translation>Galaxy settings</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="33"/>
        <source>Set over USB after the Device Owner, then read back from each phone.</source>
        <translation>Set over USB after the Device Owner, then read back from each phone.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="35"/>
        <source>Join a Wi-Fi network</source>
        <translation>Join a Wi-Fi network</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="41"/>
        <source>WPA2 Personal</source>
        <translation>WPA2 Personal</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="41"/>
        <source>WPA3 Personal</source>
        <translation>WPA3 Personal</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="42"/>
        <source>Open (no password)</source>
        <translation>Open (no password)</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="42"/>
        <source>Enhanced Open (OWE)</source>
        <translation>Enhanced Open (OWE)</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="45"/>
        <source>Network name (SSID):</source>
        <translation>Network name (SSID):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="46"/>
        <source>Security:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="47"/>
        <source>Password secret name:</source>
        <translation>Password secret name:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="48"/>
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="59"/>
        <source>Time zone (empty: do not change):</source>
        <translation>Time zone (empty: do not change):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="61"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="68"/>
        <source>Do not change</source>
        <translation>Do not change</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="63"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="115"/>
        <source>%1 seconds</source>
        <translation>%1 seconds</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="64"/>
        <source>%1 minutes</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="66"/>
        <source>Screen timeout:</source>
        <translation>Screen timeout:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="69"/>
        <source>On</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="70"/>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="71"/>
        <source>Stay awake while charging:</source>
        <translation>Stay awake while charging:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="123"/>
        <source>Network name (SSID): give the network&apos;s name, or untick “Join a Wi-Fi network”</source>
        <translation>Network name (SSID): give the network&apos;s name, or untick “Join a Wi-Fi network”</translation>
    </message>
</context>
<context>
    <name>IOSAppsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="116"/>
        <source>iPhone / iPad apps</source>
        <translation>iPhone / iPad apps</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="117"/>
        <source>Apps installed after Prepare (each file pinned by its SHA-256), and apps removed.</source>
        <translation>Apps installed after Prepare (each file pinned by its SHA-256), and apps removed.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>Bundle ID</source>
        <translation>Bundle ID</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="124"/>
        <source>Add app (.ipa)…</source>
        <translation>Add app (.ipa)…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="126"/>
        <source>Remove from the list</source>
        <translation>Remove from the list</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="134"/>
        <source>Bundle IDs to remove from the device (separated by commas):</source>
        <translation>Bundle IDs to remove from the device (separated by commas):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="142"/>
        <source>iOS app</source>
        <translation>iOS app</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="156"/>
        <source>%1 is in the list already</source>
        <translation>%1 is in the list already</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="189"/>
        <source>Still reading the chosen files…</source>
        <translation>Still reading the chosen files…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="192"/>
        <source>%1: file not found</source>
        <translation>%1: file not found</translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message>
        <source>1 label written to %2</source>
        <translation>1 label written to %2</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="43"/>
        <source>Print labels…</source>
        <translation>Print labels…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="72"/>
        <source>Print labels</source>
        <translation>Print labels</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="80"/>
        <source>Session (batch) number:</source>
        <translation>Session (batch) number:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="82"/>
        <source>62 × 29 mm label roll</source>
        <translation>62 × 29 mm label roll</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="82"/>
        <source>50 × 30 mm label roll</source>
        <translation>50 × 30 mm label roll</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="83"/>
        <source>A4 sheet, 3 × 8 labels</source>
        <translation>A4 sheet, 3 × 8 labels</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="85"/>
        <source>Label size:</source>
        <translation>Label size:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="89"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="92"/>
        <source>PDF file:</source>
        <translation>PDF file:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="99"/>
        <source>Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="105"/>
        <source>Labels PDF</source>
        <translation>Labels PDF</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="118"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="144"/>
        <source>Labels are not available in this build.</source>
        <translation>Labels are not available in this build.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="121"/>
        <source>No log is open: start the bench or open the history first.</source>
        <translation>No log is open: start the bench or open the history first.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="126"/>
        <source>PDF file: give a file name ending in .pdf</source>
        <translation>PDF file: give a file name ending in .pdf</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="129"/>
        <source>PDF file: the folder %1 does not exist</source>
        <translation>PDF file: the folder %1 does not exist</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="134"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="136"/>
        <source>%1 labels written to %2</source>
        <translation>%1 labels written to %2</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="142"/>
        <source>Session %1 has no devices to label.</source>
        <translation>Session %1 has no devices to label.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="146"/>
        <source>The labels could not be written: %1</source>
        <translation>The labels could not be written: %1</translation>
    </message>
</context>
<context>
    <name>NamesPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="51"/>
        <source>Device names</source>
        <translation>Device names</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="52"/>
        <source>Rename each device from a pattern; leave it empty to keep the devices&apos; names.</source>
        <translation>Rename each device from a pattern; leave it empty to keep the devices&apos; names.</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="58"/>
        <source>Name pattern:</source>
        <translation>Name pattern:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="61"/>
        <source>Serial number</source>
        <translation>Serial number</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="61"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="62"/>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="62"/>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="63"/>
        <source>Running number (001)</source>
        <translation>Running number (001)</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="68"/>
        <source>Insert:</source>
        <translation>Insert:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="72"/>
        <source>First number:</source>
        <translation>First number:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="75"/>
        <source>Preview:</source>
        <translation>Preview:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="78"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="80"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="85"/>
        <source>Names CSV (optional):</source>
        <translation>Names CSV (optional):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="87"/>
        <source>Key column (the device&apos;s serial number or IMEI):</source>
        <translation>Key column (the device&apos;s serial number or IMEI):</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="114"/>
        <source>Names CSV</source>
        <translation>Names CSV</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="129"/>
        <source>Names CSV: choose a file first</source>
        <translation>Names CSV: choose a file first</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="145"/>
        <source>Names CSV: %1</source>
        <translation>Names CSV: %1</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="206"/>
        <source>(the devices keep their names)</source>
        <translation>(the devices keep their names)</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="212"/>
        <source>unknown variable: %1</source>
        <translation>unknown variable: %1</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="218"/>
        <source>%1 → %2 (the batch&apos;s first device)</source>
        <translation>%1 → %2 (the batch&apos;s first device)</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="226"/>
        <source>Still reading the chosen files…</source>
        <translation>Still reading the chosen files…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="233"/>
        <source>Names CSV: press Import to read the file (or clear the field)</source>
        <translation>Names CSV: press Import to read the file (or clear the field)</translation>
    </message>
</context>
</TS>
