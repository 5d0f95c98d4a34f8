<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AndroidPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="614" />
        <source>Samsung Galaxy</source>
        <translation>Samsung Galaxy</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="615" />
        <source>Device Owner over USB, a Knox Mobile Enrollment profile, or a QR code.</source>
        <translation>Device Owner over USB, a Knox Mobile Enrollment profile, or a QR code.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="619" />
        <source>Device Owner over USB (adb)</source>
        <translation>Device Owner over USB (adb)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="620" />
        <source>Knox Mobile Enrollment (KME)</source>
        <translation>Knox Mobile Enrollment (KME)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="621" />
        <source>QR code at the welcome screen</source>
        <translation>QR code at the welcome screen</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="622" />
        <source>Method:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="631" />
        <source>Agent APK URL:</source>
        <translation>Agent APK URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="634" />
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="637" />
        <source>or agent APK file:</source>
        <translation>or agent APK file:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="638" />
        <source>Agent package:</source>
        <translation>Agent package:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="639" />
        <source>Admin receiver:</source>
        <translation>Admin receiver:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="640" />
        <source>APK SHA-256 (optional):</source>
        <translation>APK SHA-256 (optional):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="644" />
        <source>KME profile name:</source>
        <translation>KME profile name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="645" />
        <source>Company name:</source>
        <translation>Company name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="646" />
        <source>Custom JSON:</source>
        <translation>Custom JSON:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="649" />
        <source>Preview QR code</source>
        <translation>Preview QR code</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="663" />
        <source>Agent APK</source>
        <translation>Agent APK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="700" />
        <source>Agent APK: file not found</source>
        <translation>Agent APK: file not found</translation>
    </message>
</context>
<context>
    <name>BenchController</name>
    <message>
        <location filename="../../kitstation/ui/controller.py" line="185" />
        <source>Start the bench before scanning box labels.</source>
        <translation>Start the bench before scanning box labels.</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="127" />
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="128" />
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="129" />
        <source>Apply automatically</source>
        <translation>Apply automatically</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="140" />
        <source>Scan box label:</source>
        <translation>Scan box label:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="142" />
        <source>IMEI or serial number from the box barcode</source>
        <translation>IMEI or serial number from the box barcode</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="151" />
        <source>Attached</source>
        <translation>Attached</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="152" />
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="153" />
        <source>Your turn</source>
        <translation>Your turn</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="154" />
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="155" />
        <source>Awaiting ABM/KME</source>
        <translation>Awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="156" />
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="157" />
        <source>Per hour</source>
        <translation>Per hour</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="169" />
        <source>No devices attached. Plug devices into the hubs, or try the simulated bench.</source>
        <translation>No devices attached. Plug devices into the hubs, or try the simulated bench.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="172" />
        <source>Start the simulated bench</source>
        <translation>Start the simulated bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="205" />
        <location filename="../../kitstation/ui/bench_view.py" line="206" />
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="208" />
        <source>Blueprint — iOS: %1  |  Android: %2</source>
        <translation>Blueprint — iOS: %1  |  Android: %2</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../kitstation/ui/errors.py" line="64" />
        <source>Something went wrong: %1. The station keeps running; details are in the log file %2.</source>
        <translation>Something went wrong: %1. The station keeps running; details are in the log file %2.</translation>
    </message>
