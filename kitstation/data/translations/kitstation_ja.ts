<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
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
        <translation>USB 経由のデバイスオーナー、Knox Mobile Enrollment プロファイル、または QR コード。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="36"/>
        <source>Device Owner over USB (adb)</source>
        <translation>USB 経由でデバイスオーナー化（adb）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="37"/>
        <source>Knox Mobile Enrollment (KME)</source>
        <translation>Knox Mobile Enrollment（KME）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="38"/>
        <source>QR code at the welcome screen</source>
        <translation>ようこそ画面で QR コード</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="39"/>
        <source>Method:</source>
        <translation>方式:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="48"/>
        <source>Agent APK URL:</source>
        <translation>エージェント APK の URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="51"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="54"/>
        <source>or agent APK file:</source>
        <translation>またはエージェント APK ファイル:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="55"/>
        <source>Agent package:</source>
        <translation>エージェントのパッケージ名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="56"/>
        <source>Admin receiver:</source>
        <translation>管理レシーバー:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="57"/>
        <source>APK SHA-256 (optional):</source>
        <translation>APK の SHA-256（任意）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="61"/>
        <source>KME profile name:</source>
        <translation>KME プロファイル名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="62"/>
        <source>Company name:</source>
        <translation>会社名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="63"/>
        <source>Custom JSON:</source>
        <translation>カスタム JSON:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="66"/>
        <source>Preview QR code</source>
        <translation>QR コードをプレビュー</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="80"/>
        <source>Agent APK</source>
        <translation>エージェント APK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/android_page.py" line="114"/>
        <source>Agent APK: file not found</source>
        <translation>エージェント APK: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>BenchController</name>
    <message>
        <location filename="../../kitstation/ui/controller.py" line="198"/>
        <source>Start the bench before scanning box labels.</source>
        <translation>箱ラベルをスキャンする前にベンチを開始してください。</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <source>Import names CSV…</source>
        <translation>名前の CSV を読み込む…</translation>
    </message>
    <message>
        <source>A CSV of device names for this batch (replaces the blueprint&apos;s own)</source>
        <translation>このバッチのデバイス名の CSV（ブループリントの CSV の代わりに使います）</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 行</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <source>Names: %1 (%2)</source>
        <translation>名前: %1（%2）</translation>
    </message>
    <message>
        <source>Key column: %1 (matched against each device&apos;s serial number or IMEI)</source>
        <translation>キー列: %1（各デバイスのシリアル番号または IMEI と照合します）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="103"/>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="104"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="105"/>
        <source>Apply automatically</source>
        <translation>自動で適用</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="117"/>
        <source>Which tiles come first</source>
        <translation>先頭に表示するタイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="119"/>
        <source>Compact tiles</source>
        <translation>小さいタイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="120"/>
        <source>Smaller tiles: more devices on the screen</source>
        <translation>タイルを小さくして、より多くのデバイスを画面に表示します</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="125"/>
        <source>Scan box label:</source>
        <translation>箱ラベルをスキャン:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="127"/>
        <source>IMEI or serial number from the box barcode</source>
        <translation>箱のバーコードの IMEI またはシリアル番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="136"/>
        <source>Devices</source>
        <translation>台数</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="137"/>
        <source>Identifying</source>
        <translation>識別中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="138"/>
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="139"/>
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="145"/>
        <source>Stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="146"/>
        <source>Unplugged</source>
        <translation>取り外し</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="147"/>
        <source>Done in the last hour</source>
        <translation>直近1時間の完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="140"/>
        <source>Working</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="141"/>
        <source>Your turn</source>
        <translation>要操作</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="142"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="143"/>
        <source>Awaiting ABM/KME</source>
        <translation>ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="144"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="168"/>
        <source>No devices attached. Plug devices into the hubs, or try the simulated bench.</source>
        <translation>デバイスが接続されていません。ハブにデバイスを接続するか、シミュレーションのベンチをお試しください。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="171"/>
        <source>Start the simulated bench</source>
        <translation>シミュレーションのベンチを開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="223"/>
        <location filename="../../kitstation/ui/bench_view.py" line="224"/>
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="226"/>
        <source>Blueprint — iOS: %1  |  Android: %2</source>
        <translation>ブループリント — iOS: %1  |  Android: %2</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../kitstation/ui/errors.py" line="64"/>
        <source>Something went wrong: %1. The station keeps running; details are in the log file %2.</source>
        <translation>問題が発生しました: %1。ステーションは動作を続けます。詳細はログファイル %2 にあります。</translation>
    </message>
</context>
<context>
    <name>GuiSecrets</name>
    <message>
        <location filename="../../kitstation/ui/secrets.py" line="32"/>
        <source>Secret needed</source>
        <translation>秘密情報の入力</translation>
    </message>
