//! The one custom document property a reader carries: 单位类型 ([`UnitKind::PROPERTY`]), which
//! yusuan writes into its own workbooks so that converting its output again keeps the unit kind.
//! Read from `docProps/custom.xml` of an xlsx/xlsm only when that part exists: one index lookup
//! for workbooks without it, one small inflate (capped at [`MAX_CUSTOM_BYTES`]) for those with it.
//!
//! Not for interpreting the value (the recogniser decides what a label means, and warns about
//! one it does not know) nor for other properties. Anything unexpected — a part too large,
//! encrypted, truncated, not XML — gives `None`: a damaged property never fails the read.
//!
//! [`UnitKind::PROPERTY`]: crate::model::UnitKind::PROPERTY

use super::parts::{Archive, attr, inflate};
use crate::model::UnitKind;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

/// Where Office keeps custom document properties (rust_xlsxwriter, Excel and WPS all use it).
const CUSTOM_PART: &str = "docProps/custom.xml";

/// The most bytes `docProps/custom.xml` may inflate to here: custom properties are a few
/// hundred bytes; a larger part is ignored rather than read.
pub const MAX_CUSTOM_BYTES: u64 = 64 << 10;

/// The text of the workbook's 单位类型 custom property, trimmed; `None` when the part or the
/// property is missing, empty, or anything about the part is unexpected.
pub fn unit_kind(archive: &Archive<'_>) -> Option<String> {
    // A cheap clone: the archive's directory is shared.
    let xml = inflate(&mut archive.clone(), CUSTOM_PART, MAX_CUSTOM_BYTES)?;
    property_text(&xml, UnitKind::PROPERTY)
}

/// The text of the custom property named `name` in a `docProps/custom.xml` part (the text of
/// its value element, `<vt:lpwstr>` or any other), unescaped and trimmed; `None` when it is
/// absent or blank, or the XML is malformed before it ends.
fn property_text(xml: &[u8], name: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    // Inside the wanted <property>: the escaped text seen so far.
    let mut inside: Option<String> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e)
                if e.local_name().as_ref() == "property"
                    && attr(&e, "name").as_deref() == Some(name) =>
            {
                inside = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(text) = inside.as_mut() {
                    text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(text) = inside.as_mut() {
                    text.push('&');
                    text.push_str(&r.xml_content(XmlVersion::Implicit1_0));
                    text.push(';');
                }
            }
            Event::End(e) if e.local_name().as_ref() == "property" => {
                if let Some(text) = inside.take() {
                    let text = quick_xml::escape::unescape(&text).ok()?;
                    let text = text.trim();
                    return (!text.is_empty()).then(|| text.to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#;

    fn custom(body: &str) -> String {
        format!("{HEAD}{body}</Properties>")
    }

    fn property(pid: u32, name: &str, value: &str) -> String {
        format!(
            r#"<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">{value}</property>"#
        )
    }

    #[test]
    fn reads_the_named_property_only() {
        let xml = custom(&format!(
            "{}{}",
            property(2, "预算年度", "<vt:i4>2024</vt:i4>"),
            property(3, "单位类型", "<vt:lpwstr> 行政单位 </vt:lpwstr>")
        ));
        assert_eq!(
            property_text(xml.as_bytes(), "单位类型").as_deref(),
            Some("行政单位")
        );
        assert_eq!(
            property_text(xml.as_bytes(), "预算年度").as_deref(),
            Some("2024")
        );
        assert_eq!(property_text(xml.as_bytes(), "单位"), None);
    }

    #[test]
    fn unescapes_entities_and_ignores_blank_values() {
        let xml = custom(&property(
            2,
            "单位类型",
            "<vt:lpwstr>A&amp;B&#x4E8B;</vt:lpwstr>",
        ));
        assert_eq!(
            property_text(xml.as_bytes(), "单位类型").as_deref(),
            Some("A&B事")
        );
        let blank = custom(&property(2, "单位类型", "<vt:lpwstr>  </vt:lpwstr>"));
        assert_eq!(property_text(blank.as_bytes(), "单位类型"), None);
        let empty = custom(&property(2, "单位类型", "<vt:lpwstr/>"));
        assert_eq!(property_text(empty.as_bytes(), "单位类型"), None);
    }

    #[test]
    fn malformed_xml_gives_none() {
        for xml in [
            &b"<Properties><property name=\"\xE5\x8D\x95\xE4\xBD\x8D\xE7\xB1\xBB\xE5\x9E\x8B\"><vt:lpwstr>\xFF\xFE</vt:lpwstr></property>"[..],
            b"<Properties><property name=\"x\"><vt:lpwstr>a</wrong></property></Properties>",
            b"<Properties><property name=",
            b"\x00\x01\x02 not xml at all",
            b"",
        ] {
            assert_eq!(property_text(xml, "单位类型"), None, "{xml:?}");
        }
    }

    fn archive_with(name: &str, content: &[u8]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(content).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_the_part_from_the_archive_and_refuses_oversized_parts() {
        let xml = custom(&property(2, "单位类型", "<vt:lpwstr>事业单位</vt:lpwstr>"));
        let bytes = archive_with(CUSTOM_PART, xml.as_bytes());
        let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(unit_kind(&archive).as_deref(), Some("事业单位"));

        let elsewhere = archive_with("docProps/app.xml", xml.as_bytes());
        let archive = zip::ZipArchive::new(Cursor::new(elsewhere.as_slice())).unwrap();
        assert_eq!(unit_kind(&archive), None);

        // Padded past the cap (a comment before the property): ignored, not read.
        let padding = "x".repeat(MAX_CUSTOM_BYTES as usize);
        let big = custom(&format!(
            "<!--{padding}-->{}",
            property(2, "单位类型", "<vt:lpwstr>事业单位</vt:lpwstr>")
        ));
        let bytes = archive_with(CUSTOM_PART, big.as_bytes());
        let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(unit_kind(&archive), None);
    }
}
