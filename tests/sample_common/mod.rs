//! The bundled sample project (`feeds/` and `samples/`), copied into a test's folder so that
//! building it there leaves the repository untouched.

use std::path::Path;

/// Copies `feeds/` and `samples/` of the repository into `dir`, without any state file.
pub fn copy_sample_project(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["feeds", "samples"] {
        copy_tree(&root.join(folder), &dir.join(folder));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".feedloom") {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}
