//! What an upload's bytes become: decoded within bounds, turned upright,
//! scaled to the variants' widths, and encoded again, which leaves every
//! piece of metadata behind (EXIF, GPS, XMP, comments) but the colour
//! profile. Every function here blocks and may take a core for a while:
//! run it on the blocking pool, a few at a time (`routes`).
//!
//! What is decoded is bounded before it is decoded: the memory the decoder
//! may take from the start, and the sides as the header states them, so a
//! small file declaring 50,000 × 50,000 pixels (a decompression bomb) is
//! refused without allocating its pixels.
//!
//! JPEG, PNG and WebP are taken; GIF is not (its animations would be lost
//! and its palettes grow into truecolour). image's WebP encoder is lossless
//! only: WebP variants are exact copies, smaller than PNG but often larger
//! than a JPEG of the same photo. An animated WebP keeps its first frame.

use std::borrow::Cow;
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    ColorType, DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader,
    ImageResult, Limits,
};

use super::VARIANT_WIDTHS;

/// The widest and tallest image taken, in pixels.
pub const MAX_SIDE: u32 = 12_000;

/// The most memory an image may take once decoded: a 48-megapixel phone
/// photo (8064 × 6048, 146 MB as RGB) fits.
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// The most memory scaling's scratch may take (see [`scaled`]).
const MAX_SCRATCH_BYTES: u64 = 128 * 1024 * 1024;

/// JPEG quality of the stored image: high, as it is encoded again from a
/// JPEG (each encoding loses a little).
const ORIGINAL_QUALITY: u8 = 90;

/// JPEG quality of the variants.
const VARIANT_QUALITY: u8 = 82;

/// The largest colour profile carried over (real ones are a few kilobytes;
/// JPEG's segments hold at most about 16 MB).
const MAX_PROFILE_BYTES: usize = 1024 * 1024;

/// The types of image taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    WebP,
}

/// Bytes that are no image of a type taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untaken {
    Gif,
    Other,
}

impl ImageType {
    /// What the bytes are, whatever the client says they are.
    pub fn sniff(bytes: &[u8]) -> Result<Self, Untaken> {
        match image::guess_format(bytes) {
            Ok(ImageFormat::Jpeg) => Ok(ImageType::Jpeg),
            Ok(ImageFormat::Png) => Ok(ImageType::Png),
            Ok(ImageFormat::WebP) => Ok(ImageType::WebP),
            Ok(ImageFormat::Gif) => Err(Untaken::Gif),
            _ => Err(Untaken::Other),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::WebP => "image/webp",
        }
    }

    /// The extension of its variants' URLs.
    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::WebP => "webp",
        }
    }

    /// Its name, as people write it.
    pub fn name(self) -> &'static str {
        match self {
            ImageType::Jpeg => "JPEG",
            ImageType::Png => "PNG",
            ImageType::WebP => "WebP",
        }
    }

    const ALL: [ImageType; 3] = [ImageType::Jpeg, ImageType::Png, ImageType::WebP];

    pub fn from_content_type(content_type: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.content_type() == content_type)
    }

    pub fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.extension() == extension)
    }

    fn format(self) -> ImageFormat {
        match self {
            ImageType::Jpeg => ImageFormat::Jpeg,
            ImageType::Png => ImageFormat::Png,
            ImageType::WebP => ImageFormat::WebP,
        }
    }
}

/// An image encoded, with its size in pixels.
pub struct Rendition {
    pub kind: ImageType,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// What an upload becomes: the image encoded again (upright, without its
/// metadata), and its variants, narrowest first, each width in the image's
/// own type, then in WebP (a WebP image's once).
pub struct Processed {
    pub original: Rendition,
    pub variants: Vec<Rendition>,
}

/// Why an upload's image is not taken.
#[derive(Debug)]
pub enum Refusal {
    /// Wider or taller than [`MAX_SIDE`], as its header says.
    TooLarge { width: u32, height: u32 },
    /// It would take more than [`MAX_DECODED_BYTES`] decoded.
    TooHeavy,
    /// Its bytes are no whole image of their type (damaged, cut short).
    Broken { kind: ImageType, cause: String },
    /// An encoder failed: the server's fault, not the image's.
    Encoding(String),
}

/// Decodes `bytes` (of type `kind`), turns the image upright, and encodes
/// it and its variants.
pub fn process(bytes: &[u8], kind: ImageType) -> Result<Processed, Refusal> {
    let (image, profile) = decode(bytes, kind)?;
    let profile = profile.as_deref();
    let original = encode(&image, kind, ORIGINAL_QUALITY, profile)?;
    let mut variants = Vec::new();
    for width in variant_widths(image.width()) {
        let height = scaled_height(image.width(), image.height(), width);
        let smaller = scaled(&image, width, height);
        variants.push(encode(&smaller, kind, VARIANT_QUALITY, profile)?);
        if kind != ImageType::WebP {
            variants.push(encode(&smaller, ImageType::WebP, VARIANT_QUALITY, profile)?);
        }
    }
    Ok(Processed { original, variants })
}

/// The variants' widths for an image `width` pixels wide: those narrower.
fn variant_widths(width: u32) -> impl Iterator<Item = u32> {
    VARIANT_WIDTHS
        .into_iter()
        .filter(move |variant| *variant < width)
}

/// The height of a `width` × `height` image scaled to `to` pixels wide,
/// rounded, at least 1.
fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let (width, height, to) = (u64::from(width), u64::from(height), u64::from(to));
    let scaled = (height * to + width / 2) / width;
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// The image upright, eight bits a channel, and its colour profile when it
/// has one that fits (see [`fitting_profile`]).
fn decode(bytes: &[u8], kind: ImageType) -> Result<(DynamicImage, Option<Vec<u8>>), Refusal> {
    let broken = |error: ImageError| refused(kind, error);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    // Memory is bounded from the start (PNG's decoder takes its limits when
    // it is made); the sides are checked below, where the answer can say
    // what they are, and set before any pixel is decoded.
    reader.limits(limits(false));
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Refusal::TooLarge { width, height });
    }
    if width == 0 || height == 0 {
        return Err(Refusal::Broken {
            kind,
            cause: "no pixels".into(),
        });
    }
    decoder.set_limits(limits(true)).map_err(broken)?;
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(Refusal::TooHeavy);
    }
    // A damaged EXIF block leaves the image as it is stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let color = decoder.color_type();
    let profile = decoder
        .icc_profile()
        .ok()
        .flatten()
        .and_then(|profile| fitting_profile(profile, color));
    let mut image = eight_bits(DynamicImage::from_decoder(decoder).map_err(broken)?);
    image.apply_orientation(orientation);
    Ok((image, profile))
}

