//! Two clears at once on the same folder, many times over: each one either
//! clears or fails cleanly (another program held the lock), nothing is torn or
//! brought back, every secret stays, and afterwards one clear finishes.

mod common;

use std::process::{Command, Stdio};

use common::*;

#[test]
fn two_clears_at_once_never_leave_a_half_cleared_or_damaged_store() {
    for round in 0..12 {
        let s = Store::copy("healthy");
        let spawn = || {
            Command::new(BIN)
                .args([
                    "--data-dir",
                    s.dir(),
                    "--secrets",
                    "file",
                    "clear",
                    "--yes",
                    "--json",
                ])
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let mut ok = 0;
        for out in &outs {
            let code = out.status.code().unwrap_or(-1);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                code == 0 || code == 1,
                "round {round}: exit {code}: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let j: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            if code == 0 {
                ok += 1;
                assert_eq!(j["secretsVerified"], true, "round {round}: {stdout}");
            } else {
                // A failure names its cause; a part-way stop lists what remains.
                let code = j["error"]["code"].as_str().unwrap_or("");
                assert!(
                    [
                        "database_error",
                        "clear_incomplete",
                        "not_found",
                        "stale_plan"
                    ]
                    .contains(&code),
                    "round {round}: {stdout}"
                );
            }
        }
        assert!(ok >= 1, "round {round}: neither clear succeeded");
        // Afterwards: a clear finds nothing to remove, the secrets are all
        // there, the database is sound.
        let r = s.run(&["clear", "--dry-run", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            r.json()["planned"].as_array().unwrap().len(),
            0,
            "round {round}: {}",
            r.stdout
        );
        let i = s.run(&["inspect", "--json"]).json();
        assert_eq!(i["database"]["integrity"], "ok");
        let present: Vec<_> = i["secrets"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["present"] == true)
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            present,
            ["gateway_token", "ai_gateway_api_key"],
            "round {round}"
        );
    }
}
