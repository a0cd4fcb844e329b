//! Drives the real XWorkmate Diagnostics window (WebKitGTK, real IPC, real core)
//! through tauri-driver's WebDriver server.
//!
//! Needs, as `scripts/test` provides them: a display (Xvfb), `tauri-driver`
//! listening on `XWORKMATE_WEBDRIVER_URL` (default http://127.0.0.1:4444) with
//! `WebKitWebDriver` on its PATH, and a built app (`cargo build -p
//! xworkmate-diagnostics`). The ports are fixed, so run with `--test-threads=1`.
//!
//! Environment:
//! - `XWORKMATE_APP_BINARY`: the app to start (default: `xworkmate-diagnostics`
//!   in the same target folder as this test).
//! - `XWORKMATE_FIXTURES`: another fixtures folder (default: the repository's
//!   `tests/fixtures`).
//! - `XWORKMATE_E2E_SCREENSHOTS`: a folder to save a screenshot of each test's
//!   window in.

use std::error::Error;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// How long the window may take to appear (it takes 1-2 s) and render. Without a
/// limit, a window that never comes (no display, app crash) makes WebKitWebDriver
/// wait forever.
const WINDOW_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one test's checks, or closing the window, may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(120);

fn webdriver_url() -> String {
    std::env::var("XWORKMATE_WEBDRIVER_URL").unwrap_or_else(|_| "http://127.0.0.1:4444".into())
}

fn app_binary() -> PathBuf {
    let binary = std::env::var_os("XWORKMATE_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // target/<profile>/deps/real_window-<hash> -> target/<profile>/
            let exe = std::env::current_exe().expect("the test's own path");
            let profile_dir = exe.parent().and_then(Path::parent).expect("target dir");
            profile_dir.join(format!(
                "xworkmate-diagnostics{}",
                std::env::consts::EXE_SUFFIX
            ))
        });
    assert!(
        binary.is_file(),
        "the app {} is missing: run `cargo build -p xworkmate-diagnostics` first \
         (or set XWORKMATE_APP_BINARY)",
        binary.display()
    );
    binary.canonicalize().expect("app path")
}

/// A writable temporary copy of the fixture store `name` (the fixtures
/// may be read-only and must never be written).
fn copy_of_store(name: &str) -> TempDir {
    let tmp = tempfile::Builder::new()
        .prefix("xworkmate-e2e-")
        .tempdir()
        .expect("temp dir");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store(name), tmp.path())
        .expect("copy the store");
    tmp
}

/// Starts the app through tauri-driver with `args` and connects to its window.
/// A window that does not come up is tried once more: under Xvfb, GTK's start
/// now and then fails outright ("Failed to initialize GTK"), which says
/// nothing about the app. The first failure is printed; a second one fails.
async fn start_app(args: &[&str]) -> TestResult<Client> {
    match start_app_once(args).await {
        Ok(client) => Ok(client),
        Err(first) => {
            eprintln!("the window did not come up ({first}); trying once more");
            start_app_once(args).await
        }
    }
}

async fn start_app_once(args: &[&str]) -> TestResult<Client> {
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("wry"));
    capabilities.insert(
        "tauri:options".into(),
        json!({ "application": app_binary(), "args": args }),
    );
    let url = webdriver_url();
    let mut builder = ClientBuilder::new(HttpConnector::new());
    builder.capabilities(capabilities);
    match tokio::time::timeout(WINDOW_TIMEOUT, builder.connect(&url)).await {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(format!(
            "cannot start the app through tauri-driver at {url}: {e} \
             (is tauri-driver running?)"
        )
        .into()),
        Err(_) => Err(format!(
            "the app's window did not come up within {WINDOW_TIMEOUT:?} \
             (does tauri-driver have a working DISPLAY? the app's own output is in \
             tauri-driver's log, .test-run/tauri-driver.log under scripts/test)"
        )
        .into()),
    }
}

