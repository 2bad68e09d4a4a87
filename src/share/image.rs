//! Images that carry their scenario: a PNG `tEXt` chunk or an SVG `<metadata>` element holds
//! the scenario's share link, so that dropping the image back on the page reopens it.

use serde_json::Value;
use wasm_bindgen::JsCast;

use super::{IMAGE_KEYWORD, doc_name, window};

/// Inserts a `tEXt` chunk (`keyword` = `text`) before a PNG's `IEND` chunk.
pub fn png_with_text(png: &[u8], keyword: &str, text: &str) -> Option<Vec<u8>> {
    let iend = png.len().checked_sub(12)?;
    if png.get(iend + 4..iend + 8) != Some(b"IEND") {
        return None;
    }
    let mut data = keyword.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(text.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(&data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    let mut out = png[..iend].to_vec();
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[iend..]);
    Some(out)
}

/// The CRC-32 (ISO-HDLC, as PNG chunks use) of `bytes`, from the `crc` crate without a table:
/// a chunk is a few KB, and a table (crc32fast's is 16 KB) would cost the bundle for nothing
/// the user sees.
fn crc32(bytes: &[u8]) -> u32 {
    const PNG_CRC: crc::Crc<u32, crc::NoTable> = crc::Crc::<u32, crc::NoTable>::new(&crc::CRC_32_ISO_HDLC);
    PNG_CRC.checksum(bytes)
}

/// The text of a PNG's `tEXt` chunk named `keyword`, if any.
pub fn png_text(png: &[u8], keyword: &str) -> Option<String> {
    if png.get(..8) != Some(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a][..]) {
        return None;
    }
    let mut at = 8usize;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + length)?;
        if kind == b"tEXt" {
            if let Some(split) = data.iter().position(|b| *b == 0) {
                if &data[..split] == keyword.as_bytes() {
                    return String::from_utf8(data[split + 1..].to_vec()).ok();
                }
            }
        }
        at = at.checked_add(12 + length)?;
    }
    None
}

/// The link payload inside an exported SVG's `<metadata>`, if any.
pub fn svg_link(svg: &str) -> Option<String> {
    let open = format!("<metadata id=\"{IMAGE_KEYWORD}\">");
    let start = svg.find(&open)? + open.len();
    let end = svg[start..].find("</metadata>")? + start;
    Some(svg[start..end].trim().to_owned())
}

/// The charts as one SVG document that carries the scenario's link.
pub fn charts_svg(doc: &Value, payload: &str) -> Option<String> {
    let document = window()?.document()?;
    let charts = document.query_selector_all(".charts figure").ok()?;
    let mut body = String::new();
    let row_height = 130.0;
    let mut rows = 0.0;
    for i in 0..charts.length() {
        let figure = charts.item(i)?.dyn_into::<web_sys::Element>().ok()?;
        let title = figure
            .query_selector("figcaption strong")
            .ok()
            .flatten()
            .and_then(|t| t.text_content())
            .unwrap_or_default();
        let svg = figure.query_selector("svg").ok().flatten()?.inner_html();
        let y = rows * row_height;
        body.push_str(&format!(
            "<g transform=\"translate(0 {y})\"><text x=\"0\" y=\"14\" font-family=\"sans-serif\" font-size=\"13\">{}</text><svg y=\"20\" width=\"1000\" height=\"90\" viewBox=\"0 0 1000 90\" preserveAspectRatio=\"none\">{svg}</svg></g>",
            escape_xml(&title)
        ));
        rows += 1.0;
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"{}\" viewBox=\"0 0 1000 {}\"><metadata id=\"{IMAGE_KEYWORD}\">{}</metadata><title>{}</title>{body}</svg>",
        rows * row_height,
        rows * row_height,
        payload,
        escape_xml(doc_name(doc))
    ))
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_text_chunks_round_trip() {
        // A 1x1 PNG.
        let png: Vec<u8> = vec![
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0,
            1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82,
        ];
        let with = png_with_text(&png, IMAGE_KEYWORD, "z1.abc").expect("a PNG");
        assert_eq!(png_text(&with, IMAGE_KEYWORD).as_deref(), Some("z1.abc"));
        assert_eq!(png_text(&png, IMAGE_KEYWORD), None);
        assert_eq!(png_text(b"not a png", IMAGE_KEYWORD), None);
        assert_eq!(png_text(&with[..with.len() - 20], IMAGE_KEYWORD), None, "truncated");
        assert_eq!(png_with_text(b"junk", "k", "v"), None);
    }

    #[test]
    fn crc32_matches_the_png_check_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926, "the standard check value");
        assert_eq!(crc32(b"IEND"), 0xae42_6082, "the IEND chunk's CRC");
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn svg_metadata_is_found() {
        let svg = format!("<svg><metadata id=\"{IMAGE_KEYWORD}\">z1.abc</metadata></svg>");
        assert_eq!(svg_link(&svg).as_deref(), Some("z1.abc"));
        assert_eq!(svg_link("<svg></svg>"), None);
    }
}
