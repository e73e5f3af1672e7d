//! Writing outputs atomically, and only when they changed.
//!
//! A reader of an output file (a web server, a feed reader on the same host) sees either the
//! old bytes or the new ones, never a half-written file: new bytes go to a temporary file in
//! the same folder, which is flushed to disk and renamed over the target. An output whose
//! bytes did not change is not touched at all, so its modification time (and any HTTP
//! `Last-Modified` derived from it) stays put across cron runs that changed nothing.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::WriteError;

/// Writes `bytes` to `path` unless the file already holds exactly those bytes.
///
/// Returns `true` when the file was written, `false` when it was left untouched. Creates
/// missing parent folders. A new file gets the permissions a newly created file would get;
/// a replaced file keeps the permissions it had.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    let err = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let existing = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(err(e)),
    };
    if let Some(meta) = &existing
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && fs::read(path).map_err(err)? == bytes
    {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(err)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".feedloom-").suffix(".tmp");
    set_new_file_permissions(&mut builder);
    let mut temp = builder.tempfile_in(dir).map_err(err)?;
    if let Some(meta) = &existing {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    temp.write_all(bytes).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    // On failure the temporary file is handed back inside the error and deleted on drop.
    temp.persist(path).map_err(|e| err(e.error))?;
    sync_dir(dir).map_err(err)?;
    Ok(true)
}

/// Gives the temporary file the mode `open(2)` gives a new file (0666 less the umask)
/// instead of tempfile's private 0600, so a web server can read a new output.
#[cfg(unix)]
fn set_new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn set_new_file_permissions(_builder: &mut tempfile::Builder<'_, '_>) {}

/// Makes the rename itself durable: on Unix a rename is only on disk once its folder is.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
