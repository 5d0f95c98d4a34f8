<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
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
        <translation>USB 経由のデバイスオーナー、Knox Mobile Enrollment プロファイル、または QR コード。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="619" />
        <source>Device Owner over USB (adb)</source>
        <translation>USB 経由でデバイスオーナー化（adb）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="620" />
        <source>Knox Mobile Enrollment (KME)</source>
        <translation>Knox Mobile Enrollment（KME）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="621" />
        <source>QR code at the welcome screen</source>
        <translation>ようこそ画面で QR コード</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="622" />
        <source>Method:</source>
        <translation>方式:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="631" />
        <source>Agent APK URL:</source>
        <translation>エージェント APK の URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="634" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="637" />
        <source>or agent APK file:</source>
        <translation>またはエージェント APK ファイル:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="638" />
        <source>Agent package:</source>
        <translation>エージェントのパッケージ名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="639" />
        <source>Admin receiver:</source>
        <translation>管理レシーバー:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="640" />
        <source>APK SHA-256 (optional):</source>
        <translation>APK の SHA-256（任意）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="644" />
        <source>KME profile name:</source>
        <translation>KME プロファイル名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="645" />
        <source>Company name:</source>
        <translation>会社名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="646" />
        <source>Custom JSON:</source>
        <translation>カスタム JSON:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="649" />
        <source>Preview QR code</source>
        <translation>QR コードをプレビュー</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="663" />
        <source>Agent APK</source>
        <translation>エージェント APK</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="700" />
        <source>Agent APK: file not found</source>
        <translation>エージェント APK: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>BenchController</name>
    <message>
        <location filename="../../kitstation/ui/controller.py" line="185" />
        <source>Start the bench before scanning box labels.</source>
        <translation>箱ラベルをスキャンする前にベンチを開始してください。</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="127" />
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="128" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="129" />
        <source>Apply automatically</source>
        <translation>自動で適用</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="140" />
        <source>Scan box label:</source>
        <translation>箱ラベルをスキャン:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="142" />
        <source>IMEI or serial number from the box barcode</source>
        <translation>箱のバーコードの IMEI またはシリアル番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="151" />
        <source>Attached</source>
        <translation>接続中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="152" />
        <source>Working</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="153" />
        <source>Your turn</source>
        <translation>要操作</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="154" />
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="155" />
        <source>Awaiting ABM/KME</source>
        <translation>ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="156" />
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="157" />
        <source>Per hour</source>
        <translation>台／時</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="169" />
        <source>No devices attached. Plug devices into the hubs, or try the simulated bench.</source>
        <translation>デバイスが接続されていません。ハブにデバイスを接続するか、シミュレーションのベンチをお試しください。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="172" />
        <source>Start the simulated bench</source>
        <translation>シミュレーションのベンチを開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="205" />
        <location filename="../../kitstation/ui/bench_view.py" line="206" />
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="208" />
        <source>Blueprint — iOS: %1  |  Android: %2</source>
        <translation>ブループリント — iOS: %1  |  Android: %2</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../kitstation/ui/errors.py" line="64" />
        <source>Something went wrong: %1. The station keeps running; details are in the log file %2.</source>
        <translation>問題が発生しました: %1。ステーションは動作を続けます。詳細はログファイル %2 にあります。</translation>
    </message>
