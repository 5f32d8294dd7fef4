//! Pinyin for sorting and searching names the way Chinese users expect: 才纳村 before 曲水村
//! (cai < qu), where code-point order would put 曲 (U+66F2) before 才 (U+624D) by accident of
//! encoding; and `mageda` or `mgd` finding 马格达村.
//!
//! A name is cut into tokens: each Han character is its toneless pinyin syllable (`pinyin`
//! crate, first reading), a run of Latin letters and digits is one lower-case token, a run of
//! other letters (Tibetan, Han without a reading) is kept as it is, NFKC-normalised (full-width
//! `Ａ１` sorts as `a1`). Spaces and punctuation only separate tokens.

use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

/// One piece of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// The toneless pinyin of one Han character (`ma`; ü is written `v`, `lv`).
    Syllable(String),
    /// Latin letters and digits, lower-cased; or another script's letters as written.
    Word(String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Syllable(s) | Token::Word(s) => s,
        }
    }
}

/// Characters that only separate tokens: spaces, ASCII and CJK punctuation, the middle dot of
/// transliterated names.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || (c.is_ascii() && !c.is_ascii_alphanumeric())
        || (!c.is_alphanumeric()
            && matches!(u32::from(c), 0x00A0..=0x00BF | 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFF65 | 0x30FB))
}

fn tokens(name: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // The run being collected and whether it is ASCII (runs of two kinds do not merge).
    let mut run = String::new();
    let mut run_ascii = false;
    let flush = |run: &mut String, out: &mut Vec<Token>| {
        if !run.is_empty() {
            out.push(Token::Word(std::mem::take(run)));
        }
    };
    for c in name.nfkc().flat_map(char::to_lowercase) {
        if is_separator(c) {
            flush(&mut run, &mut out);
        } else if let Some(p) = c.to_pinyin() {
            flush(&mut run, &mut out);
            // Keys stay ASCII: ü is written v, as on keyboards.
            out.push(Token::Syllable(p.plain().replace('ü', "v")));
        } else {
            let ascii = c.is_ascii();
            if !run.is_empty() && ascii != run_ascii {
                flush(&mut run, &mut out);
            }
            run_ascii = ascii;
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The key a name sorts by: its tokens separated by spaces, then ` #` and the name itself.
///
/// `马格达村` → `ma ge da cun #马格达村`. The space sorts below every letter and digit, so
/// names compare syllable by syllable (`xi an` before `xian`, `马` before `马格`); the name after
/// ` #` (`#` sorts below letters and digits too) keeps homophones apart and grouped. Compare
/// keys bytewise (SQLite's default, `COLLATE "C"` in PostgreSQL): a linguistic collation that
/// ignores spaces would undo the syllable order.
pub fn sort_key(name: &str) -> String {
    let toks = tokens(name);
    let toks: Vec<&str> = toks.iter().map(Token::text).collect();
    format!("{} #{}", toks.join(" "), name)
}

/// What a search for a name by pinyin matches: the full pinyin without spaces (`magedacun`) and
/// the initials (`mgdc`; Latin and other words count whole). `None` when the name has no Han
/// character with a reading (its own text is already searchable).
pub fn search_forms(name: &str) -> Option<(String, String)> {
    let toks = tokens(name);
    if !toks.iter().any(|t| matches!(t, Token::Syllable(_))) {
        return None;
    }
    let full: String = toks.iter().map(Token::text).collect();
    let initials: String = toks
        .iter()
        .map(|t| match t {
            Token::Syllable(s) => s.get(..1).unwrap_or(s),
            Token::Word(w) => w.as_str(),
        })
        .collect();
    Some((full, initials))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_names_come_out_in_pinyin_order() {
        // By hand: cai na < ma ge da < qiong guo < qu shui < xia di < ya ka ya.
        let mut names = [
            "马格达村",
            "亚卡亚村",
            "下地村",
            "琼果村",
            "才纳村",
            "曲水村",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "才纳村",
                "马格达村",
                "琼果村",
                "曲水村",
                "下地村",
                "亚卡亚村"
            ]
        );
    }

    #[test]
    fn keys_are_syllables_then_the_name() {
        assert_eq!(sort_key("马格达村"), "ma ge da cun #马格达村");
        assert_eq!(sort_key("  扎西·次仁 "), "zha xi ci ren #  扎西·次仁 ");
        assert_eq!(sort_key("G318线村"), "g318 xian cun #G318线村");
        assert_eq!(sort_key("Ｇ３１８"), "g318 #Ｇ３１８");
    }

    #[test]
    fn syllables_compare_before_letters() {
        // 马 before 马格, 西安 (xi an) before 先 (xian), 才 before 才纳.
        assert!(sort_key("马") < sort_key("马格"));
        assert!(sort_key("西安") < sort_key("先"));
        assert!(sort_key("才") < sort_key("才纳村"));
        // Homophones stay apart, each kind together.
        let mut names = ["马村", "码村", "马村"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["码村", "马村", "马村"]);
    }

    #[test]
    fn non_han_names_sort_deterministically() {
        let latin = sort_key("Magada");
        let tibetan = sort_key("མ་སྒལ་མདའ");
        let han = sort_key("马格达村");
        assert_eq!(latin, "magada #Magada");
        // Latin and pinyin interleave by letters; other scripts come after.
        assert!(han < latin);
        assert!(latin < tibetan);
        assert!(tibetan.starts_with("མ"));
        assert_eq!(sort_key("吕"), "lv #吕");
    }

    #[test]
    fn search_forms_are_full_pinyin_and_initials() {
        assert_eq!(
            search_forms("马格达村"),
            Some(("magedacun".to_owned(), "mgdc".to_owned()))
        );
        assert_eq!(
            search_forms("G318线村"),
            Some(("g318xiancun".to_owned(), "g318xc".to_owned()))
        );
        assert_eq!(search_forms("Magada"), None);
        assert_eq!(search_forms("མ་སྒལ་མདའ"), None);
    }
}
