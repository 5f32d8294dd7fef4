//! Names and free text as they enter the system: NFC-normalised (Tibetan has several encodings of
//! the same stacked letters, and search must find either), trimmed, bounded, no control characters.

use crate::validation::{field_error, FieldError};
use unicode_normalization::UnicodeNormalization;

/// A required single-line name of at most `max` characters.
pub fn name(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let v = clean(raw);
    if v.is_empty() {
        return Err(crate::validation::empty(field));
    }
    check_line(field, &v, max)?;
    Ok(v)
}

/// An optional single-line text: empty or whitespace becomes `None`.
pub fn optional_line(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match raw {
        None => Ok(None),
        Some(raw) => {
            let v = clean(raw);
            if v.is_empty() {
                return Ok(None);
            }
            check_line(field, &v, max)?;
            Ok(Some(v))
        }
    }
}

/// Text that must contain at least one letter of the Tibetan block (U+0F00–U+0FFF).
pub fn tibetan_name(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let v = optional_line(field, raw, max)?;
    if let Some(s) = &v {
        if !s.chars().any(|c| ('\u{0F00}'..='\u{0FFF}').contains(&c)) {
            return Err(field_error(field, "must be written in Tibetan script")
                .coded("not_tibetan", Vec::new()));
        }
    }
    Ok(v)
}

fn clean(raw: &str) -> String {
    crate::chars::strip_invisible(&raw.nfc().collect::<String>())
        .trim()
        .to_owned()
}

fn check_line(field: &str, v: &str, max: usize) -> Result<(), FieldError> {
    if v.chars().count() > max {
        return Err(crate::validation::too_long(field, max));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(
            field_error(field, "must not contain control characters or line breaks")
                .coded("control_characters", Vec::new()),
        );
    }
    if let Some(why) = crate::chars::refused(v) {
        return Err(field_error(field, why).coded("invisible_characters", Vec::new()));
    }
    Ok(())
}

/// Optional free text of several lines (a report, notes): line breaks and tabs are kept, other
/// control characters refused; empty becomes `None`. Line ends are stored as `\n`.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let v = clean(&raw.replace("\r\n", "\n"));
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(crate::validation::too_long(field, max));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(field_error(field, "must not contain control characters")
            .coded("control_characters", Vec::new()));
    }
    if let Some(why) = crate::chars::refused(&v) {
        return Err(field_error(field, why).coded("invisible_characters", Vec::new()));
    }
    Ok(Some(v))
}

/// The text a search matches against: every searchable part, NFC, lower-cased, separated.
pub fn search_key<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out = String::new();
    for p in parts.into_iter().flatten() {
        if !out.is_empty() {
            out.push('\u{1F}');
        }
        out.extend(p.nfc().flat_map(char::to_lowercase));
    }
    out
}

/// [`search_key`] with the name's pinyin and initials added (`magedacun`, `mgdc`), so a search
/// typed on a Latin keyboard finds Han names.
pub fn search_key_with_pinyin<'a>(
    name: &'a str,
    parts: impl IntoIterator<Item = Option<&'a str>>,
) -> String {
    let forms = crate::pinyin::search_forms(name);
    let (full, initials) = match &forms {
        Some((f, i)) => (Some(f.as_str()), Some(i.as_str())),
        None => (None, None),
    };
    let mut all: Vec<Option<&str>> = vec![Some(name)];
    // Item by item: the parts live longer than the pinyin forms made here.
    for p in parts {
        all.push(p);
    }
    all.extend([full, initials]);
    search_key(all)
}

/// A user's search text in the form stored by [`search_key`], or `None` when it is blank.
pub fn search_query(raw: &str) -> Option<String> {
    let v: String = raw.nfc().flat_map(char::to_lowercase).collect();
    let v = v.trim().to_owned();
    if v.is_empty() {
        None
    } else {
        Some(v)
    }
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern.
pub fn like_contains(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 2);
    out.push('%');
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            name("name", "  马格达村 ", 10).ok(),
            Some("马格达村".to_owned())
        );
        assert!(name("name", "   ", 10).is_err());
        assert!(name("name", "a\nb", 10).is_err());
        assert!(name("name", &"村".repeat(11), 10).is_err());
        assert!(name("name", &"村".repeat(10), 10).is_ok());
    }

    #[test]
    fn tibetan_is_normalised_so_both_encodings_match() {
        // U+0F73 (TIBETAN VOWEL SIGN II) is canonically U+0F71 U+0F72.
        let composed = "\u{0F40}\u{0F73}";
        let decomposed = "\u{0F40}\u{0F71}\u{0F72}";
        let a = tibetan_name("name_bo", Some(composed), 50);
        let b = tibetan_name("name_bo", Some(decomposed), 50);
        assert_eq!(a, b);
        assert!(
            search_key([Some(composed)]).contains(&search_query(decomposed).unwrap_or_default())
        );
    }

    #[test]
    fn tibetan_field_rejects_latin() {
        assert!(tibetan_name("name_bo", Some("Magada"), 50).is_err());
        assert_eq!(tibetan_name("name_bo", Some("  "), 50), Ok(None));
        assert!(tibetan_name("name_bo", Some("མ་སྒལ་མདའ"), 50).is_ok());
    }

    #[test]
    fn search_key_carries_pinyin_and_initials() {
        let k = search_key_with_pinyin("马格达村", [Some("南木林县")]);
        assert_eq!(k, "马格达村\u{1F}南木林县\u{1F}magedacun\u{1F}mgdc");
        assert_eq!(search_key_with_pinyin("Magada", [None]), "magada");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains("50%_a\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn search_key_lowercases_latin_and_keeps_tibetan() {
        let k = search_key([Some("Magada"), None, Some("མ་སྒལ")]);
        assert!(k.contains("magada"));
        assert!(k.contains("མ་སྒལ"));
        assert_eq!(search_query("  MAG "), Some("mag".to_owned()));
        assert_eq!(search_query("   "), None);
    }
}