/// What a decoder may take: memory always; the sides too when `sides`.
fn limits(sides: bool) -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    if sides {
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
    }
    limits
}

fn refused(kind: ImageType, error: ImageError) -> Refusal {
    match error {
        ImageError::Limits(_) => Refusal::TooHeavy,
        other => Refusal::Broken {
            kind,
            cause: other.to_string(),
        },
    }
}

/// A colour profile, when it describes colours as the decoded pixels hold
/// them (a CMYK photo's profile does not fit the RGB it is decoded to) and
/// is of a size encoders carry. Keeping it keeps a phone's Display P3
/// photo in its colours; it says nothing of where or by whom it was taken.
fn fitting_profile(profile: Vec<u8>, color: ColorType) -> Option<Vec<u8>> {
    // An ICC profile names the colour space of the data it describes in
    // bytes 16 to 20 of its header.
    let space = profile.get(16..20)?;
    let fits = if color.has_color() {
        space == b"RGB "
    } else {
        space == b"GRAY"
    };
    (fits && profile.len() <= MAX_PROFILE_BYTES).then_some(profile)
}

/// Eight bits a channel: what screens show, and all JPEG and WebP hold.
fn eight_bits(image: DynamicImage) -> DynamicImage {
    match image.color() {
        ColorType::L16 => DynamicImage::ImageLuma8(image.to_luma8()),
        ColorType::La16 => DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
        ColorType::Rgb16 | ColorType::Rgb32F => DynamicImage::ImageRgb8(image.to_rgb8()),
        ColorType::Rgba16 | ColorType::Rgba32F => DynamicImage::ImageRgba8(image.to_rgba8()),
        _ => image,
    }
}

/// `image` at `width` × `height` (smaller), through Lanczos3. Its first
/// pass holds four floats for each column of the source and row of the
/// result, so the source is first brought down with the area average
/// (which needs nothing beside its result) to at most twice the target's
/// width, from where Lanczos still filters without aliasing, and to what
/// that scratch may take; a target too tall for any is made with the area
/// average alone.
fn scaled(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let per_column = u64::from(height) * 16;
    let affordable = u32::try_from(MAX_SCRATCH_BYTES / per_column).unwrap_or(u32::MAX);
    let source_width = image.width().min(width.saturating_mul(2)).min(affordable);
    if source_width <= width {
        return image.thumbnail_exact(width, height);
    }
    let source = if source_width < image.width() {
        let source_height = scaled_height(image.width(), image.height(), source_width);
        Cow::Owned(image.thumbnail_exact(source_width, source_height))
    } else {
        Cow::Borrowed(image)
    };
    source.resize_exact(width, height, FilterType::Lanczos3)
}

/// `image` encoded as `kind` (JPEG at `quality`), with `profile`.
fn encode(
    image: &DynamicImage,
    kind: ImageType,
    quality: u8,
    profile: Option<&[u8]>,
) -> Result<Rendition, Refusal> {
    let mut bytes = Vec::new();
    let written = match kind {
        ImageType::Jpeg => write(
            image,
            JpegEncoder::new_with_quality(&mut bytes, quality),
            profile,
        ),
        ImageType::Png => write(
            image,
            PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, PngFilter::Adaptive),
            profile,
        ),
        ImageType::WebP => write(image, WebPEncoder::new_lossless(&mut bytes), profile),
    };
    written
        .map_err(|error| Refusal::Encoding(format!("encoding a {} image: {error}", kind.name())))?;
    Ok(Rendition {
        kind,
        width: image.width(),
        height: image.height(),
        bytes,
    })
}

