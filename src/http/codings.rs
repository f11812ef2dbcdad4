//! The content codings `Compress` answers in (`br`, `gzip`, `deflate`),
//! read and written again: a kept answer in one of them is changed without being
//! made anew (`http::cache`).

use std::io::{Read, Write};

/// `bytes` in `coding` decoded; `None` for a coding not known here or
/// bytes not in it.
pub fn decoded(coding: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut decoded = Vec::with_capacity(bytes.len() * 4);
    match coding {
        "br" => brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut decoded)
            .ok()?,
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut decoded)
            .ok()?,
        // HTTP's deflate is zlib's format, as `Compress` writes it.
        "deflate" => flate2::read::ZlibDecoder::new(bytes)
            .read_to_end(&mut decoded)
            .ok()?,
        _ => return None,
    };
    Some(decoded)
}

/// `bytes` encoded in `coding`: brotli at quality 2, gzip and deflate at
/// their fastest level; `None` for a coding not known here. (`Compress` encodes brotli at
/// quality 3: 245 µs for a 10 KB article page on the benchmark's machine,
/// against 60 µs at 2, for 3 % more bytes.)
pub fn encoded(coding: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let out = Vec::with_capacity(bytes.len() / 2);
    match coding {
        "br" => {
            let mut writer = brotli::CompressorWriter::new(out, 4096, 2, 22);
            writer.write_all(bytes).ok()?;
            writer.flush().ok()?;
            Some(writer.into_inner())
        }
        "gzip" => {
            let mut writer = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
            writer.write_all(bytes).ok()?;
            writer.finish().ok()
        }
        "deflate" => {
            let mut writer = flate2::write::ZlibEncoder::new(out, flate2::Compression::fast());
            writer.write_all(bytes).ok()?;
            writer.finish().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_encoded_then_decoded_is_the_same_bytes_in_each_coding() {
        let json: Vec<u8> = (0..300)
            .flat_map(|n| format!(r#"{{"n":{n},"tiêu đề":"Quyết định {n}/QĐ-UBND"}}"#).into_bytes())
            .collect();
        for coding in ["br", "gzip", "deflate"] {
            let encoded = encoded(coding, &json).expect(coding);
            assert!(
                encoded.len() < json.len() / 4,
                "{coding}: {}",
                encoded.len()
            );
            assert_eq!(
                decoded(coding, &encoded).as_deref(),
                Some(&json[..]),
                "{coding}"
            );
        }
        assert_eq!(encoded("zstd", &json), None);
        assert_eq!(decoded("gzip", b"not gzip"), None);
    }
}