</context>
<context>
    <name>GuiSecrets</name>
    <message>
        <location filename="../../kitstation/ui/secrets.py" line="52" />
        <source>Secret needed</source>
        <translation>Secret needed</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../kitstation/ui/history.py" line="42" />
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="43" />
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="44" />
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="45" />
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="46" />
        <source>Serial</source>
        <translation>Serial</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="47" />
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="48" />
        <source>Blueprint</source>
        <translation>Blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="49" />
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="50" />
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="41" />
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="56" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="57" />
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="58" />
        <source>Running</source>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="59" />
        <source>Awaiting ABM/KME</source>
        <translation>Awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="60" />
        <source>Interrupted</source>
        <translation>Interrupted</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="61" />
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../../kitstation/ui/history.py" line="162" />
        <source>Serial, IMEI or model</source>
        <translation>Serial, IMEI or model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>All dates</source>
        <translation>All dates</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="165" />
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="168" />
        <source>All outcomes</source>
        <translation>All outcomes</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="172" />
        <source>Blueprint</source>
        <translation>Blueprint</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="174" />
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="176" />
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="177" />
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="229" />
        <source>%1 runs match; %2 loaded</source>
        <translation>%1 runs match; %2 loaded</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="416" />
        <location filename="../../kitstation/ui/wizard.py" line="470" />
        <source>Supervision identity</source>
        <translation>Supervision identity</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="417" />
        <source>Generate a new supervision identity or choose an existing one.</source>
        <translation>Generate a new supervision identity or choose an existing one.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="419" />
        <source>Generate a new supervision identity (kept in the station's store)</source>
        <translation>Generate a new supervision identity (kept in the station's store)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="420" />
        <source>Choose an existing supervision identity (.p12 file)</source>
        <translation>Choose an existing supervision identity (.p12 file)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="425" />
        <source>e.g. acme-supervision</source>
        <translation>e.g. acme-supervision</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="426" />
        <source>Identity name:</source>
        <translation>Identity name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="436" />
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="442" />
        <source>Passphrase secret name:</source>
        <translation>Passphrase secret name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="445" />
        <source>The passphrase is never saved: the station asks for it when the batch starts.</source>
        <translation>The passphrase is never saved: the station asks for it when the batch starts.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="459" />
        <source>This identity is in the station's store: it will be used.</source>
        <translation>This identity is in the station's store: it will be used.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="461" />
        <source>A new identity with this name is generated when the blueprint is saved.</source>
        <translation>A new identity with this name is generated when the blueprint is saved.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="486" />
        <source>Give an identity name or choose a file</source>
        <translation>Give an identity name or choose a file</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="488" />
        <source>Supervision identity: file not found</source>
        <translation>Supervision identity: file not found</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="120" />
        <source>Blueprint library</source>
        <translation>Blueprint library</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="130" />
        <source>Open file…</source>
        <translation>Open file…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="132" />
        <source>Use for the bench</source>
        <translation>Use for the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="134" />
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="167" />
        <source>Open blueprint</source>
        <translation>Open blueprint</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="53" />
        <source>KitStation — kitting station</source>
        <translation>KitStation — kitting station</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="63" />
        <source>Bench</source>
        <translation>Bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="64" />
        <location filename="../../kitstation/ui/main_window.py" line="82" />
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="69" />
        <source>&amp;Station</source>
        <translation>&amp;Station</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="70" />
        <source>Start the bench</source>
        <translation>Start the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="72" />
        <source>Start a simulated bench (8 devices)</source>
        <translation>Start a simulated bench (8 devices)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="74" />
        <source>Stop the bench</source>
        <translation>Stop the bench</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="76" />
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="77" />
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="78" />
        <source>&amp;Blueprints</source>
        <translation>&amp;Blueprints</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="79" />
        <source>New blueprint (Prepare wizard)…</source>
        <translation>New blueprint (Prepare wizard)…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="80" />
        <source>Blueprint library…</source>
        <translation>Blueprint library…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="81" />
        <source>&amp;Log</source>
        <translation>&amp;Log</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="83" />
        <source>Export a report…</source>
        <translation>Export a report…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="124" />
        <source>Simulated bench: these devices are not real (demo and training).</source>
        <translation>Simulated bench: these devices are not real (demo and training).</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="135" />
        <source>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</source>
        <translation>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="155" />
        <source>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</source>
        <translation>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="165" />
        <source>Preparation method</source>
        <translation>Preparation method</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="166" />
        <source>Choose the platforms and how the devices come under MDM.</source>
        <translation>Choose the platforms and how the devices come under MDM.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="170" />
        <source>e.g. CLOMO batch for ACME</source>
        <translation>e.g. CLOMO batch for ACME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="171" />
        <source>Blueprint name:</source>
        <translation>Blueprint name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="173" />
        <source>Customer:</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="175" />
        <source>Order reference:</source>
        <translation>Order reference:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="177" />
        <source>iPhone / iPad</source>
        <translation>iPhone / iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="179" />
        <source>Samsung Galaxy (Android)</source>
        <translation>Samsung Galaxy (Android)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="185" />
        <source>Manual configuration: make the device DEP (Add to DEP, supervise)</source>
        <translation>Manual configuration: make the device DEP (Add to DEP, supervise)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="186" />
        <source>Already a DEP device: check and record its cloud configuration</source>
        <translation>Already a DEP device: check and record its cloud configuration</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="187" />
        <source>Supervise only (not DEP); the device enrolls via Remote Management</source>
        <translation>Supervise only (not DEP); the device enrolls via Remote Management</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="188" />
        <source>Direct MDM profile install (unsupervised; user confirms)</source>
        <translation>Direct MDM profile install (unsupervised; user confirms)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="210" />
        <source>Blueprint name: must not be empty</source>
        <translation>Blueprint name: must not be empty</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="212" />
        <source>Choose at least one platform</source>
        <translation>Choose at least one platform</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="540" />
        <location filename="../../kitstation/ui/wizard.py" line="580" />
        <source>Network profile</source>
        <translation>Network profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="541" />
        <source>The Wi-Fi the devices join during setup.</source>
        <translation>The Wi-Fi the devices join during setup.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="543" />
        <source>No network profile</source>
        <translation>No network profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="544" />
        <source>Wi-Fi network:</source>
        <translation>Wi-Fi network:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="545" />
        <source>Import a network profile (.mobileconfig):</source>
        <translation>Import a network profile (.mobileconfig):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="554" />
        <source>Hidden network</source>
        <translation>Hidden network</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="555" />
        <source>Join automatically</source>
        <translation>Join automatically</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="557" />
        <source>Network name (SSID):</source>
        <translation>Network name (SSID):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="558" />
        <source>Security:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="559" />
        <source>Password secret name:</source>
        <translation>Password secret name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="563" />
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="571" />
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="604" />
        <source>Network profile: file not found</source>
        <translation>Network profile: file not found</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="224" />
        <source>Prepare options</source>
        <translation>Prepare options</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="225" />
        <source>As in Apple Configurator's Prepare. Prepare erases the device.</source>
        <translation>As in Apple Configurator's Prepare. Prepare erases the device.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="227" />
        <source>Add to Device Enrollment Program (DEP)</source>
        <translation>Add to Device Enrollment Program (DEP)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="228" />
        <source>Activate and complete enrollment</source>
        <translation>Activate and complete enrollment</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="229" />
        <source>Supervise devices</source>
        <translation>Supervise devices</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="230" />
        <source>Allow devices to pair with other computers</source>
        <translation>Allow devices to pair with other computers</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="231" />
        <source>Enable Shared iPad</source>
        <translation>Enable Shared iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="232" />
        <source>Erase the device first</source>
        <translation>Erase the device first</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="236" />
        <source>MDM enrollment profile (.mobileconfig):</source>
        <translation>MDM enrollment profile (.mobileconfig):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="239" />
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="251" />
        <source>MDM enrollment profile</source>
        <translation>MDM enrollment profile</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="267" />
        <source>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</source>
        <translation>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="271" />
        <source>Nothing is written to the device: the station reads and records its cloud configuration.</source>
        <translation>Nothing is written to the device: the station reads and records its cloud configuration.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="272" />
        <source>On the device, the Remote Management pane then applies the configuration.</source>
        <translation>On the device, the Remote Management pane then applies the configuration.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="273" />
        <source>The user confirms the profile installation on the device.</source>
        <translation>The user confirms the profile installation on the device.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="295" />
        <source>Manual configuration needs “Add to Device Enrollment Program”</source>
        <translation>Manual configuration needs “Add to Device Enrollment Program”</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="297" />
        <source>Manual configuration needs “Supervise devices”</source>
        <translation>Manual configuration needs “Supervise devices”</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="301" />
        <source>Direct MDM profile install needs the enrollment profile file</source>
        <translation>Direct MDM profile install needs the enrollment profile file</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="303" />
        <source>Enrollment profile: file not found</source>
        <translation>Enrollment profile: file not found</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="386" />
        <source>Organization</source>
        <translation>Organization</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="387" />
        <source>Shown on the device as the organization that manages it.</source>
        <translation>Shown on the device as the organization that manages it.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="392" />
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="393" />
        <source>Department:</source>
        <translation>Department:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="394" />
        <source>Phone:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="395" />
        <source>Email:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="396" />
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
</context>
<context>
    <name>PrepareWizard</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="802" />
        <source>Prepare — new blueprint</source>
        <translation>Prepare — new blueprint</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="201" />
        <source>Export a kitting report</source>
        <translation>Export a kitting report</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="206" />
        <source>KME device list (CSV)</source>
        <translation>KME device list (CSV)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="206" />
        <source>ABM serial list (CSV)</source>
        <translation>ABM serial list (CSV)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="208" />
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="210" />
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="218" />
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="237" />
        <source>Reports are not available in this installation.</source>
        <translation>Reports are not available in this installation.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="240" />
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="271" />
        <source>The report could not be written: %1</source>
        <translation>The report could not be written: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="275" />
        <source>Report written: %1</source>
        <translation>Report written: %1</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="318" />
        <source>MDM server</source>
        <translation>MDM server</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="319" />
        <source>The server definition: a name for you and the MDM vendor's enrollment URL.</source>
        <translation>The server definition: a name for you and the MDM vendor's enrollment URL.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="323" />
        <source>e.g. CLOMO MDM</source>
        <translation>e.g. CLOMO MDM</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="326" />
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="327" />
        <source>Host name or URL:</source>
        <translation>Host name or URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="330" />
        <source>Fetch certificates</source>
        <translation>Fetch certificates</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="336" />
        <source>Trust anchor certificates (tick the ones the devices must trust):</source>
        <translation>Trust anchor certificates (tick the ones the devices must trust):</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="349" />
        <source>Fetching…</source>
        <translation>Fetching…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="355" />
        <source>Could not fetch the certificates: %1</source>
        <translation>Could not fetch the certificates: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="357" />
        <source>%1 certificates</source>
        <translation>%1 certificates</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="48" />
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="52" />
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="56" />
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="58" />
        <source>Default: the SQLite file in the data folder</source>
        <translation>Default: the SQLite file in the data folder</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="59" />
        <source>Database URL:</source>
        <translation>Database URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="61" />
        <source>Technician:</source>
        <translation>Technician:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="65" />
        <source>Erases at once:</source>
        <translation>Erases at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="69" />
        <source>APK downloads at once:</source>
        <translation>APK downloads at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="73" />
        <source>iOS devices worked on at once:</source>
        <translation>iOS devices worked on at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="77" />
        <source>Android devices worked on at once:</source>
        <translation>Android devices worked on at once:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="82" />
        <source>slot=label, … (e.g. 1-1.2=Hub A port 2)</source>
        <translation>slot=label, … (e.g. 1-1.2=Hub A port 2)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="83" />
        <source>Slot names:</source>
        <translation>Slot names:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="85" />
        <source>The language changes at once; the database and limits apply when the bench starts.</source>
        <translation>The language changes at once; the database and limits apply when the bench starts.</translation>
    </message>
</context>
<context>
    <name>SkipPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="495" />
        <source>Setup Assistant</source>
        <translation>Setup Assistant</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="496" />
        <source>Untick the panes the user should see; ticked panes are skipped.</source>
        <translation>Untick the panes the user should see; ticked panes are skipped.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="499" />
        <source>Show all</source>
        <translation>Show all</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="500" />
        <source>Skip all</source>
        <translation>Skip all</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="508" />
        <source>Pane</source>
        <translation>Pane</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="508" />
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="508" />
        <source>iOS</source>
        <translation>iOS</translation>
    </message>
</context>
<context>
    <name>SlotState</name>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="59" />
        <source>Attached</source>
        <translation>Attached</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="60" />
        <source>Identifying</source>
        <translation>Identifying</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="61" />
        <source>Waiting for you</source>
        <translation>Waiting for you</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="62" />
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="63" />
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="64" />
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="65" />
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66" />
        <source>Done here, awaiting ABM/KME</source>
        <translation>Done here, awaiting ABM/KME</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="67" />
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="68" />
        <source>Interrupted</source>
        <translation>Interrupted</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="69" />
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="70" />
        <source>Unplugged</source>
        <translation>Unplugged</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="109" />
        <source>Assign the serial to the MDM server in Apple Business Manager</source>
        <translation>Assign the serial to the MDM server in Apple Business Manager</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="110" />
        <source>Approve and assign the device in the KME console</source>
        <translation>Approve and assign the device in the KME console</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="748" />
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="749" />
        <source>Check the blueprint, then save it.</source>
        <translation>Check the blueprint, then save it.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="752" />
        <source>Save as:</source>
        <translation>Save as:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="782" />
        <source>Save as: give a file name ending in .toml</source>
        <translation>Save as: give a file name ending in .toml</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="789" />
        <source>Cannot write the file: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
</context>
<context>
    <name>TimelineDialog</name>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="46" />
        <source>Timeline: %1</source>
        <translation>Timeline: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Attempt</source>
        <translation>Attempt</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="63" />
        <source>No steps recorded for this device yet.</source>
        <translation>No steps recorded for this device yet.</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="75" />
        <source>running</source>
        <translation>running</translation>
    </message>
</context>
</TS>
