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
//! - `XWORKMATE_FIXTURES`: the shared fixtures folder (default:
//!   `../shared/fixtures` beside the repository).
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
const WINDOW_TIMEOUT: Duration = Duration::from_secs(60);
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

fn fixtures_dir() -> PathBuf {
    let dir = std::env::var_os("XWORKMATE_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    assert!(
        dir.join("stores").is_dir(),
        "no fixture stores in {}: set XWORKMATE_FIXTURES to shared/fixtures",
        dir.display()
    );
    dir
}

/// A writable temporary copy of the fixture store `name` (the shared fixtures
/// may be read-only and must never be written).
fn copy_of_store(name: &str) -> TempDir {
    let tmp = tempfile::Builder::new()
        .prefix("xworkmate-e2e-")
        .tempdir()
        .expect("temp dir");
    copy_dir(&fixtures_dir().join("stores").join(name), tmp.path()).expect("copy the store");
    tmp
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            let mut permissions = std::fs::metadata(&target)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&target, permissions)?;
        }
    }
    Ok(())
}

/// Starts the app through tauri-driver with `args` and connects to its window.
async fn start_app(args: &[&str]) -> TestResult<Client> {
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
    Ok(element.text().await?)
}

#[tokio::test]
async fn window_shows_the_data_dir_it_was_given() -> TestResult {
    let store = copy_of_store("healthy");
    let dir = store.path().to_str().expect("UTF-8 temp path").to_string();
    with_app("data-dir", &["--data-dir", &dir], async |client| {
        assert_eq!(client.title().await?, "XWorkmate Diagnostics");
        let heading = client.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(heading, "Diagnostics");
        assert_eq!(rendered_data_dir(client).await?, dir);
        let origin = client.find(Locator::Id("data-dir-origin")).await?;
        assert_eq!(origin.text().await?, "the --data-dir option");
        // The real backend answered: no sample-data note, no error.
        let note = client.find(Locator::Id("backend-note")).await?;
        assert!(
            !note.is_displayed().await?,
            "the sample-data note is hidden"
        );
        let error = client.find(Locator::Id("error")).await?;
        assert!(!error.is_displayed().await?, "no error is shown");
        Ok(())
    })
    .await
}