/// Runs `check` against a window started with `args`, then always closes the
/// window (saving a screenshot first when `XWORKMATE_E2E_SCREENSHOTS` is set),
/// so that a failed check does not leave the app running.
async fn with_app<F>(name: &str, args: &[&str], check: F) -> TestResult
where
    F: AsyncFnOnce(&Client) -> TestResult,
{
    let client = start_app(args).await?;
    // A failed assert panics: catch it, close the window, then go on panicking.
    let outcome = tokio::time::timeout(
        CHECK_TIMEOUT,
        AssertUnwindSafe(check(&client)).catch_unwind(),
    )
    .await;
    if let Some(dir) = std::env::var_os("XWORKMATE_E2E_SCREENSHOTS") {
        if let Ok(png) = client.screenshot().await {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png)?;
        }
    }
    tokio::time::timeout(CHECK_TIMEOUT, client.close())
        .await
        .map_err(|_| "closing the window timed out")??;
    match outcome {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => Err(format!("the checks took longer than {CHECK_TIMEOUT:?}").into()),
    }
}

/// Waits until the UI has filled `#data-dir`; returns its text.
async fn rendered_data_dir(client: &Client) -> TestResult<String> {
    let element = client
        .wait()
        .at_most(WINDOW_TIMEOUT)
        .for_element(Locator::Css("#data-dir:not([aria-busy])"))
        .await?;
    // It sits in "Details for support", folded at first: its text content.
    Ok(element
        .prop("textContent")
        .await?
        .unwrap_or_default()
        .trim()
        .to_string())
}

/// The fixtures' local-state key (`sealed-vectors.json`, `key_b64url`).
const FIXTURE_KEY: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA";