</context>
<context>
    <name>GuiSecrets</name>
    <message>
        <location filename="../../kitstation/ui/secrets.py" line="52" />
        <source>Secret needed</source>
        <translation>秘密情報の入力</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../kitstation/ui/history.py" line="42" />
        <source>Date</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="43" />
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="44" />
        <source>Platform</source>
        <translation>プラットフォーム</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="45" />
        <source>Model</source>
        <translation>機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="46" />
        <source>Serial</source>
        <translation>シリアル番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="47" />
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="48" />
        <source>Blueprint</source>
        <translation>ブループリント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="49" />
        <source>Technician</source>
        <translation>作業者</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="50" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="41" />
        <source>Run</source>
        <translation>実行番号</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="56" />
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="57" />
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="58" />
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="59" />
        <source>Awaiting ABM/KME</source>
        <translation>ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="60" />
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="61" />
        <source>Cancelled</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../../kitstation/ui/history.py" line="162" />
        <source>Serial, IMEI or model</source>
        <translation>シリアル番号・IMEI・機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>All dates</source>
        <translation>全期間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="164" />
        <source>Last 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="165" />
        <source>Last 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="168" />
        <source>All outcomes</source>
        <translation>すべての結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="172" />
        <source>Blueprint</source>
        <translation>ブループリント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="174" />
        <source>Technician</source>
        <translation>作業者</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="176" />
        <source>Model</source>
        <translation>機種</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="177" />
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/history.py" line="229" />
        <source>%1 runs match; %2 loaded</source>
        <translation>該当 %1 件（読み込み済み %2 件）</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="416" />
        <location filename="../../kitstation/ui/wizard.py" line="470" />
        <source>Supervision identity</source>
        <translation>監督用 ID</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="417" />
        <source>Generate a new supervision identity or choose an existing one.</source>
        <translation>新しい監督用 ID を生成するか、既存の ID を選択します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="419" />
        <source>Generate a new supervision identity (kept in the station's store)</source>
        <translation>新しい監督用 ID を生成（ステーションの ID ストアに保管）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="420" />
        <source>Choose an existing supervision identity (.p12 file)</source>
        <translation>既存の監督用 ID を選択（.p12 ファイル）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="425" />
        <source>e.g. acme-supervision</source>
        <translation>例: acme-supervision</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="426" />
        <source>Identity name:</source>
        <translation>ID 名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="436" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="442" />
        <source>Passphrase secret name:</source>
        <translation>パスフレーズのシークレット名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="445" />
        <source>The passphrase is never saved: the station asks for it when the batch starts.</source>
        <translation>パスフレーズは保存されません。バッチ開始時にステーションが入力を求めます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="459" />
        <source>This identity is in the station's store: it will be used.</source>
        <translation>この ID はステーションの ID ストアにあります。この ID を使用します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="461" />
        <source>A new identity with this name is generated when the blueprint is saved.</source>
        <translation>ブループリントの保存時に、この名前で新しい ID を生成します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="486" />
        <source>Give an identity name or choose a file</source>
        <translation>ID 名を入力するか、ファイルを選択してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="488" />
        <source>Supervision identity: file not found</source>
        <translation>監督用 ID: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="120" />
        <source>Blueprint library</source>
        <translation>ブループリントライブラリ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="130" />
        <source>Open file…</source>
        <translation>ファイルを開く…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="132" />
        <source>Use for the bench</source>
        <translation>ベンチで使用</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="134" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="167" />
        <source>Open blueprint</source>
        <translation>ブループリントを開く</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="53" />
        <source>KitStation — kitting station</source>
        <translation>KitStation — キッティングステーション</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="63" />
        <source>Bench</source>
        <translation>ベンチ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="64" />
        <location filename="../../kitstation/ui/main_window.py" line="82" />
        <source>History</source>
        <translation>履歴</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="69" />
        <source>&amp;Station</source>
        <translation>ステーション(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="70" />
        <source>Start the bench</source>
        <translation>ベンチを開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="72" />
        <source>Start a simulated bench (8 devices)</source>
        <translation>シミュレーションのベンチを開始（8 台）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="74" />
        <source>Stop the bench</source>
        <translation>ベンチを停止</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="76" />
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="77" />
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="78" />
        <source>&amp;Blueprints</source>
        <translation>ブループリント(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="79" />
        <source>New blueprint (Prepare wizard)…</source>
        <translation>新規ブループリント（準備アシスタント）…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="80" />
        <source>Blueprint library…</source>
        <translation>ブループリントライブラリ…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="81" />
        <source>&amp;Log</source>
        <translation>ログ(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="83" />
        <source>Export a report…</source>
        <translation>レポートを書き出す…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="124" />
        <source>Simulated bench: these devices are not real (demo and training).</source>
        <translation>シミュレーションのベンチ: これらは実機ではありません（デモ・研修用）。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="135" />
        <source>No devices found. Plug devices into the hubs, or start the simulated bench to see the station work without hardware.</source>
        <translation>デバイスが見つかりません。ハブにデバイスを接続するか、シミュレーションのベンチを開始すると実機なしで動作を確認できます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/main_window.py" line="155" />
        <source>The station could not start: %1. Check the database setting and the USB connections, then press Start again.</source>
        <translation>ステーションを開始できませんでした: %1。データベースの設定と USB 接続を確認してから、もう一度「開始」を押してください。</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="165" />
        <source>Preparation method</source>
        <translation>準備方法</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="166" />
        <source>Choose the platforms and how the devices come under MDM.</source>
        <translation>対象のプラットフォームと、デバイスを MDM の管理下に置く方法を選択します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="170" />
        <source>e.g. CLOMO batch for ACME</source>
        <translation>例: ACME 社向け CLOMO バッチ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="171" />
        <source>Blueprint name:</source>
        <translation>ブループリント名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="173" />
        <source>Customer:</source>
        <translation>顧客:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="175" />
        <source>Order reference:</source>
        <translation>注文番号:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="177" />
        <source>iPhone / iPad</source>
        <translation>iPhone／iPad</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="179" />
        <source>Samsung Galaxy (Android)</source>
        <translation>Samsung Galaxy（Android）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="185" />
        <source>Manual configuration: make the device DEP (Add to DEP, supervise)</source>
        <translation>手動構成: デバイスを DEP にする（DEP に追加、監督）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="186" />
        <source>Already a DEP device: check and record its cloud configuration</source>
        <translation>DEP 登録済みデバイス: クラウド構成を確認して記録する</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="187" />
        <source>Supervise only (not DEP); the device enrolls via Remote Management</source>
        <translation>監督のみ（DEP なし）: デバイスはリモートマネジメントで登録</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="188" />
        <source>Direct MDM profile install (unsupervised; user confirms)</source>
        <translation>MDM プロファイルを直接インストール（非監督、ユーザーが承認）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="210" />
        <source>Blueprint name: must not be empty</source>
        <translation>ブループリント名: 空にはできません</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="212" />
        <source>Choose at least one platform</source>
        <translation>プラットフォームを 1 つ以上選択してください</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="540" />
        <location filename="../../kitstation/ui/wizard.py" line="580" />
        <source>Network profile</source>
        <translation>ネットワークプロファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="541" />
        <source>The Wi-Fi the devices join during setup.</source>
        <translation>セットアップ中にデバイスが接続する Wi-Fi。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="543" />
        <source>No network profile</source>
        <translation>ネットワークプロファイルなし</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="544" />
        <source>Wi-Fi network:</source>
        <translation>Wi-Fi ネットワーク:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="545" />
        <source>Import a network profile (.mobileconfig):</source>
        <translation>ネットワークプロファイルを読み込む（.mobileconfig）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="554" />
        <source>Hidden network</source>
        <translation>非公開ネットワーク</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="555" />
        <source>Join automatically</source>
        <translation>自動接続</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="557" />
        <source>Network name (SSID):</source>
        <translation>ネットワーク名（SSID）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="558" />
        <source>Security:</source>
        <translation>セキュリティ:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="559" />
        <source>Password secret name:</source>
        <translation>パスワードのシークレット名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="563" />
        <source>The Wi-Fi password is not written into the blueprint: it is asked for when the batch starts and kept only in memory.</source>
        <translation>Wi-Fi パスワードはブループリントに書き込まれません。バッチ開始時に入力を求め、メモリ上にのみ保持します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="571" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="604" />
        <source>Network profile: file not found</source>
        <translation>ネットワークプロファイル: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="224" />
        <source>Prepare options</source>
        <translation>準備オプション</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="225" />
        <source>As in Apple Configurator's Prepare. Prepare erases the device.</source>
        <translation>Apple Configurator の「準備」と同じです。準備するとデバイスは消去されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="227" />
        <source>Add to Device Enrollment Program (DEP)</source>
        <translation>Device Enrollment Program（DEP）に追加</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="228" />
        <source>Activate and complete enrollment</source>
        <translation>アクティベートして登録を完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="229" />
        <source>Supervise devices</source>
        <translation>デバイスを監督</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="230" />
        <source>Allow devices to pair with other computers</source>
        <translation>ほかのコンピュータとのペアリングを許可</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="231" />
        <source>Enable Shared iPad</source>
        <translation>共有 iPad を有効にする</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="232" />
        <source>Erase the device first</source>
        <translation>最初にデバイスを消去</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="236" />
        <source>MDM enrollment profile (.mobileconfig):</source>
        <translation>MDM 登録プロファイル（.mobileconfig）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="239" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="251" />
        <source>MDM enrollment profile</source>
        <translation>MDM 登録プロファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="267" />
        <source>The station does the device side exactly as Configurator does. Assigning the serial to your MDM server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM assignment.</source>
        <translation>ステーションはデバイス側の作業を Configurator と同じように行います。Apple Business Manager でシリアル番号を MDM サーバに割り当てる作業はその後 ABM で行います。デバイスは「ABM 割り当て待ち」として記録されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="271" />
        <source>Nothing is written to the device: the station reads and records its cloud configuration.</source>
        <translation>デバイスには何も書き込みません。ステーションはクラウド構成を読み取って記録します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="272" />
        <source>On the device, the Remote Management pane then applies the configuration.</source>
        <translation>その後、デバイスの「リモートマネジメント」画面で構成が適用されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="273" />
        <source>The user confirms the profile installation on the device.</source>
        <translation>ユーザーがデバイス上でプロファイルのインストールを承認します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="295" />
        <source>Manual configuration needs “Add to Device Enrollment Program”</source>
        <translation>手動構成には「Device Enrollment Program に追加」が必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="297" />
        <source>Manual configuration needs “Supervise devices”</source>
        <translation>手動構成には「デバイスを監督」が必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="301" />
        <source>Direct MDM profile install needs the enrollment profile file</source>
        <translation>MDM プロファイルの直接インストールには登録プロファイルのファイルが必要です</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="303" />
        <source>Enrollment profile: file not found</source>
        <translation>登録プロファイル: ファイルが見つかりません</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="386" />
        <source>Organization</source>
        <translation>組織</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="387" />
        <source>Shown on the device as the organization that manages it.</source>
        <translation>デバイスを管理する組織としてデバイスに表示されます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="392" />
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="393" />
        <source>Department:</source>
        <translation>部署:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="394" />
        <source>Phone:</source>
        <translation>電話番号:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="395" />
        <source>Email:</source>
        <translation>メール:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="396" />
        <source>Address:</source>
        <translation>住所:</translation>
    </message>
</context>
<context>
    <name>PrepareWizard</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="802" />
        <source>Prepare — new blueprint</source>
        <translation>準備 — 新規ブループリント</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="201" />
        <source>Export a kitting report</source>
        <translation>キッティングレポートを書き出す</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="206" />
        <source>KME device list (CSV)</source>
        <translation>KME デバイス一覧（CSV）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="206" />
        <source>ABM serial list (CSV)</source>
        <translation>ABM シリアル番号一覧（CSV）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="208" />
        <source>Format:</source>
        <translation>形式:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="210" />
        <source>File:</source>
        <translation>ファイル:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="218" />
        <source>Export</source>
        <translation>書き出す</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="237" />
        <source>Reports are not available in this installation.</source>
        <translation>この環境ではレポート機能を利用できません。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="240" />
        <source>Exporting…</source>
        <translation>書き出し中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="271" />
        <source>The report could not be written: %1</source>
        <translation>レポートを書き出せませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="275" />
        <source>Report written: %1</source>
        <translation>レポートを書き出しました: %1</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="318" />
        <source>MDM server</source>
        <translation>MDM サーバ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="319" />
        <source>The server definition: a name for you and the MDM vendor's enrollment URL.</source>
        <translation>サーバ定義: 識別用の名前と、MDM ベンダーの登録 URL。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="323" />
        <source>e.g. CLOMO MDM</source>
        <translation>例: CLOMO MDM</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="326" />
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="327" />
        <source>Host name or URL:</source>
        <translation>ホスト名または URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="330" />
        <source>Fetch certificates</source>
        <translation>証明書を取得</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="336" />
        <source>Trust anchor certificates (tick the ones the devices must trust):</source>
        <translation>信頼されたアンカー証明書（デバイスに信頼させる証明書にチェック）:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="349" />
        <source>Fetching…</source>
        <translation>取得中…</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="355" />
        <source>Could not fetch the certificates: %1</source>
        <translation>証明書を取得できませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="357" />
        <source>%1 certificates</source>
        <translation>証明書 %1 件</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="48" />
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="52" />
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="56" />
        <source>Language:</source>
        <translation>言語:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="58" />
        <source>Default: the SQLite file in the data folder</source>
        <translation>既定: データフォルダ内の SQLite ファイル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="59" />
        <source>Database URL:</source>
        <translation>データベース URL:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="61" />
        <source>Technician:</source>
        <translation>作業者:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="65" />
        <source>Erases at once:</source>
        <translation>同時に消去する台数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="69" />
        <source>APK downloads at once:</source>
        <translation>同時 APK ダウンロード数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="73" />
        <source>iOS devices worked on at once:</source>
        <translation>同時に処理する iOS デバイス数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="77" />
        <source>Android devices worked on at once:</source>
        <translation>同時に処理する Android デバイス数:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="82" />
        <source>slot=label, … (e.g. 1-1.2=Hub A port 2)</source>
        <translation>スロット=ラベル, …（例: 1-1.2=ハブA ポート2）</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="83" />
        <source>Slot names:</source>
        <translation>スロット名:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/dialogs.py" line="85" />
        <source>The language changes at once; the database and limits apply when the bench starts.</source>
        <translation>言語はすぐに切り替わります。データベースと同時処理数はベンチ開始時に適用されます。</translation>
    </message>
</context>
<context>
    <name>SkipPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="495" />
        <source>Setup Assistant</source>
        <translation>設定アシスタント</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="496" />
        <source>Untick the panes the user should see; ticked panes are skipped.</source>
        <translation>ユーザーに表示する画面のチェックを外してください。チェックした画面はスキップされます。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="499" />
        <source>Show all</source>
        <translation>すべて表示</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="500" />
        <source>Skip all</source>
        <translation>すべてスキップ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="508" />
        <source>Pane</source>
        <translation>画面</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="508" />
        <source>Key</source>
        <translation>キー</translation>
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
        <translation>接続中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="60" />
        <source>Identifying</source>
        <translation>識別中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="61" />
        <source>Waiting for you</source>
        <translation>操作待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="62" />
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="63" />
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="64" />
        <source>Working</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="65" />
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="66" />
        <source>Done here, awaiting ABM/KME</source>
        <translation>ステーション側完了・ABM／KME 待ち</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="67" />
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="68" />
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="69" />
        <source>Cancelled</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="70" />
        <source>Unplugged</source>
        <translation>取り外し済み</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="109" />
        <source>Assign the serial to the MDM server in Apple Business Manager</source>
        <translation>Apple Business Manager でシリアル番号を MDM サーバに割り当ててください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_model.py" line="110" />
        <source>Approve and assign the device in the KME console</source>
        <translation>KME コンソールでデバイスを承認し、プロファイルを割り当ててください</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="748" />
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="749" />
        <source>Check the blueprint, then save it.</source>
        <translation>ブループリントを確認して保存します。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="752" />
        <source>Save as:</source>
        <translation>保存先:</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="782" />
        <source>Save as: give a file name ending in .toml</source>
        <translation>保存先: .toml で終わるファイル名を指定してください</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/wizard.py" line="789" />
        <source>Cannot write the file: %1</source>
        <translation>ファイルを書き込めません: %1</translation>
    </message>
</context>
<context>
    <name>TimelineDialog</name>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="46" />
        <source>Timeline: %1</source>
        <translation>タイムライン: %1</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Attempt</source>
        <translation>試行</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="54" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="63" />
        <source>No steps recorded for this device yet.</source>
        <translation>このデバイスのステップはまだ記録されていません。</translation>
    </message>
    <message>
        <location filename="../../kitstation/ui/bench_view.py" line="75" />
        <source>running</source>
        <translation>実行中</translation>
    </message>
</context>
</TS>
