//! Precompressed copies of the bundle's files.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

/// Brotli's strongest quality and its largest window: the files are made once.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW_BITS: u32 = 24;

/// Writes `<file>.br` and `<file>.gz` beside `file`.
pub fn beside(file: &Path) -> io::Result<()> {
    let bytes = fs::read(file).map_err(|error| named(file, error))?;
    let brotli = brotli_of(&bytes)?;
    let gzip = gzip_of(&bytes)?;
    write(&with_suffix(file, "br"), &brotli)?;
    write(&with_suffix(file, "gz"), &gzip)
}

fn brotli_of(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW_BITS);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip_of(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes).map_err(|error| named(path, error))
}

fn named(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
