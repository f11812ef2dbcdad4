//! Texts set aside in a scratch file while a dump is read, to be taken back
//! one by one as they are written: a newsroom's article bodies weigh many
//! times the rest of its dump, and more than the memory an import may use.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Texts by id, in an unnamed temporary file (gone when the spool is).
pub struct Spool {
    file: BufWriter<File>,
    /// Where each text is in the file: offset and length in bytes.
    places: HashMap<i64, (u64, usize)>,
    end: u64,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("texts", &self.places.len())
            .field("bytes", &self.end)
            .finish()
    }
}

impl Spool {
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            file: BufWriter::new(tempfile::tempfile()?),
            places: HashMap::new(),
            end: 0,
        })
    }

    /// Sets `text` aside as `id`'s; a later one for the same id replaces it.
    pub fn put(&mut self, id: i64, text: &str) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(text.as_bytes())?;
        self.places.insert(id, (self.end, text.len()));
        self.end += text.len() as u64;
        Ok(())
    }

    /// `id`'s text, if one was set aside.
    pub fn get(&mut self, id: i64) -> io::Result<Option<String>> {
        let Some(&(offset, length)) = self.places.get(&id) else {
            return Ok(None);
        };
        // Seeking writes out what the buffer holds first.
        self.file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; length];
        self.file.get_mut().read_exact(&mut bytes)?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_they_were_put_in_any_order_the_last_of_an_id_winning() {
        let mut spool = Spool::new().unwrap();
        spool.put(16, "<p>Kế hoạch số 135/KH-UBND</p>").unwrap();
        spool.put(20, "").unwrap();
        spool.put(83, "Đoàn kiểm tra").unwrap();
        assert_eq!(spool.get(83).unwrap().as_deref(), Some("Đoàn kiểm tra"));
        spool.put(20, "thay thế").unwrap();
        assert_eq!(
            spool.get(16).unwrap().as_deref(),
            Some("<p>Kế hoạch số 135/KH-UBND</p>")
        );
        assert_eq!(spool.get(20).unwrap().as_deref(), Some("thay thế"));
        assert_eq!(spool.get(7).unwrap(), None);
    }
}