/// Writes `image` with `encoder`, and nothing of the upload's metadata:
/// the encoder is given none but the colour profile.
fn write(
    image: &DynamicImage,
    mut encoder: impl ImageEncoder,
    profile: Option<&[u8]>,
) -> ImageResult<()> {
    if let Some(profile) = profile {
        // JPEG, PNG and WebP all carry one; without it colours shift a
        // little, nothing worse.
        let _ = encoder.set_icc_profile(profile.to_vec());
    }
    image.write_with_encoder(encoder)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width` × `height` picture with some detail in it.
    fn picture(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
        }))
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        encode(&picture(width, height), ImageType::Png, 0, None)
            .unwrap()
            .bytes
    }

    #[test]
    fn variants_are_made_at_the_widths_narrower_than_the_image_in_its_type_and_webp() {
        let processed = process(&png(700, 350), ImageType::Png).unwrap();
        assert_eq!(
            (processed.original.width, processed.original.height),
            (700, 350)
        );
        let made: Vec<(u32, u32, ImageType)> = processed
            .variants
            .iter()
            .map(|variant| (variant.width, variant.height, variant.kind))
            .collect();
        assert_eq!(
            made,
            [
                (320, 160, ImageType::Png),
                (320, 160, ImageType::WebP),
                (640, 320, ImageType::Png),
                (640, 320, ImageType::WebP),
            ]
        );
        for variant in &processed.variants {
            let decoded = image::load_from_memory(&variant.bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (variant.width, variant.height)
            );
            assert_eq!(
                image::guess_format(&variant.bytes).unwrap(),
                variant.kind.format()
            );
        }
    }

    #[test]
    fn an_image_no_wider_than_the_narrowest_variant_has_none() {
        let processed = process(&png(320, 200), ImageType::Png).unwrap();
        assert!(processed.variants.is_empty());
        assert_eq!(processed.original.width, 320);
    }

    #[test]
    fn a_webp_image_has_its_variants_once() {
        let webp = encode(&picture(400, 100), ImageType::WebP, 0, None)
            .unwrap()
            .bytes;
        let processed = process(&webp, ImageType::WebP).unwrap();
        let kinds: Vec<ImageType> = processed.variants.iter().map(|v| v.kind).collect();
        assert_eq!(kinds, [ImageType::WebP]);
    }

    #[test]
    fn heights_keep_the_aspect_ratio_rounded_and_never_reach_zero() {
        assert_eq!(scaled_height(4000, 3000, 1600), 1200);
        assert_eq!(scaled_height(1000, 333, 320), 107);
        assert_eq!(scaled_height(12000, 1, 320), 1);
    }

    #[test]
    fn scaling_gives_the_size_asked_whichever_way_it_goes() {
        let wide = picture(1500, 300);
        let once = scaled(&wide, 640, 128);
        assert_eq!((once.width(), once.height()), (640, 128));
        let twice = scaled(&wide, 320, 64);
        assert_eq!((twice.width(), twice.height()), (320, 64));
    }

    #[test]
    fn types_are_told_from_the_bytes_and_gif_apart() {
        assert_eq!(ImageType::sniff(&png(2, 2)), Ok(ImageType::Png));
        assert_eq!(ImageType::sniff(b"GIF89a\x01\0\x01\0"), Err(Untaken::Gif));
        assert_eq!(ImageType::sniff(b"chi la van ban"), Err(Untaken::Other));
        assert_eq!(ImageType::sniff(b""), Err(Untaken::Other));
        assert_eq!(ImageType::from_extension("webp"), Some(ImageType::WebP));
        assert_eq!(ImageType::from_extension("jpeg"), None);
        assert_eq!(
            ImageType::from_content_type("image/jpeg"),
            Some(ImageType::Jpeg)
        );
    }

    #[test]
    fn an_image_cut_short_is_broken_not_a_panic() {
        let bytes = png(64, 64);
        let Err(refusal) = process(&bytes[..bytes.len() / 2], ImageType::Png) else {
            panic!("an image cut in half was taken");
        };
        assert!(
            matches!(
                refusal,
                Refusal::Broken {
                    kind: ImageType::Png,
                    ..
                }
            ),
            "{refusal:?}"
        );
    }

    #[test]
    fn only_a_profile_of_the_decoded_colour_space_is_kept() {
        let mut rgb = vec![0; 128];
        rgb[16..20].copy_from_slice(b"RGB ");
        let mut cmyk = rgb.clone();
        cmyk[16..20].copy_from_slice(b"CMYK");
        assert!(fitting_profile(rgb.clone(), ColorType::Rgb8).is_some());
        assert!(fitting_profile(rgb, ColorType::L8).is_none());
        assert!(fitting_profile(cmyk, ColorType::Rgb8).is_none());
        assert!(fitting_profile(vec![0; 8], ColorType::Rgb8).is_none());
    }
}