</context>
<context>
    <name>Handoff</name>
    <message>
        <source>Assign 1 device</source>
        <translation>1 台を割り当て</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/handoff.py" line="136"/>
        <source>Assign %1 devices</source>
        <translation>%1 台を割り当て</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/handoff.py" line="139"/>
        <source>Assign the finished devices the cloud has not taken yet: to the MDM server in Apple Business, or the KME profile in Knox Mobile Enrollment (one batch per blueprint)</source>
        <translation>クラウドがまだ受け付けていない完了済みの端末を割り当てます: Apple Business の MDM サーバ、または Knox Mobile Enrollment の KME プロファイルへ（ブループリントごとに一括）</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Device name</source>
        <translation>デバイス名</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="52"/>
        <source>Date</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="55"/>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="53"/>
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="56"/>
        <source>Platform</source>
        <translation>プラットフォーム</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="57"/>
        <source>Model</source>
        <translation>機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="58"/>
        <source>Serial</source>
        <translation>シリアル番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="59"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="60"/>
        <source>Slot</source>
        <translation>スロット</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="61"/>
        <source>Station</source>
        <translation>ステーション</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="62"/>
        <source>Blueprint</source>
        <translation>ブループリント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="63"/>
        <source>Technician</source>
        <translation>作業者</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="54"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="51"/>
        <source>Run</source>
        <translation>実行番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="84"/>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="85"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="86"/>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="87"/>
        <source>Awaiting ABM/KME</source>
        <translation>ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="88"/>
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="89"/>
        <source>Cancelled</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>1 run matches; %2 loaded</source>
        <translation>該当 1 件（読み込み済み %2 件）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="230"/>
        <source>Serial, IMEI or model</source>
        <translation>シリアル番号・IMEI・機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>All dates</source>
        <translation>全期間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="232"/>
        <source>Last 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="233"/>
        <source>Last 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="236"/>
        <source>All outcomes</source>
        <translation>すべての結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="240"/>
        <source>Blueprint</source>
        <translation>ブループリント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="242"/>
        <source>Technician</source>
        <translation>作業者</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="244"/>
        <source>Model</source>
        <translation>機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="245"/>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="247"/>
        <source>Live</source>
        <translation>自動更新</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="248"/>
        <source>Refresh by itself while shown, when new runs are logged</source>
        <translation>表示中は、新しい実行が記録されると自動で更新します</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="355"/>
        <source>%1 runs match; %2 loaded</source>
        <translation>該当 %1 件（読み込み済み %2 件）</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="158"/>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="212"/>
        <source>Supervision identity</source>
        <translation>監視識別情報</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="159"/>
        <source>Generate a new supervision identity or choose an existing one.</source>
        <translation>新しい監視識別情報を生成するか、既存の監視識別情報を選択します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="161"/>
        <source>Generate a new supervision identity (kept in the station&apos;s store)</source>
        <translation>新しい監視識別情報を生成（ステーションの識別情報ストアに保管）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="162"/>
        <source>Choose an existing supervision identity (.p12 file)</source>
        <translation>既存の監視識別情報を選択（.p12 ファイル）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="167"/>
        <source>e.g. acme-supervision</source>
        <translation>例: acme-supervision</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="168"/>
        <source>Identity name:</source>
        <translation>識別情報の名前:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="178"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="184"/>
        <source>Passphrase secret name:</source>
        <translation>パスフレーズのシークレット名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="187"/>
        <source>The passphrase is never saved: the station asks for it when the batch starts.</source>
        <translation>パスフレーズは保存されません。バッチ開始時にステーションが入力を求めます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="201"/>
        <source>This identity is in the station&apos;s store: it will be used.</source>
        <translation>この監視識別情報はステーションのストアにあります。これを使用します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="203"/>
        <source>A new identity with this name is generated when the blueprint is saved.</source>
        <translation>ブループリントの保存時に、この名前で新しい監視識別情報を生成します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="234"/>
        <source>Give an identity name or choose a file</source>
        <translation>識別情報の名前を入力するか、ファイルを選択してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="236"/>
        <source>Supervision identity: file not found</source>
        <translation>監視識別情報: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="123"/>
        <source>Blueprint library</source>
        <translation>ブループリントライブラリ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="135"/>
        <source>Open file…</source>
        <translation>ファイルを開く…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="137"/>
        <source>Edit…</source>
        <translation>編集…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="139"/>
        <source>Duplicate</source>
        <translation>複製</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="141"/>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="143"/>
        <source>Use for the bench</source>
        <translation>ベンチで使用</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="145"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="187"/>
        <source>In use on the bench (%1)</source>
        <translation>ベンチで使用中（%1）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="200"/>
        <source>Open blueprint</source>
        <translation>ブループリントを開く</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="249"/>
        <source>This blueprint is in use on the bench: choose another one first.</source>
        <translation>このブループリントはベンチで使用中です。先に別のブループリントを選んでください。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="252"/>
        <source>Delete this blueprint?</source>
        <translation>このブループリントを削除しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="253"/>
        <source>%1 is deleted from the disk. Runs already in the log keep their record of it.</source>
        <translation>%1 をディスクから削除します。ログにある実行の記録はそのまま残ります。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="255"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="255"/>
        <source>Keep it</source>
        <translation>残す</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>1 device is being prepared. Stopping ends its run as interrupted; it resumes from the last finished step when the bench starts again.</source>
        <translation>1 台のデバイスを処理中です。停止すると処理は「中断」となり、次にベンチを開始したときに最後に完了した手順から再開します。</translation>
    </message>
    <message>
        <source>1 device is being prepared. Quitting stops the bench: its run ends as interrupted and resumes when the station starts again.</source>
        <translation>1 台のデバイスを処理中です。終了するとベンチが停止し、処理は「中断」となります。ステーションを再び開始すると再開します。</translation>
    </message>
    <message>
        <source>Import names CSV…</source>
        <translation>名前の CSV を読み込む…</translation>
    </message>
    <message>
        <source>The names CSV was not imported: %1</source>
        <translation>名前の CSV を読み込みませんでした: %1</translation>
    </message>
    <message>
        <source>Names CSV for this batch</source>
        <translation>このバッチの名前の CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV ファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="73"/>
        <source>KitStation — kitting station</source>
        <translation>KitStation — キッティングステーション</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="84"/>
        <source>Bench</source>
        <translation>ベンチ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="85"/>
        <location filename="../../kitstation/ui/main_window.py" line="104"/>
        <source>History</source>
        <translation>履歴</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="90"/>
        <source>&amp;Station</source>
        <translation>ステーション(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="91"/>
        <source>Start the bench</source>
        <translation>ベンチを開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="93"/>
        <source>Start a simulated bench (8 devices)</source>
        <translation>シミュレーションのベンチを開始（8 台）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="95"/>
        <location filename="../../kitstation/ui/main_window.py" line="274"/>
        <source>Stop the bench</source>
        <translation>ベンチを停止</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="97"/>
        <source>Hubs and ports…</source>
        <translation>ハブとポート…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="98"/>
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="99"/>
        <location filename="../../kitstation/ui/main_window.py" line="341"/>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="100"/>
        <source>&amp;Blueprints</source>
        <translation>ブループリント(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="101"/>
        <source>New blueprint (Prepare wizard)…</source>
        <translation>新規ブループリント（準備アシスタント）…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="102"/>
        <source>Blueprint library…</source>
        <translation>ブループリントライブラリ…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="103"/>
        <source>&amp;Log</source>
        <translation>ログ(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="105"/>
        <source>Export a report…</source>
        <translation>レポートを書き出す…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="146"/>
        <source>Simulated bench: these devices are not real (demo and training).</source>
        <translation>シミュレーションのベンチ: これらは実機ではありません（デモ・研修用）。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="157"/>
        <source>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</source>
        <translation>デバイスが見つかりません。ハブにデバイスを接続するか、シミュレーションのベンチを開始すると実機なしで動作を確認できます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="180"/>
        <source>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</source>
        <translation>ステーションを開始できませんでした: %1。データベースの設定と USB 接続を確認してから、もう一度「開始」を押してください。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="220"/>
        <source>The blueprint could not be opened: %1</source>
        <translation>ブループリントを開けませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="237"/>
        <source>The bench is running with the blueprint “%1”. Devices already being prepared finish with it; “%2” is used for the next devices, and Ready devices start with it now (%3 on the bench).</source>
        <translation>ベンチはブループリント「%1」で動作中です。処理中のデバイスはそのまま「%1」で完了し、次のデバイスから「%2」を使います。準備完了のデバイスは今すぐ「%2」で開始します（対象 %3 台）。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="241"/>
        <source>Change the blueprint of a running bench?</source>
        <translation>動作中のベンチのブループリントを変更しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="241"/>
        <source>Change the blueprint</source>
        <translation>ブループリントを変更</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="242"/>
        <source>Keep the current one</source>
        <translation>現在のものを使い続ける</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="271"/>
        <source>Stop the bench?</source>
        <translation>ベンチを停止しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="272"/>
        <source>%1 devices are being prepared. Stopping ends their runs as interrupted; they resume from the last finished step when the bench starts again.</source>
        <translation>%1 台のデバイスを処理中です。停止すると処理は「中断」となり、次にベンチを開始したときに最後に完了した手順から再開します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="274"/>
        <location filename="../../kitstation/ui/main_window.py" line="341"/>
        <source>Keep running</source>
        <translation>続行する</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="338"/>
        <source>Quit KitStation?</source>
        <translation>KitStation を終了しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="339"/>
        <source>%1 devices are being prepared. Quitting stops the bench: their runs end as interrupted and resume when the station starts again.</source>
        <translation>%1 台のデバイスを処理中です。終了するとベンチが停止し、処理は「中断」となります。ステーションを再び開始すると再開します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="218"/>
        <source>%1: the blueprint passed its check</source>
        <translation>%1: ブループリントは事前チェックに合格しました</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="222"/>
        <source>%1: the blueprint failed its check, no device will be touched:</source>
        <translation>%1: ブループリントが事前チェックに失敗しました（デバイスには何もしません）:</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="27"/>
        <source>Preparation method</source>
        <translation>準備方法</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="28"/>
        <source>Choose the platforms and how the devices come under MDM.</source>
        <translation>対象のプラットフォームと、デバイスを MDM の管理下に置く方法を選択します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="32"/>
        <source>e.g. CLOMO batch for ACME</source>
        <translation>例: ACME 社向け CLOMO バッチ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="33"/>
        <source>Blueprint name:</source>
        <translation>ブループリント名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="35"/>
        <source>Customer:</source>
        <translation>顧客:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="37"/>
        <source>Order reference:</source>
        <translation>注文番号:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="39"/>
        <source>iPhone / iPad</source>
        <translation>iPhone／iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="41"/>
        <source>Samsung Galaxy (Android)</source>
        <translation>Samsung Galaxy（Android）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="47"/>
        <source>Manual configuration: make the device DEP (Add to DEP, supervise)</source>
        <translation>手動構成: デバイスを DEP にする（DEP に追加、監視対象にする）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="48"/>
        <source>Already a DEP device: check and record its cloud configuration</source>
        <translation>DEP 登録済みデバイス: クラウド構成を確認して記録する</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="49"/>
        <source>Supervise only (not DEP); the device enrolls via Remote Management</source>
        <translation>監視対象にするのみ（DEP なし）: デバイスはリモートマネージメントで登録</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="50"/>
        <source>Direct MDM profile install (unsupervised; user confirms)</source>
        <translation>MDM プロファイルを直接インストール（監視対象外、ユーザーが承認）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="73"/>
        <source>Blueprint name: must not be empty</source>
        <translation>ブループリント名: 空にはできません</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="75"/>
        <source>Choose at least one platform</source>
        <translation>プラットフォームを 1 つ以上選択してください</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="86"/>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="126"/>
        <source>Network profile</source>
        <translation>ネットワークプロファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="87"/>
        <source>The Wi-Fi the devices join during setup.</source>
        <translation>セットアップ中にデバイスが接続する Wi-Fi。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="89"/>
        <source>No network profile</source>
        <translation>ネットワークプロファイルなし</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="90"/>
        <source>Wi-Fi network:</source>
        <translation>Wi-Fi ネットワーク:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="91"/>
        <source>Import a network profile (.mobileconfig):</source>
        <translation>ネットワークプロファイルを読み込む（.mobileconfig）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="100"/>
        <source>Hidden network</source>
        <translation>非公開ネットワーク</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="101"/>
        <source>Join automatically</source>
        <translation>自動接続</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="103"/>
        <source>Network name (SSID):</source>
        <translation>ネットワーク名（SSID）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="104"/>
        <source>Security:</source>
        <translation>セキュリティ:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="105"/>
        <source>Password secret name:</source>
        <translation>パスワードのシークレット名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="109"/>
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>Wi-Fi パスワードはブループリントに書き込まれません。バッチ開始時に入力を求め、メモリ上にのみ保持します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="117"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="155"/>
        <source>Network profile: file not found</source>
        <translation>ネットワークプロファイル: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="76"/>
        <source>%1: done</source>
        <translation>%1: 完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="77"/>
        <source>%1: failed — see the tile</source>
        <translation>%1: 失敗 — タイルを確認してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/notify.py" line="78"/>
        <source>%1: your turn</source>
        <translation>%1: 操作が必要です</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="94"/>
        <source>Prepare options</source>
        <translation>準備オプション</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="95"/>
        <source>As in Apple Configurator&apos;s Prepare. Prepare erases the device.</source>
        <translation>Apple Configurator の「準備」と同じです。準備するとデバイスは消去されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="97"/>
        <source>Add to Device Enrollment Program (DEP)</source>
        <translation>Device Enrollment Program（DEP）に追加</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="98"/>
        <source>Activate and complete enrollment</source>
        <translation>アクティベートして登録を完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="99"/>
        <source>Supervise devices</source>
        <translation>デバイスを監視対象にする</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="100"/>
        <source>Allow devices to pair with other computers</source>
        <translation>ほかのコンピュータとのペアリングを許可</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="101"/>
        <source>Enable Shared iPad</source>
        <translation>共有 iPad を有効にする</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="102"/>
        <source>Erase the device first</source>
        <translation>最初にデバイスを消去</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="106"/>
        <source>MDM enrollment profile (.mobileconfig):</source>
        <translation>MDM 登録プロファイル（.mobileconfig）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="109"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="122"/>
        <source>MDM enrollment profile</source>
        <translation>MDM 登録プロファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="151"/>
        <source>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</source>
        <translation>ステーションはデバイス側の作業を Configurator と同じように行います。Apple Business Manager でシリアル番号を MDM サーバに割り当てる作業はその後 ABM で行います。デバイスは「ABM 割り当て待ち」として記録されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="155"/>
        <source>Nothing is written to the device: the station reads and records its cloud configuration.</source>
        <translation>デバイスには何も書き込みません。ステーションはクラウド構成を読み取って記録します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="156"/>
        <source>On the device, the Remote Management pane then applies the configuration.</source>
        <translation>その後、デバイスの「リモートマネジメント」画面で構成が適用されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="157"/>
        <source>The user confirms the profile installation on the device.</source>
        <translation>ユーザーがデバイス上でプロファイルのインストールを承認します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="174"/>
        <source>Manual configuration needs “Add to Device Enrollment Program”</source>
        <translation>手動構成には「Device Enrollment Program に追加」が必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="176"/>
        <source>Manual configuration needs “Supervise devices”</source>
        <translation>手動構成には「デバイスを監視対象にする」が必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="180"/>
        <source>Direct MDM profile install needs the enrollment profile file</source>
        <translation>MDM プロファイルの直接インストールには登録プロファイルのファイルが必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/method_pages.py" line="182"/>
        <source>Enrollment profile: file not found</source>
        <translation>登録プロファイル: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="125"/>
        <source>Organization</source>
        <translation>組織</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="126"/>
        <source>Shown on the device as the organization that manages it.</source>
        <translation>デバイスを管理する組織としてデバイスに表示されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="131"/>
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="132"/>
        <source>Department:</source>
        <translation>部署:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="133"/>
        <source>Phone:</source>
        <translation>電話番号:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="134"/>
        <source>Email:</source>
        <translation>メール:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="135"/>
        <source>Address:</source>
        <translation>住所:</translation>
    </message>
</context>
<context>
    <name>PortMapDialog</name>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="84"/>
        <source>Hubs and ports</source>
        <translation>ハブとポート</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="91"/>
        <source>Name each slot as its hub&apos;s sticker says (e.g. “Hub A · 2”); the names are kept in the log for this station and shown on the tiles.</source>
        <translation>各スロットにハブのシールと同じ名前を付けてください（例: 「ハブA · 2」）。名前はこのステーションのログに保存され、タイルに表示されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>USB location</source>
        <translation>USB の位置</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Hub</source>
        <translation>ハブ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="97"/>
        <source>Device now</source>
        <translation>接続中のデバイス</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="107"/>
        <source>Print labels…</source>
        <translation>ラベルを印刷…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="119"/>
        <source>Start the bench to rename slots (names are kept per station in the log).</source>
        <translation>スロット名を変更するにはベンチを開始してください（名前はステーションごとにログに保存されます）。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="153"/>
        <source>The saved names could not be read: %1</source>
        <translation>保存された名前を読み込めませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="177"/>
        <source>Save the slot labels as</source>
        <translation>スロットラベルの保存先</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="192"/>
        <source>The labels could not be written: %1</source>
        <translation>ラベルを書き出せませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/port_map.py" line="194"/>
        <source>Labels written: %1</source>
        <translation>ラベルを書き出しました: %1</translation>
    </message>
</context>
<context>
    <name>PrepareWizard</name>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="178"/>
        <source>Prepare — new blueprint</source>
        <translation>準備 — 新規ブループリント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="228"/>
        <source>Prepare — edit blueprint</source>
        <translation>準備 — ブループリントを編集</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="294"/>
        <source>Discard this blueprint?</source>
        <translation>このブループリントを破棄しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="295"/>
        <source>The answers typed in the wizard are not saved. Discard them?</source>
        <translation>ウィザードに入力した内容は保存されていません。破棄しますか？</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="299"/>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="300"/>
        <source>Keep editing</source>
        <translation>編集を続ける</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="284"/>
        <source>Export a kitting report</source>
        <translation>キッティングレポートを書き出す</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="290"/>
        <source>KME device list (CSV)</source>
        <translation>KME デバイス一覧（CSV）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="290"/>
        <source>ABM serial list (CSV)</source>
        <translation>ABM シリアル番号一覧（CSV）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="292"/>
        <source>Format:</source>
        <translation>形式:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="296"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="299"/>
        <source>File:</source>
        <translation>ファイル:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="301"/>
        <source>Kitting report</source>
        <translation>キッティングレポート</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="303"/>
        <source>Title:</source>
        <translation>タイトル:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="305"/>
        <source>Default: the customers of the selected runs</source>
        <translation>既定: 選択した実行の顧客</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="307"/>
        <source>Customer:</source>
        <translation>顧客:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="310"/>
        <source>Order reference:</source>
        <translation>注文番号:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="319"/>
        <source>Export</source>
        <translation>書き出す</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="342"/>
        <source>Save the report as</source>
        <translation>レポートの保存先</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="356"/>
        <source>Reports are not available in this installation.</source>
        <translation>この環境ではレポート機能を利用できません。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="360"/>
        <source>File: give the path of the report to write</source>
        <translation>ファイル: 書き出すレポートのパスを指定してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="363"/>
        <source>Exporting…</source>
        <translation>書き出し中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="390"/>
        <source>The report could not be written: %1</source>
        <translation>レポートを書き出せませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="396"/>
        <source>Report written: %1</source>
        <translation>レポートを書き出しました: %1</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="37"/>
        <source>MDM server</source>
        <translation>MDM サーバ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="38"/>
        <source>The server definition: a name for you and the MDM vendor&apos;s enrollment URL.</source>
        <translation>サーバ定義: 識別用の名前と、MDM ベンダーの登録 URL。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="42"/>
        <source>e.g. CLOMO MDM</source>
        <translation>例: CLOMO MDM</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="45"/>
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="46"/>
        <source>Host name or URL:</source>
        <translation>ホスト名または URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="49"/>
        <source>Fetch certificates</source>
        <translation>証明書を取得</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="58"/>
        <source>Trust anchor certificates (tick the ones the devices must trust):</source>
        <translation>信頼されたアンカー証明書（デバイスに信頼させる証明書にチェック）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="69"/>
        <source>Fetching…</source>
        <translation>取得中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="77"/>
        <source>Could not fetch the certificates: %1</source>
        <translation>証明書を取得できませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/server_pages.py" line="81"/>
        <source>%1 certificates</source>
        <translation>証明書 %1 件</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="51"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="55"/>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="59"/>
        <source>Language:</source>
        <translation>言語:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="61"/>
        <source>Default: the SQLite file in the data folder</source>
        <translation>既定: データフォルダ内の SQLite ファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="62"/>
        <source>Database URL:</source>
        <translation>データベース URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="64"/>
        <source>Technician:</source>
        <translation>作業者:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="68"/>
        <source>Erases at once:</source>
        <translation>同時に消去する台数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="72"/>
        <source>APK downloads at once:</source>
        <translation>同時 APK ダウンロード数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="76"/>
        <source>iOS devices worked on at once:</source>
        <translation>同時に処理する iOS デバイス数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="80"/>
        <source>Android devices worked on at once:</source>
        <translation>同時に処理する Android デバイス数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="81"/>
        <source>Sound when a device is done, fails or needs you</source>
        <translation>デバイスの完了・失敗・要操作を音で知らせる</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="84"/>
        <source>Desktop notifications for the same</source>
        <translation>同じ内容をデスクトップ通知でも知らせる</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="88"/>
        <source>The language changes at once; the database and limits apply when the bench starts.</source>
        <translation>言語はすぐに切り替わります。データベースと同時処理数はベンチ開始時に適用されます。</translation>
    </message>
</context>
<context>
    <name>SkipPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="35"/>
        <source>Setup Assistant</source>
        <translation>設定アシスタント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="36"/>
        <source>Untick the panes the user should see; ticked panes are skipped.</source>
        <translation>ユーザーに表示する画面のチェックを外してください。チェックした画面はスキップされます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="39"/>
        <source>Show all</source>
        <translation>すべて表示</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="40"/>
        <source>Skip all</source>
        <translation>すべてスキップ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="48"/>
        <source>Pane</source>
        <translation>画面</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/setup_pages.py" line="48"/>
        <source>Key</source>
        <translation>キー</translation>
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
        <translation>名前: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66"/>
        <source>about %1 left</source>
        <translation>残り約 %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="265"/>
        <source>Slot: %1</source>
        <translation>スロット: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="62"/>
        <source>Attached</source>
        <translation>接続中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="63"/>
        <source>Identifying</source>
        <translation>識別中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="64"/>
        <source>Waiting for you</source>
        <translation>操作待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="65"/>
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66"/>
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="67"/>
        <source>Working</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="68"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="69"/>
        <source>Done here, awaiting ABM/KME</source>
        <translation>ステーション側完了・ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="70"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="71"/>
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="72"/>
        <source>Cancelled</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="73"/>
        <source>Unplugged</source>
        <translation>取り外し済み</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="112"/>
        <source>Assign the serial to the MDM server in Apple Business Manager</source>
        <translation>Apple Business Manager でシリアル番号を MDM サーバに割り当ててください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="113"/>
        <source>Approve and assign the device in the KME console</source>
        <translation>KME コンソールでデバイスを承認し、プロファイルを割り当ててください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="117"/>
        <source>Not connected: restarting, or unplugged (%1)</source>
        <translation>接続されていません: 再起動中、または取り外されました（%1）</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="75"/>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="76"/>
        <source>Check the blueprint, then save it.</source>
        <translation>ブループリントを確認して保存します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="79"/>
        <source>Save as:</source>
        <translation>保存先:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="86"/>
        <source>Show the blueprint file (TOML)</source>
        <translation>ブループリントファイル（TOML）を表示</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="128"/>
        <source>Save as: give a file name ending in .toml</source>
        <translation>保存先: .toml で終わるファイル名を指定してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="137"/>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard/summary.py" line="159"/>
        <source>Cannot write the file: %1</source>
        <translation>ファイルを書き込めません: %1</translation>
    </message>
</context>
<context>
    <name>TileActions</name>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="51"/>
        <source>Apply the blueprint</source>
        <translation>ブループリントを適用</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="52"/>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="53"/>
        <source>Re-run even if done</source>
        <translation>完了済みでも再実行</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="54"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="55"/>
        <source>Show timeline</source>
        <translation>タイムラインを表示</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_actions.py" line="56"/>
        <source>Copy serial / IMEI</source>
        <translation>シリアル番号／IMEI をコピー</translation>
    </message>
</context>
<context>
    <name>TileOrder</name>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="33"/>
        <source>By hub and port</source>
        <translation>ハブとポートの順</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="34"/>
        <source>Needs attention first</source>
        <translation>要対応を先頭に</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/tile_order.py" line="35"/>
        <source>Only what needs attention</source>
        <translation>要対応のみ</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="72"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="73"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="74"/>
        <source>Already done (skipped)</source>
        <translation>完了済み（スキップ）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="75"/>
        <source>Awaiting ABM/KME</source>
        <translation>ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="76"/>
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="77"/>
        <source>Cancelled</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="80"/>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
</context>
<context>
    <name>TimelineDialog</name>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="92"/>
        <source>Timeline: %1</source>
        <translation>タイムライン: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Attempt</source>
        <translation>試行</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="101"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="107"/>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="127"/>
        <source>The timeline could not be read: %1</source>
        <translation>タイムラインを読み込めませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/timeline.py" line="132"/>
        <source>No steps recorded for this device yet.</source>
        <translation>このデバイスのステップはまだ記録されていません。</translation>
    </message>
</context>
<context>
    <name>Places</name>
    <message>
        <location filename="../../kitstation/ui/places.py" line="50"/>
        <source>Hub %1 · Port %2</source>
        <translation>ハブ %1 · ポート %2</translation>
    </message>
</context>
<context>
    <name>AndroidAppsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="207"/>
        <source>Galaxy apps</source>
        <translation>Galaxy アプリ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="208"/>
        <source>Apps installed over USB after the Device Owner; runtime permissions granted to each; apps removed.</source>
        <translation>デバイスオーナー化のあと USB 経由でインストールするアプリ、各アプリに付与する実行時の権限、削除するアプリ。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>Package</source>
        <translation>パッケージ名</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>Version code</source>
        <translation>バージョンコード</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="213"/>
        <source>APK files</source>
        <translation>APK ファイル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="214"/>
        <source>Permissions to grant</source>
        <translation>付与する権限</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="217"/>
        <source>Add app (APK and its splits)…</source>
        <translation>アプリを追加（APK と分割 APK）…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="219"/>
        <source>Remove from the list</source>
        <translation>一覧から外す</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="229"/>
        <source>Permissions to grant to the selected app (separated by commas):</source>
        <translation>選択したアプリに付与する権限（カンマ区切り）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="231"/>
        <source>Packages to remove from the device (separated by commas):</source>
        <translation>デバイスから削除するパッケージ（カンマ区切り）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="233"/>
        <source>Choose an app&apos;s base APK together with its split APKs: they are installed together.</source>
        <translation>アプリのベース APK と分割 APK をまとめて選んでください（一緒にインストールされます）。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="242"/>
        <source>Galaxy app</source>
        <translation>Galaxy アプリ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="258"/>
        <source>%1 is in the list already</source>
        <translation>%1 はすでに一覧にあります</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="307"/>
        <source>Still reading the chosen files…</source>
        <translation>選んだファイルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="310"/>
        <source>%1: file not found</source>
        <translation>%1: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>BatteryBox</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="74"/>
        <source>Battery</source>
        <translation>バッテリー</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="76"/>
        <source>Wait until the battery is charged enough before preparing</source>
        <translation>準備の前に、バッテリーが十分に充電されるまで待つ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="84"/>
        <source> min</source>
        <translation> 分</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="86"/>
        <source>Minimum charge:</source>
        <translation>バッテリー残量の下限:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/common.py" line="87"/>
        <source>Wait at most:</source>
        <translation>最大待ち時間:</translation>
    </message>
</context>
<context>
    <name>GalaxySettingsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="32"/>
        <source>Galaxy settings</source>
        <translation>Galaxy の設定</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="33"/>
        <source>Set over USB after the Device Owner, then read back from each phone.</source>
        <translation>デバイスオーナー化のあと USB 経由で設定し、各端末から読み戻して確認します。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="35"/>
        <source>Join a Wi-Fi network</source>
        <translation>Wi-Fi ネットワークに接続</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="41"/>
        <source>WPA2 Personal</source>
        <translation>WPA2 パーソナル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="41"/>
        <source>WPA3 Personal</source>
        <translation>WPA3 パーソナル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="42"/>
        <source>Open (no password)</source>
        <translation>オープン（パスワードなし）</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="42"/>
        <source>Enhanced Open (OWE)</source>
        <translation>拡張オープン</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="45"/>
        <source>Network name (SSID):</source>
        <translation>ネットワーク名（SSID）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="46"/>
        <source>Security:</source>
        <translation>セキュリティ:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="47"/>
        <source>Password secret name:</source>
        <translation>パスワードのシークレット名:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="48"/>
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>Wi-Fi のパスワードはブループリントに書き込まれません。バッチの開始時に入力を求め、メモリ上にのみ保持します。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="59"/>
        <source>Time zone (empty: do not change):</source>
        <translation>タイムゾーン（空欄: 変更しない）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="61"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="68"/>
        <source>Do not change</source>
        <translation>変更しない</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="63"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="115"/>
        <source>%1 seconds</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="64"/>
        <source>%1 minutes</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="66"/>
        <source>Screen timeout:</source>
        <translation>画面のタイムアウト:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="69"/>
        <source>On</source>
        <translation>オン</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="70"/>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="71"/>
        <source>Stay awake while charging:</source>
        <translation>充電中はスリープモードにしない:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/galaxy_page.py" line="123"/>
        <source>Network name (SSID): give the network&apos;s name, or untick “Join a Wi-Fi network”</source>
        <translation>ネットワーク名（SSID）: ネットワーク名を入力するか、「Wi-Fi ネットワークに接続」のチェックを外してください</translation>
    </message>
</context>
<context>
    <name>IOSAppsPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="116"/>
        <source>iPhone / iPad apps</source>
        <translation>iPhone / iPad のアプリ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="117"/>
        <source>Apps installed after Prepare (each file pinned by its SHA-256), and apps removed.</source>
        <translation>準備のあとにインストールするアプリ（各ファイルを SHA-256 で固定）と、削除するアプリ。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>Bundle ID</source>
        <translation>バンドル ID</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="121"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="124"/>
        <source>Add app (.ipa)…</source>
        <translation>iOS アプリを追加…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="126"/>
        <source>Remove from the list</source>
        <translation>一覧から外す</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="134"/>
        <source>Bundle IDs to remove from the device (separated by commas):</source>
        <translation>デバイスから削除するバンドル ID（カンマ区切り）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="142"/>
        <source>iOS app</source>
        <translation>iOS アプリ</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="156"/>
        <source>%1 is in the list already</source>
        <translation>%1 はすでに一覧にあります</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="189"/>
        <source>Still reading the chosen files…</source>
        <translation>選んだファイルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/apps_pages.py" line="192"/>
        <source>%1: file not found</source>
        <translation>%1: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message>
        <source>1 label written to %2</source>
        <translation>1 枚のラベルを %2 に書き出しました</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="43"/>
        <source>Print labels…</source>
        <translation>ラベルを印刷…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="72"/>
        <source>Print labels</source>
        <translation>ラベルを印刷</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="80"/>
        <source>Session (batch) number:</source>
        <translation>セッション（バッチ）番号:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="82"/>
        <source>62 × 29 mm label roll</source>
        <translation>62 × 29 mm ロールラベル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="82"/>
        <source>50 × 30 mm label roll</source>
        <translation>50 × 30 mm ロールラベル</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="83"/>
        <source>A4 sheet, 3 × 8 labels</source>
        <translation>A4 シート（3 × 8 面）</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="85"/>
        <source>Label size:</source>
        <translation>ラベルのサイズ:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="89"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="92"/>
        <source>PDF file:</source>
        <translation>PDF ファイル:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="99"/>
        <source>Print</source>
        <translation>印刷</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="105"/>
        <source>Labels PDF</source>
        <translation>ラベルの PDF</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="118"/>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="144"/>
        <source>Labels are not available in this build.</source>
        <translation>このビルドではラベルを使用できません。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="121"/>
        <source>No log is open: start the bench or open the history first.</source>
        <translation>ログが開かれていません。先にベンチを開始するか、履歴を開いてください。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="126"/>
        <source>PDF file: give a file name ending in .pdf</source>
        <translation>PDF ファイル: .pdf で終わるファイル名を指定してください</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="129"/>
        <source>PDF file: the folder %1 does not exist</source>
        <translation>PDF ファイル: フォルダ %1 がありません</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="134"/>
        <source>Printing…</source>
        <translation>印刷しています…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="136"/>
        <source>%1 labels written to %2</source>
        <translation>%1 枚のラベルを %2 に書き出しました</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="142"/>
        <source>Session %1 has no devices to label.</source>
        <translation>セッション %1 にはラベルを印刷するデバイスがありません。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/labels.py" line="146"/>
        <source>The labels could not be written: %1</source>
        <translation>ラベルを書き出せませんでした: %1</translation>
    </message>
</context>
<context>
    <name>NamesPage</name>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="51"/>
        <source>Device names</source>
        <translation>デバイス名</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="52"/>
        <source>Rename each device from a pattern; leave it empty to keep the devices&apos; names.</source>
        <translation>パターンから各デバイスの名前を付けます。空欄のままにするとデバイスの名前は変わりません。</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="58"/>
        <source>Name pattern:</source>
        <translation>名前のパターン:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="61"/>
        <source>Serial number</source>
        <translation>シリアル番号</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="61"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="62"/>
        <source>Slot</source>
        <translation>スロット</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="62"/>
        <source>Model</source>
        <translation>機種</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="63"/>
        <source>Running number (001)</source>
        <translation>連番（001）</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="68"/>
        <source>Insert:</source>
        <translation>挿入:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="72"/>
        <source>First number:</source>
        <translation>開始番号:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="75"/>
        <source>Preview:</source>
        <translation>プレビュー:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="78"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="80"/>
        <source>Import</source>
        <translation>読み込む</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="85"/>
        <source>Names CSV (optional):</source>
        <translation>名前の CSV（任意）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="87"/>
        <source>Key column (the device&apos;s serial number or IMEI):</source>
        <translation>キー列（デバイスのシリアル番号または IMEI）:</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="114"/>
        <source>Names CSV</source>
        <translation>名前の CSV</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="129"/>
        <source>Names CSV: choose a file first</source>
        <translation>名前の CSV: 先にファイルを選んでください</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="145"/>
        <source>Names CSV: %1</source>
        <translation>名前の CSV: %1</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="206"/>
        <source>(the devices keep their names)</source>
        <translation>（デバイスの名前は変わりません）</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="212"/>
        <source>unknown variable: %1</source>
        <translation>不明な変数: %1</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="218"/>
        <source>%1 → %2 (the batch&apos;s first device)</source>
        <translation>%1 → %2（バッチの最初のデバイス）</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="226"/>
        <source>Still reading the chosen files…</source>
        <translation>選んだファイルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../work/wt/wizard20/kitstation/ui/wizard/names_page.py" line="233"/>
        <source>Names CSV: press Import to read the file (or clear the field)</source>
        <translation>名前の CSV:「読み込む」を押してファイルを読み込んでください（または欄を空にしてください）</translation>
    </message>
</context>
</TS>
