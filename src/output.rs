//! Writing outputs atomically, and only when they changed.
//!
//! This module knows no feed format and no store: it writes bytes, and tells file stamps.
//!
//! A reader of an output file (a web server, a feed reader on the same host) sees either the
//! old bytes or the new ones, never a half-written file: new bytes go to a temporary file in
//! the same folder, which is flushed to disk before it is renamed over the target. An output
//! whose bytes did not change is not touched at all, so its modification time (and any HTTP
//! `Last-Modified` derived from it) stays put across cron runs that changed nothing.
//!
//! [`prepare`] and [`Pending::install`] split a write in two, so a build can write every
//! new output, commit its state, and only then flush and rename the outputs into place. The
//! disk starts writing a prepared file at once (on Linux), so the flush mostly finds the
//! work done while the state was being committed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::fs::Metadata;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::WriteError;

/// Writes `bytes` to `path` unless the file already holds exactly those bytes.
///
/// Returns `true` when the file was written, `false` when it was left untouched. Creates
/// missing parent folders. A new file gets the permissions a newly created file would get;
/// a replaced file keeps the permissions it had.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    match prepare(path, bytes)? {
        Prepared::Unchanged(_) => Ok(false),
        Prepared::Pending(pending) => pending.install().map(|()| true),
    }
}

/// An output prepared by [`prepare`]: either already right on disk, or written to a
/// temporary file beside it, waiting to be renamed over it.
#[derive(Debug)]
pub enum Prepared {
    /// The file already holds these bytes; its current stamp.
    Unchanged(Option<FileStamp>),
    /// The new bytes are on disk in a temporary file; [`Pending::install`] puts them in place.
    Pending(Pending),
}

/// New bytes written to a temporary file in the target's folder, flushed to disk and put in
/// place by [`Pending::install`]; dropping it instead deletes the temporary file and leaves
/// the target as it was.
#[derive(Debug)]
pub struct Pending {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
    dir: PathBuf,
    stamp: Option<FileStamp>,
}

impl Prepared {
    /// The stamp the target will have once installed (a rename keeps size and mtime).
    pub fn stamp(&self) -> Option<FileStamp> {
        match self {
            Prepared::Unchanged(stamp) => *stamp,
            Prepared::Pending(p) => p.stamp,
        }
    }
}

impl Pending {
    /// Flushes the temporary file, renames it over the target and makes the rename durable.
    pub fn install(self) -> Result<(), WriteError> {
        install_all(vec![self]).into_iter().next().unwrap_or(Ok(()))
    }

    /// The target path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Flushes each temporary file (its data and size) and renames it over its target, then
/// makes the renames durable, syncing each folder once. A file that cannot be flushed is not
/// renamed. Returns one result per file, in order.
pub fn install_all(pending: Vec<Pending>) -> Vec<Result<(), WriteError>> {
    let mut results = Vec::with_capacity(pending.len());
    let mut dirs: Vec<(PathBuf, Vec<usize>)> = Vec::new();
    for p in pending {
        if let Err(e) = p.temp.as_file().sync_data() {
            results.push(Err(WriteError {
                path: p.path,
                source: e,
            }));
            continue;
        }
        // On failure the temporary file is handed back inside the error and deleted on drop.
        match p.temp.persist(&p.path) {
            Ok(_) => {
                match dirs.iter_mut().find(|(d, _)| *d == p.dir) {
                    Some((_, files)) => files.push(results.len()),
                    None => dirs.push((p.dir.clone(), vec![results.len()])),
                }
                results.push(Ok(()));
            }
            Err(e) => results.push(Err(WriteError {
                path: p.path,
                source: e.error,
            })),
        }
    }
    for (dir, files) in dirs {
        if let Err(e) = sync_dir(&dir) {
            for i in files {
                results[i] = Err(WriteError {
                    path: dir.clone(),
                    source: io::Error::new(e.kind(), e.to_string()),
                });
            }
        }
    }
    results
}

/// Compares `bytes` with the file at `path` and, if they differ, writes them to a
/// temporary file in the same folder without touching `path` yet.
pub fn prepare(path: &Path, new: &[u8]) -> Result<Prepared, WriteError> {
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
        && meta.len() == new.len() as u64
        && fs::read(path).map_err(err)? == new
    {
        return Ok(Prepared::Unchanged(FileStamp::from_metadata(meta)));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(err)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    set_new_file_permissions(&mut builder);
    let temp = builder.tempfile_in(dir).map_err(err)?;
    if let Some(meta) = &existing {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, temp.as_file());
    out.write_all(new).map_err(err)?;
    out.flush().map_err(err)?;
    drop(out);
    start_writeback(temp.as_file());
    let stamp = temp
        .as_file()
        .metadata()
        .ok()
        .and_then(|m| FileStamp::from_metadata(&m));
    Ok(Prepared::Pending(Pending {
        temp,
        path: path.to_path_buf(),
        dir: dir.to_path_buf(),
        stamp,
    }))
}

/// A file's size and modification time: cheap to read, and a change in either means the
/// file may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i64,
}

impl FileStamp {
    /// A stamp no file has: stored for a file modified too close to the run to trust its
    /// stamp, so the next run compares its hash instead.
    pub const UNTRUSTED: FileStamp = FileStamp {
        size: u64::MAX,
        mtime_ns: i64::MIN,
    };

    /// `time` in the unit of [`FileStamp::mtime_ns`]: nanoseconds since the Unix epoch.
    pub fn nanos(time: SystemTime) -> i64 {
        nanos_since_epoch(time)
    }

    /// The stamp of a file from its metadata; `None` when the platform gives no mtime.
    pub fn from_metadata(meta: &Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            size: meta.len(),
            mtime_ns: nanos_since_epoch(meta.modified().ok()?),
        })
    }
}

fn nanos_since_epoch(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// Deletes temporary files that a killed run left in `dir`, if older than `min_age` (a
/// younger one may belong to a run still writing). Returns how many went.
pub fn remove_stale_temps(dir: &Path, min_age: Duration) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= min_age);
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && old
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

const TEMP_PREFIX: &str = ".feedloom-";
const TEMP_SUFFIX: &str = ".tmp";

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

/// Asks the kernel to start writing `file` to disk now, without waiting: the flush before
/// its rename (see [`install_all`]) then has little left to do. Only a hint; errors show at
/// the flush.
#[cfg(target_os = "linux")]
fn start_writeback(file: &fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: sync_file_range reads no memory of ours; `file` keeps the descriptor open.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &fs::File) {}
