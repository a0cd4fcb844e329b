//! Names the commit this binary is built from (`xworkmate-diag --version`).

include!("../build-info/commit.rs");

fn main() {
    emit_build_commit();
}
