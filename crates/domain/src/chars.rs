//! Invisible characters in display text (names, places, positions): what is refused, what is
//! quietly removed, and what is kept.
//!
//! - **Refused**: the bidirectional embedding, override and isolate controls (U+202A–U+202E,
//!   U+2066–U+2069) reorder the visible text around them ("Trojan Source"): a village name could
//!   show one thing and sort, search and export as another. The byte order mark (U+FEFF) inside
//!   text is an encoding accident. Both are refused with a message naming the code point, because
//!   a person cannot see them to remove them.
//! - **Removed**: the zero-width space (U+200B) and word joiner (U+2060) only mark where a line
//!   may or may not break. Some Tibetan editors put U+200B after tsheg or shad as a break hint, so
//!   refusing it would refuse honest pasted Tibetan; removing it keeps names that look the same
//!   equal (uniqueness, search).
//! - **Zero-width non-joiner / joiner** (U+200C, U+200D) change how letters join in Arabic-script
//!   (e.g. Uyghur), Persian and Indic text and build emoji sequences, so removing them everywhere
//!   would change legitimate text. Tibetan stacks (ཀྲ, སྐྱ, བསྒྲུབས) are written with subjoined
//!   letters, never with them, and Han and ASCII never use them either: next to those, at either
//!   end, or next to a space or another invisible they do nothing visible, so they are removed
//!   there and kept elsewhere.

/// Why a character is refused in display text, or `None` when it is allowed.
pub fn refusal(c: char) -> Option<&'static str> {
    match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional control character, which changes how the text around it is shown")
        }
        '\u{FEFF}' => Some("a byte order mark, an invisible encoding artefact"),
        _ => None,
    }
}

/// The first refused character of `text`, as a message for the person who typed it.
pub fn refused(text: &str) -> Option<String> {
    text.chars().find_map(|c| {
        refusal(c).map(|why| format!("must not contain U+{:04X} ({why})", u32::from(c)))
    })
}

const ZWSP: char = '\u{200B}';
const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';
const WORD_JOINER: char = '\u{2060}';

fn is_join_control(c: char) -> bool {
    c == ZWNJ || c == ZWJ
}

/// Scripts and characters beside which a join control has no visible effect.
fn joins_nothing(c: char) -> bool {
    c.is_ascii()
        || c.is_whitespace()
        || is_join_control(c)
        || c == ZWSP
        || c == WORD_JOINER
        || refusal(c).is_some()
        || matches!(c,
            '\u{0F00}'..='\u{0FFF}'          // Tibetan
            | '\u{2E80}'..='\u{303F}'        // CJK radicals, symbols and punctuation
            | '\u{3400}'..='\u{4DBF}'        // CJK extension A
            | '\u{4E00}'..='\u{9FFF}'        // CJK unified ideographs
            | '\u{F900}'..='\u{FAFF}'        // CJK compatibility ideographs
            | '\u{FF00}'..='\u{FFEF}'        // full-width forms
            | '\u{20000}'..='\u{3FFFF}') // CJK extensions B and later
}

/// `text` without the invisible characters that carry no meaning in it (see the module docs).
pub fn strip_invisible(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ZWSP || c == WORD_JOINER {
            continue;
        }
        if is_join_control(c) {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let meaningful = matches!((before, after), (Some(b), Some(a))
                if !joins_nothing(b) && !joins_nothing(a));
            if !meaningful {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_the_bom_are_refused() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{FEFF}',
        ] {
            let text = format!("马格达{c}村");
            let msg = refused(&text).unwrap_or_default();
            assert!(
                msg.contains(&format!("U+{:04X}", u32::from(c))),
                "{c:?}: {msg}"
            );
        }
        assert_eq!(refused("马格达村"), None);
        // Neighbours of the refused ranges stay allowed.
        assert_eq!(refused("\u{2029}\u{2070}\u{FEFE}"), None);
    }

    #[test]
    fn tibetan_and_chinese_pass_unchanged() {
        for text in [
            "བསྒྲུབས་གླིང་།",
            "ཀྲ་ཤིས་བདེ་ལེགས།",
            "སྐྱིད་གྲོང་རྫོང་།",
            "མ་སྒལ་མདའ",
            "马格达村",
            "日喀则市南木林县",
            "Village 3 (north)",
        ] {
            assert_eq!(strip_invisible(text), text);
            assert_eq!(refused(text), None, "{text}");
        }
    }

    #[test]
    fn break_hints_are_removed() {
        assert_eq!(strip_invisible("བཀྲ་ཤིས།\u{200B}བདེ་ལེགས།"), "བཀྲ་ཤིས།བདེ་ལེགས།");
        assert_eq!(strip_invisible("马格\u{2060}达村\u{200B}"), "马格达村");
    }

    #[test]
    fn join_controls_are_kept_only_where_they_join() {
        // Persian "mi-khaham" keeps its ZWNJ; an emoji family keeps its ZWJs.
        let persian = "می\u{200C}خواهم";
        assert_eq!(strip_invisible(persian), persian);
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(strip_invisible(family), family);
        // Beside Han, Tibetan, ASCII, at the ends, or doubled, they do nothing and go.
        assert_eq!(strip_invisible("马格\u{200D}达村"), "马格达村");
        assert_eq!(strip_invisible("ཀ\u{200C}ྲ"), "ཀྲ");
        assert_eq!(strip_invisible("\u{200D}abc\u{200C}"), "abc");
        assert_eq!(strip_invisible("م\u{200C}\u{200C}ن"), "من");
    }
}