/// Waits for an element matching `css` (e.g. one with a given attribute value).
async fn wait_for(client: &Client, css: &str) -> TestResult<fantoccini::elements::Element> {
    Ok(client
        .wait()
        .at_most(WINDOW_TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .map_err(|e| format!("waiting for `{css}`: {e}"))?)
}

/// Waits until the first load is done (no call in flight).
async fn loaded(client: &Client) -> TestResult {
    rendered_data_dir(client).await?;
    wait_for(
        client,
        "body[data-busy='false'] #db-integrity[data-integrity]",
    )
    .await?;
    Ok(())
}

async fn text_of(client: &Client, css: &str) -> TestResult<String> {
    Ok(client
        .find(Locator::Css(css))
        .await?
        .text()
        .await?
        .trim()
        .to_string())
}

async fn attr_of(client: &Client, css: &str, name: &str) -> TestResult<Option<String>> {
    Ok(client.find(Locator::Css(css)).await?.attr(name).await?)
}

async fn click(client: &Client, css: &str) -> TestResult {
    wait_for(client, &format!("{css}:not([disabled])"))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn banner_shown(client: &Client) -> TestResult<bool> {
    match client
        .find(Locator::Css("#status[data-status='locked']"))
        .await
    {
        Ok(banner) => Ok(banner.is_displayed().await?),
        Err(_) => Ok(false),
    }
}

fn dir_arg(store: &TempDir) -> String {
    store.path().to_str().expect("UTF-8 temp path").to_string()
}

#[tokio::test]
async fn healthy_store_shows_its_counts_and_secrets() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = dir_arg(&store);
    with_app(
        "healthy",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            assert_eq!(
                attr_of(client, "#db-integrity", "data-integrity")
                    .await?
                    .as_deref(),
                Some("ok")
            );
            assert_eq!(text_of(client, "#threads-count").await?, "2");
            assert_eq!(text_of(client, "#threads-archived").await?, "1");
            assert_eq!(text_of(client, "#messages-count").await?, "5");
            assert_eq!(
                attr_of(client, "#settings-present", "data-present")
                    .await?
                    .as_deref(),
                Some("true")
            );
            for name in ["gateway_token", "ai_gateway_api_key"] {
                let css = format!("#secrets-list li[data-secret='{name}']");
                assert_eq!(
                    attr_of(client, &css, "data-present").await?.as_deref(),
                    Some("true"),
                    "{name}"
                );
                assert_eq!(
                    attr_of(client, &css, "data-backend").await?.as_deref(),
                    Some("file"),
                    "{name}"
                );
            }
            let css = "#secrets-list li[data-secret='vault_token']";
            assert_eq!(
                attr_of(client, css, "data-present").await?.as_deref(),
                Some("false")
            );
            // Masks at most: the page never holds a secret value.
            let source = client.source().await?;
            for secret in ["sample-gateway-token-0001", "sample-ai-gateway-key-0002"] {
                assert!(!source.contains(secret), "the page shows {secret}");
            }
            assert!(
                !banner_shown(client).await?,
                "no locked banner on a healthy store"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn sealed_store_previews_then_recovers_into_plain_files() -> TestResult {
    let store = copy_of_store("sealed-with-key-file");
    let dir = dir_arg(&store);
    let before = std::fs::read(store.path().join("settings-snapshot.json"))?;
    with_app(
        "sealed-recovery",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            assert_eq!(
                attr_of(client, "#recovery-status", "data-status")
                    .await?
                    .as_deref(),
                Some("recoverable")
            );
            click(client, "#btn-preview").await?;
            wait_for(client, "#recovery-result[data-status='migrated']").await?;
            assert_eq!(
                std::fs::read(store.path().join("settings-snapshot.json"))?,
                before,
                "Preview wrote nothing"
            );
            assert!(store
                .path()
                .join("gateway-auth/local-state-key.txt")
                .exists());
            click(client, "#btn-recover").await?;
            // The real run: the report says migrated, and the overview refreshes.
            wait_for(
                client,
                "body[data-busy='false'] #recovery-status[data-status='none']",
            )
            .await?;
            assert_eq!(
                attr_of(client, "#recovery-result", "data-status")
                    .await?
                    .as_deref(),
                Some("migrated")
            );
            assert_eq!(text_of(client, "#threads-count").await?, "2");
            Ok(())
        },
    )
    .await?;
    for name in ["settings-snapshot.json", "assistant-threads.json"] {
        let text = std::fs::read_to_string(store.path().join(name))?;
        let v: serde_json::Value = serde_json::from_str(&text)?;
        assert!(v.get("storageFormat").is_none(), "{name} is plain now");
    }
    let db = rusqlite::Connection::open(store.path().join("config-store.sqlite3"))?;
    let settings: String = db.query_row(
        "SELECT value FROM config_entries WHERE storage_key = 'xworkmate.settings.snapshot'",
        [],
        |r| r.get(0),
    )?;
    assert!(settings.contains("\"appLanguage\""));
    assert!(
        !store
            .path()
            .join("gateway-auth/local-state-key.txt")
            .exists(),
        "the key moved into secure storage"
    );
    Ok(())
}

#[tokio::test]
async fn locked_store_shows_the_banner_and_why() -> TestResult {
    let store = copy_of_store("locked");
    let dir = dir_arg(&store);
    with_app(
        "locked",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            // The panel opens with the locked status and no recovery run.
            let status = wait_for(client, "#status[data-status='locked']").await?;
            assert!(status.is_displayed().await?);
            assert!(client
                .find(Locator::Css("#status #btn-recover"))
                .await
                .is_err());
            wait_for(client, "#status-safe").await?;
            assert_eq!(
                attr_of(client, "#recovery-status", "data-status")
                    .await?
                    .as_deref(),
                Some("locked_legacy_state")
            );
            let reasons = client
                .find_all(Locator::Css("#locked-sources li[data-reason]"))
                .await?;
            assert_eq!(reasons.len(), 2, "the sealed mirror and the sealed backup");
            for r in reasons {
                assert_eq!(r.attr("data-reason").await?.as_deref(), Some("key_missing"));
            }
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn a_pasted_key_is_tested_then_recovers_a_locked_store() -> TestResult {
    // sealed-with-key-file without its key file: locked, key_missing; the
    // fixtures' key opens it.
    let store = copy_of_store("sealed-with-key-file");
    std::fs::remove_file(store.path().join("gateway-auth/local-state-key.txt"))?;
    let dir = dir_arg(&store);
    with_app(
        "locked-key",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            wait_for(client, "#status[data-status='locked']").await?;
            assert!(client
                .find(Locator::Css(
                    "#locked-sources li[data-reason='key_missing']"
                ))
                .await
                .is_ok());
            let input = wait_for(client, "#key-input").await?;
            input.send_keys("not-a-key").await?;
            click(client, "#btn-test-key").await?;
            wait_for(client, "#key-test-result[data-valid='false']").await?;
            input.clear().await?;
            input.send_keys(FIXTURE_KEY).await?;
            click(client, "#btn-test-key").await?;
            wait_for(
                client,
                "#key-test-result[data-valid='true'][data-opens='2']",
            )
            .await?;
            click(client, "#btn-recover-with-key").await?;
            wait_for(client, "#recovery-result[data-status='migrated']").await?;
            wait_for(
                client,
                "body[data-busy='false'] #recovery-status[data-status='none']",
            )
            .await?;
            Ok(())
        },
    )
    .await?;
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        store.path().join("settings-snapshot.json"),
    )?)?;
    assert!(
        v.get("appLanguage").is_some(),
        "recovered into a plain mirror"
    );
    // The supplied key was stored in secure storage (file store here).
    assert!(store
        .path()
        .join("gateway-auth/secure-storage/eHdvcmttYXRlLmxvY2FsX3N0YXRlLmtleQ.txt")
        .exists());
    Ok(())
}

fn secret_tool(args: &[&str], input: Option<&str>) -> TestResult<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("secret-tool (libsecret-tools) is needed: {e}"))?;
    if let Some(text) = input {
        child.stdin.take().unwrap().write_all(text.as_bytes())?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(format!("secret-tool {args:?} failed").into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

#[tokio::test]
async fn clear_removes_settings_and_threads_and_keeps_every_secret() -> TestResult {
    // A real keyring secret in XWorkmate's own item, written as XWorkmate
    // writes it (`xdg:schema = '`, spec §5), on the test's private Secret
    // Service (scripts/test starts it; the app reaches it through
    // tauri-driver's environment).
    let account = "plus.svc.xworkmate.secureStorage";
    secret_tool(
        &[
            "store",
            "--label=plus.svc.xworkmate/FlutterSecureStorage",
            "xdg:schema",
            "'",
            "account",
            account,
        ],
        Some(r#"{"xworkmate.vault.token":"e2e-vault-token-424242"}"#),
    )?;
    let store = copy_of_store("healthy");
    let dir = dir_arg(&store);
    let out = tempfile::tempdir()?;
    let backup = out.path().join("backup.json");
    let backup_arg = backup.to_str().unwrap().to_string();
    let secret_files: Vec<PathBuf> =
        std::fs::read_dir(store.path().join("gateway-auth/secure-storage"))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
    assert_eq!(secret_files.len(), 2);
    with_app(
        "clear",
        // A folder given explicitly uses this machine's keyring only when
        // asked for by name.
        &[
            "--data-dir",
            &dir,
            "--secrets",
            "keyring",
            "--backup-to",
            &backup_arg,
        ],
        async |client| {
            loaded(client).await?;
            assert_eq!(
                attr_of(client, "#keyring-item", "data-read-by-xworkmate")
                    .await?
                    .as_deref(),
                Some("true")
            );
            let css = "#secrets-list li[data-secret='vault_token']";
            assert_eq!(
                attr_of(client, css, "data-backend").await?.as_deref(),
                Some("keyring")
            );
            click(client, "#btn-clear").await?;
            let dialog = wait_for(client, "#clear-dialog[open]").await?;
            assert!(dialog.is_displayed().await?);
            // Cancel has the focus; the destructive button waits for the checkbox.
            let focused = client.active_element().await?;
            assert_eq!(focused.attr("id").await?.as_deref(), Some("clear-cancel"));
            assert!(
                !client
                    .find(Locator::Css("#clear-confirm"))
                    .await?
                    .is_enabled()
                    .await?
            );
            // What the clear means, in plain words, before any storage row.
            assert_eq!(
                text_of(client, "#consequence-removed").await?,
                "2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed."
            );
            let kept = text_of(client, "#consequence-kept").await?;
            assert!(kept.starts_with("Secrets stay:") && kept.contains("Vault token"), "{kept}");
            assert!(!kept.contains('_'), "secrets are named in words: {kept}");
            assert_eq!(
                text_of(client, "#consequence-afterwards").await?,
                "Next time XWorkmate starts, it shows no threads and default settings."
            );
            assert!(
                client
                    .find(Locator::Css("#clear-storage"))
                    .await?
                    .attr("open")
                    .await?
                    .is_none(),
                "the storage rows are folded for support"
            );
            let backup_box = client.find(Locator::Css("#clear-backup")).await?;
            assert!(backup_box.is_selected().await?, "backup is on by default");
            click(client, "#clear-understand").await?;
            click(client, "#clear-confirm").await?;
            wait_for(client, "#clear-result[data-verified='true']").await?;
            wait_for(
                client,
                "body[data-busy='false'] #settings-present[data-present='false']",
            )
            .await?;
            assert_eq!(text_of(client, "#threads-count").await?, "0");
            Ok(())
        },
    )
    .await?;
    // On disk: settings and threads gone, every secret still there.
    assert!(!store.path().join("settings-snapshot.json").exists());
    assert!(!store.path().join("assistant-threads.json").exists());
    let db = rusqlite::Connection::open(store.path().join("config-store.sqlite3"))?;
    let rows: i64 = db.query_row(
        "SELECT count(*) FROM config_entries WHERE storage_key IN ('xworkmate.settings.snapshot', 'xworkmate.assistant.threads')",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(rows, 0);
    for f in &secret_files {
        assert!(f.exists(), "{} was removed", f.display());
    }
    let item = secret_tool(&["lookup", "account", account], None)?;
    assert!(
        item.contains("e2e-vault-token-424242"),
        "the keyring item is intact"
    );
    // The backup was written first, and holds the threads.
    let b: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&backup)?)?;
    assert_eq!(b["assistantThreads"].as_array().map(Vec::len), Some(2));
    Ok(())
}

#[tokio::test]
async fn window_shows_the_data_dir_it_was_given() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = store.path().to_str().expect("UTF-8 temp path").to_string();
    with_app("data-dir", &["--data-dir", &dir], async |client| {
        assert_eq!(client.title().await?, "XWorkmate Diagnostics");
        let heading = client.find(Locator::Css("h1")).await?.text().await?;
        assert!(
            ["Diagnostics", "诊断"].contains(&heading.trim()),
            "{heading}"
        );
        assert_eq!(rendered_data_dir(client).await?, dir);
        loaded(client).await?;
        // The real backend answered: no error.
        let error = client.find(Locator::Id("error")).await?;
        assert!(!error.is_displayed().await?, "no error is shown");
        Ok(())
    })
    .await
}

/// The commit the app should name: `XWORKMATE_EXPECT_COMMIT`, else this
/// checkout's HEAD (what `cargo build` and `scripts/package` embed).
fn expected_commit() -> String {
    if let Ok(commit) = std::env::var("XWORKMATE_EXPECT_COMMIT") {
        return commit;
    }
    std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::test]
async fn the_about_line_names_the_version_and_the_commit() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = dir_arg(&store);
    with_app(
        "about",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            let about = text_of(client, "#app-version").await?;
            let version = env!("CARGO_PKG_VERSION");
            let commit = expected_commit();
            assert!(
                about == format!("Version {version} ({commit})")
                    || about == format!("版本 {version}（{commit}）"),
                "the About line is {about:?}, expected version {version} and commit {commit}"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn an_upgraded_folder_shows_the_left_behind_threads_and_exports_them() -> TestResult {
    // XWorkmate 1.1.7 (generation C) installed over 0.6.1 (generation A):
    // 1.1.7 shows none of the two 0.6 threads still in the folder.
    let store = copy_of_store("gen-a-plus-c");
    let dir = dir_arg(&store);
    let out = tempfile::tempdir()?;
    let page = out.path().join("old-threads.html");
    let page_arg = page.to_str().unwrap().to_string();
    let before = store_files(store.path());
    with_app(
        "upgraded",
        &[
            "--data-dir",
            &dir,
            "--secrets",
            "file",
            "--threads-to",
            &page_arg,
        ],
        async |client| {
            loaded(client).await?;
            let status = wait_for(client, "#status[data-status='left-behind']").await?;
            assert!(status.is_displayed().await?);
            assert_eq!(
                attr_of(
                    client,
                    "#generations .generation:first-child",
                    "data-generation"
                )
                .await?
                .as_deref(),
                Some("C")
            );
            click(client, "#banner-export-A").await?;
            wait_for(client, "#threads-notice .notice-ok").await?;
            // The clear dialog names the version it clears: the current one.
            click(client, "#btn-clear").await?;
            wait_for(client, "#clear-dialog[open]").await?;
            assert_eq!(
                attr_of(client, "#clear-generation", "data-generation")
                    .await?
                    .as_deref(),
                Some("C")
            );
            click(client, "#clear-cancel").await?;
            Ok(())
        },
    )
    .await?;
    let html = std::fs::read_to_string(&page)?;
    assert!(
        html.contains("研发任务") && html.contains("本地线程"),
        "{html}"
    );
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert_eq!(store_files(store.path()), before, "the store is unchanged");
    Ok(())
}

/// Every file below `dir` with its bytes.
fn store_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(store_files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn clear_then_restore_in_the_window_and_open_the_exported_report() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = dir_arg(&store);
    let out = tempfile::tempdir()?;
    let backup = out.path().join("backup.json");
    let report = out.path().join("report.json");
    let (b, r) = (
        backup.to_str().unwrap().to_string(),
        report.to_str().unwrap().to_string(),
    );
    let mirrors = ["settings-snapshot.json", "assistant-threads.json"];
    let before: Vec<serde_json::Value> = mirrors
        .iter()
        .map(|m| serde_json::from_slice(&std::fs::read(store.path().join(m)).unwrap()).unwrap())
        .collect();
    with_app(
        "restore",
        &[
            "--data-dir",
            &dir,
            "--secrets",
            "file",
            "--backup-to",
            &b,
            "--restore-from",
            &b,
            "--export-to",
            &r,
            "--report-from",
            &r,
        ],
        async |client| {
            loaded(client).await?;
            click(client, "#btn-clear").await?;
            wait_for(client, "#clear-dialog[open]").await?;
            click(client, "#clear-understand").await?;
            click(client, "#clear-confirm").await?;
            wait_for(client, "#clear-result[data-verified='true']").await?;
            wait_for(client, "body[data-busy='false']").await?;
            assert_eq!(text_of(client, "#threads-count").await?, "0");
            click(client, "#btn-restore").await?;
            wait_for(client, "#restore-dialog[open]").await?;
            let focused = client.active_element().await?;
            assert_eq!(focused.attr("id").await?.as_deref(), Some("restore-cancel"));
            click(client, "#restore-confirm").await?;
            wait_for(client, "#restore-result[data-restored='2']").await?;
            wait_for(client, "body[data-busy='false']").await?;
            assert_eq!(text_of(client, "#threads-count").await?, "2");
            click(client, "#btn-export-report").await?;
            wait_for(client, "#report-notice .notice-ok").await?;
            // Opening a report is for support: under "Details for support".
            click(client, "#support-toggle").await?;
            wait_for(client, "#support-toggle[aria-expanded='true']").await?;
            click(client, "#btn-open-report").await?;
            wait_for(client, "#opened-report").await?;
            assert_eq!(
                attr_of(client, "#opened-status", "data-status")
                    .await?
                    .as_deref(),
                Some("none")
            );
            Ok(())
        },
    )
    .await?;
    let after: Vec<serde_json::Value> = mirrors
        .iter()
        .map(|m| serde_json::from_slice(&std::fs::read(store.path().join(m)).unwrap()).unwrap())
        .collect();
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(
            a.to_string(),
            b.to_string(),
            "restored exactly, key order kept"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_damaged_database_is_rebuilt_from_the_window() -> TestResult {
    let store = copy_of_store("healthy");
    let damaged = vec![b'Z'; 12288];
    std::fs::write(store.path().join("config-store.sqlite3"), &damaged)?;
    let mirrors: Vec<Vec<u8>> = ["settings-snapshot.json", "assistant-threads.json"]
        .iter()
        .map(|m| std::fs::read(store.path().join(m)))
        .collect::<Result<_, _>>()?;
    let dir = dir_arg(&store);
    with_app(
        "rebuild",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            rendered_data_dir(client).await?;
            wait_for(client, "#status[data-status='damaged']").await?;
            wait_for(client, "body[data-busy='false'] #btn-rebuild").await?;
            click(client, "#btn-rebuild").await?;
            // The dry run fills the dialog: where the damaged database is kept.
            let kept = wait_for(client, "#rebuild-dialog[open] #rebuild-kept").await?;
            assert!(kept.text().await?.contains("damaged-"));
            let focused = client.active_element().await?;
            assert_eq!(focused.attr("id").await?.as_deref(), Some("rebuild-cancel"));
            click(client, "#rebuild-confirm").await?;
            wait_for(client, "#rebuild-result[data-executed='true']").await?;
            assert!(text_of(client, "#rebuild-kept-as")
                .await?
                .contains("damaged-"));
            wait_for(client, "body[data-busy='false'] #status[data-status='ok']").await?;
            assert_eq!(text_of(client, "#threads-count").await?, "2");
            Ok(())
        },
    )
    .await?;
    // The new database reads; the damaged one is kept byte for byte; the
    // mirrors are untouched.
    let db = rusqlite::Connection::open(store.path().join("config-store.sqlite3"))?;
    let rows: i64 = db.query_row("SELECT count(*) FROM config_entries", [], |r| r.get(0))?;
    assert!(rows >= 2);
    let kept: Vec<PathBuf> = std::fs::read_dir(store.path().join(".xworkmate-diagnostics"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    assert!(
        kept.iter()
            .any(|p| std::fs::read(p).is_ok_and(|b| b == damaged)),
        "{kept:?}"
    );
    for (m, before) in ["settings-snapshot.json", "assistant-threads.json"]
        .iter()
        .zip(&mirrors)
    {
        assert_eq!(&std::fs::read(store.path().join(m))?, before, "{m}");
    }
    Ok(())
}

/// A store an old build left with a long thread list, sealed in its mirror
/// (AES-256-GCM, the legacy envelope), and its key in the key file: a
/// recovery that takes seconds to read (the app under test is a debug build).
fn long_sealed_store(mib: usize) -> TempDir {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let tmp = tempfile::Builder::new()
        .prefix("xworkmate-e2e-")
        .tempdir()
        .expect("temp dir");
    let threads = long_thread_list(mib);
    let key = [7u8; 32];
    let nonce = [3u8; 12];
    let mut sealed = aes_gcm::Aes256Gcm::new_from_slice(&key)
        .unwrap()
        .encrypt(
            aes_gcm::Nonce::from_slice(&nonce),
            Payload {
                msg: threads.as_bytes(),
                aad: b"xworkmate.assistant.threads",
            },
        )
        .unwrap();
    let mac = sealed.split_off(sealed.len() - 16);
    std::fs::write(
        tmp.path().join("assistant-threads.json"),
        format!(
            r#"{{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"{}","cipherText":"{}","mac":"{}"}}"#,
            b64(&nonce),
            b64(&sealed),
            b64(&mac)
        ),
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("gateway-auth")).unwrap();
    std::fs::write(
        tmp.path().join("gateway-auth/local-state-key.txt"),
        b64(&key),
    )
    .unwrap();
    tmp
}

#[tokio::test]
async fn a_long_recovery_shows_its_progress_and_cancel_changes_nothing() -> TestResult {
    let store = long_sealed_store(12);
    let dir = dir_arg(&store);
    let before = store_files(store.path());
    with_app(
        "recovery-cancel",
        &["--data-dir", &dir, "--secrets", "file"],
        async |client| {
            loaded(client).await?;
            click(client, "#btn-recover").await?;
            // The progress shows while it reads, with Cancel.
            wait_for(
                client,
                "#op-progress[data-writing='false'] #op-progress-bar",
            )
            .await?;
            click(client, "#btn-cancel-op").await?;
            wait_for(client, "body[data-busy='false'] #op-notice").await?;
            assert!(!text_of(client, "#op-notice").await?.is_empty());
            assert!(
                client.find(Locator::Css("#op-progress")).await.is_err(),
                "the progress is gone"
            );
            assert_eq!(
                attr_of(client, "#recovery-result", "data-status").await?,
                None,
                "no recovery result: it did not run"
            );
            Ok(())
        },
    )
    .await?;
    assert_eq!(
        store_files(store.path()),
        before,
        "a cancelled recovery changes nothing, not even its own record"
    );
    Ok(())
}

/// A thread list of about `mib` MiB: long messages, as a real one has.
fn long_thread_list(mib: usize) -> String {
    let message = format!(
        r#"{{"role":"user","text":"{}"}}"#,
        "lorem ipsum ".repeat(80)
    );
    let mut threads = String::from("[");
    let mut i = 0;
    while threads.len() < mib << 20 {
        if i > 0 {
            threads.push(',');
        }
        threads.push_str(&format!(
            r#"{{"sessionKey":"s{i}","title":"Thread {i}","messages":[{message},{message}]}}"#
        ));
        i += 1;
    }
    threads.push(']');
    threads
}

/// A backup of a large thread list, as clear writes it (schema 1), for the
/// folder `data_dir`.
fn long_backup(data_dir: &Path, mib: usize, out: &Path) {
    let threads = long_thread_list(mib);
    let backup = serde_json::json!({
        "schemaVersion": 1,
        "appVersion": "xworkmate-diagnostics e2e",
        "backupCreatedAtMs": 1_700_000_000_000_i64,
        "dataDir": data_dir,
        "removed": [{
            "kind": "sqlite_row",
            "path": data_dir.join("config-store.sqlite3"),
            "storageKey": "xworkmate.assistant.threads",
            "text": threads,
        }],
    });
    std::fs::write(out, serde_json::to_vec(&backup).unwrap()).unwrap();
}

#[tokio::test]
async fn a_long_restore_shows_the_backup_being_read_and_cancel_opens_nothing() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = dir_arg(&store);
    let out = tempfile::tempdir()?;
    let backup = out.path().join("backup.json");
    long_backup(store.path(), 24, &backup);
    let b = backup.to_str().unwrap().to_string();
    let before = store_files(store.path());
    with_app(
        "restore-cancel",
        &[
            "--data-dir",
            &dir,
            "--secrets",
            "file",
            "--restore-from",
            &b,
        ],
        async |client| {
            loaded(client).await?;
            click(client, "#btn-restore").await?;
            // Reading the backup: its progress, with Cancel.
            wait_for(
                client,
                "#op-progress[data-kind='restorePlan'][data-writing='false'] #op-progress-bar",
            )
            .await?;
            click(client, "#btn-cancel-op").await?;
            wait_for(client, "body[data-busy='false'] #op-notice").await?;
            assert!(!text_of(client, "#op-notice").await?.is_empty());
            assert!(
                client
                    .find(Locator::Css("#restore-dialog[open]"))
                    .await
                    .is_err(),
                "no restore dialog: nothing was planned"
            );
            Ok(())
        },
    )
    .await?;
    assert_eq!(
        store_files(store.path()),
        before,
        "reading a backup changes nothing"
    );
    Ok(())
}
