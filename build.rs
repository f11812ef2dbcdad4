//! `embed_migrations!` reads the `migrations` directories as the crate
//! compiles, but cargo does not know the crate depends on them: a new
//! migration was left out of the binary until a source file changed.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
