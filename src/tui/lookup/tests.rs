//! The lookup's rules as tests: every matching rule and ranking in the module paragraph, the
//! index against an obvious linear reference (and against the catalog's scan, so both lists
//! keep one matcher), and property tests over random villages.

use super::*;
use proptest::prelude::*;

fn entry(id: &str, card_no: &str, name: &str, phone: &str) -> LookupEntry {
    LookupEntry {
        id: id.to_string(),
        card_no: card_no.to_string(),
        name: name.to_string(),
        phone: phone.to_string(),
        members: Vec::new(),
    }
}

fn with_members(mut e: LookupEntry, members: &[&str]) -> LookupEntry {
    e.members = members.iter().map(|m| m.to_string()).collect();
    e
}

fn ids(results: &[(String, MatchKind)]) -> Vec<&str> {
    results.iter().map(|(id, _)| id.as_str()).collect()
}

fn kind_of(index: &LookupIndex, query: &str, id: &str) -> Option<MatchKind> {
    index
        .search(query, 1000)
        .into_iter()
        .find(|(found, _)| found == id)
        .map(|(_, kind)| kind)
}

fn village() -> LookupIndex {
    LookupIndex::build([
        entry("H0001", "LJ0001234", "张三", "13812345678"),
        entry("H0002", "LJ0001235", "单田芳", "13900001111"),
        entry("H0003", "LJ0002000", "曾国藩", ""),
        entry("H0004", "LJ0002001", "解缙", ""),
        entry("H0005", "LJ0002002", "仇英", ""),
        entry("H0006", "LJ0002003", "朴槿惠", ""),
        entry("H0007", "LJ0002004", "张三丰", "021-5555 0000"),
        entry("H0008", "LJ0002005", "阿依古丽·买买提", ""),
        entry("H0009", "LJ0002006", "吕布", ""),
    ])
}

#[test]
fn pinyin_keys_of_zhang_san() {
    let (full, initials) = pinyin_keys("张三");
    assert_eq!(full, vec!["zhangsan"]);
    assert_eq!(initials, vec!["zs"]);
}

#[test]
fn pinyin_keys_cover_every_reading() {
    let (full, initials) = pinyin_keys("单田芳");
    for want in ["dantianfang", "shantianfang", "chantianfang"] {
        assert!(full.contains(&want.to_string()), "{full:?} lacks {want}");
    }
    for want in ["dtf", "stf", "ctf"] {
        assert!(
            initials.contains(&want.to_string()),
            "{initials:?} lacks {want}"
        );
    }
    let (full, _) = pinyin_keys("曾");
    assert!(full.contains(&"zeng".to_string()) && full.contains(&"ceng".to_string()));
}

#[test]
fn pinyin_keys_pass_other_characters_through() {
    let (full, initials) = pinyin_keys("阿依古丽·Maimaiti");
    assert_eq!(full[0], "ayiguli·maimaiti");
    assert_eq!(initials[0], "aygl·maimaiti");
    assert_eq!(pinyin_keys("吕").0, vec!["lv"]);
    assert_eq!(pinyin_keys(""), (vec![], vec![]));
    assert_eq!(pinyin_keys("  "), (vec![], vec![]));
}

#[test]
fn pinyin_combinations_are_bounded() {
    // 方 has six readings, 朴 three, 平 four: the product would be far above the bound.
    let (full, initials) = pinyin_keys("方朴平方朴平");
    assert!(full.len() <= MAX_READING_COMBINATIONS);
    assert!(initials.len() <= MAX_READING_COMBINATIONS);
    assert_eq!(full[0], "fangpupingfangpuping");
}

#[test]
fn initials_and_full_pinyin_find_zhang_san() {
    let index = village();
    for (query, kind) in [
        ("z", MatchKind::Initials),
        ("zs", MatchKind::Initials),
        ("ZS", MatchKind::Initials),
        ("zhang", MatchKind::FullPinyin),
        ("zhangs", MatchKind::FullPinyin),
        ("zhang san", MatchKind::FullPinyin),
        ("zhangsan", MatchKind::FullPinyin),
        ("张", MatchKind::Name),
        ("张三", MatchKind::Name),
    ] {
        assert_eq!(kind_of(&index, query, "H0001"), Some(kind), "query {query}");
    }
    assert_eq!(kind_of(&index, "zhangsi", "H0001"), None);
    assert_eq!(kind_of(&index, "zx", "H0001"), None);
}

#[test]
fn polyphonic_names_match_under_every_reading() {
    let index = village();
    for query in ["sh", "shan", "dan", "stf", "dtf", "shantianfang"] {
        assert!(
            kind_of(&index, query, "H0002").is_some(),
            "单田芳 by {query}"
        );
    }
    for query in ["zeng", "ceng", "zgf", "cgf"] {
        assert!(
            kind_of(&index, query, "H0003").is_some(),
            "曾国藩 by {query}"
        );
    }
    for query in ["jie", "xie"] {
        assert!(kind_of(&index, query, "H0004").is_some(), "解缙 by {query}");
    }
    for query in ["chou", "qiu"] {
        assert!(kind_of(&index, query, "H0005").is_some(), "仇英 by {query}");
    }
    for query in ["pu", "piao", "pjh"] {
        assert!(
            kind_of(&index, query, "H0006").is_some(),
            "朴槿惠 by {query}"
        );
    }
    assert!(kind_of(&index, "lv", "H0009").is_some());
    assert!(kind_of(&index, "lü", "H0009").is_some());
}

#[test]
fn non_chinese_name_parts_are_searchable() {
    let index = village();
    assert_eq!(
        kind_of(&index, "ayiguli·mai", "H0008"),
        Some(MatchKind::FullPinyin)
    );
    assert_eq!(kind_of(&index, "aygl·", "H0008"), Some(MatchKind::Initials));
}

#[test]
fn card_and_id_prefixes() {
    let index = village();
    assert_eq!(kind_of(&index, "lj000123", "H0001"), Some(MatchKind::Card));
    assert_eq!(kind_of(&index, "LJ0001234", "H0001"), Some(MatchKind::Card));
    assert_eq!(
        kind_of(&index, "ｌｊ０００１２３４", "H0001"),
        Some(MatchKind::Card)
    );
    // The numeric part, with and without leading zeros.
    assert_eq!(kind_of(&index, "0001234", "H0001"), Some(MatchKind::Card));
    assert_eq!(kind_of(&index, "123", "H0001"), Some(MatchKind::Card));
    // Middle-of-code substrings are not matched (documented).
    assert_eq!(kind_of(&index, "234", "H0001"), None);
    assert_eq!(
        kind_of(&index, "h000", "H0001"),
        Some(MatchKind::HouseholdId)
    );
    assert_eq!(
        kind_of(&index, "H0001", "H0001"),
        Some(MatchKind::HouseholdId)
    );
    assert_eq!(kind_of(&index, "9", "H0009"), Some(MatchKind::HouseholdId));
    // An exact card match is ranked first.
    let results = index.search("LJ0001234", 10);
    assert_eq!(results[0], ("H0001".to_string(), MatchKind::Card));
    assert_eq!(results.len(), 1);
}

#[test]
fn phone_tail() {
    let index = village();
    assert_eq!(
        index.search("5678", 10),
        vec![("H0001".to_string(), MatchKind::Phone)]
    );
    assert_eq!(
        kind_of(&index, "13812345678", "H0001"),
        Some(MatchKind::Phone)
    );
    assert_eq!(kind_of(&index, "55550000", "H0007"), Some(MatchKind::Phone));
    assert_eq!(
        kind_of(&index, "5555 0000", "H0007"),
        Some(MatchKind::Phone)
    );
    // Fewer than four digits never match a phone.
    assert_eq!(kind_of(&index, "678", "H0001"), None);
    // The head of the number is not a tail.
    assert_eq!(kind_of(&index, "1381", "H0001"), None);
}

#[test]
fn ranking_by_kind_then_exact_then_id() {
    let index = LookupIndex::build([
        entry("H9", "", "张三丰", ""),
        entry("H8", "", "张三", ""),
        entry("H7", "", "张三", ""),
        entry("H1", "", "张思", ""),
        entry("H2", "", "赵四", ""),
        entry("H3", "ZS001", "", ""),
        entry("H4", "", "", ""),
    ]);
    let results = index.search("zs", 10);
    assert_eq!(
        results,
        vec![
            ("H3".to_string(), MatchKind::Card),
            ("H1".to_string(), MatchKind::Initials),
            ("H2".to_string(), MatchKind::Initials),
            ("H7".to_string(), MatchKind::Initials),
            ("H8".to_string(), MatchKind::Initials),
            ("H9".to_string(), MatchKind::Initials),
        ]
    );
    // Exact name matches before prefix matches, then by id.
    assert_eq!(ids(&index.search("张三", 10)), vec!["H7", "H8", "H9"]);
    // Exact full pinyin before prefix, within the same kind.
    assert_eq!(ids(&index.search("zhangsan", 10)), vec!["H7", "H8", "H9"]);
    assert_eq!(ids(&index.search("zhangsan", 1)), vec!["H7"]);
}

#[test]
fn each_household_appears_once_under_its_best_kind() {
    // Card, name initials and full pinyin all match "z"; 张朝 has two readings.
    let index = LookupIndex::build([entry("H1", "Z1", "张朝", ""), entry("H2", "", "张朝", "")]);
    assert_eq!(
        index.search("z", 10),
        vec![
            ("H1".to_string(), MatchKind::Card),
            ("H2".to_string(), MatchKind::Initials),
        ]
    );
    assert_eq!(
        index.search("zhang", 10),
        vec![
            ("H1".to_string(), MatchKind::FullPinyin),
            ("H2".to_string(), MatchKind::FullPinyin),
        ]
    );
}

#[test]
fn insert_replaces_and_renumbers() {
    let mut index = village();
    let before = index.len();
    index.insert(entry("H0001", "LJ0009999", "李四", "13700000000"));
    assert_eq!(index.len(), before);
    assert_eq!(kind_of(&index, "zhangsan", "H0001"), None);
    assert_eq!(kind_of(&index, "LJ0001234", "H0001"), None);
    assert_eq!(kind_of(&index, "ls", "H0001"), Some(MatchKind::Initials));
    assert_eq!(kind_of(&index, "9999", "H0001"), Some(MatchKind::Card));
    assert_eq!(kind_of(&index, "0000", "H0001"), Some(MatchKind::Phone));

    // A new id sorting before everything shifts the others; results must stay right.
    index.insert(entry("H0000", "LJ0000001", "张三", ""));
    assert_eq!(index.len(), before + 1);
    assert_eq!(ids(&index.search("zhangsan", 10)), vec!["H0000", "H0007"]);
    assert_eq!(
        kind_of(&index, "shan", "H0002"),
        Some(MatchKind::FullPinyin)
    );
    assert_eq!(kind_of(&index, "ls", "H0001"), Some(MatchKind::Initials));
}

#[test]
fn build_keeps_the_last_of_repeated_ids() {
    let index = LookupIndex::build([entry("H1", "", "张三", ""), entry("H1", "", "李四", "")]);
    assert_eq!(index.len(), 1);
    assert!(index.search("zs", 10).is_empty());
    assert_eq!(ids(&index.search("ls", 10)), vec!["H1"]);
}

#[test]
fn empty_queries_and_limits() {
    let index = village();
    assert!(index.search("", 10).is_empty());
    assert!(index.search("   ", 10).is_empty());
    assert!(index.search("z", 0).is_empty());
    assert_eq!(index.search("lj", 3).len(), 3);
    assert_eq!(index.search("lj", usize::MAX).len(), index.len());
    assert!(LookupIndex::new().search("z", 10).is_empty());
    assert!(LookupIndex::default().is_empty());
    assert!(!index.is_empty());
}

/// A deterministic synthetic village of `n` households with common surnames.
#[test]
fn the_scan_adds_names_that_contain_the_query_after_key_matches() {
    let goods = [
        entry("G01", "6901234567892", "东北大米 5kg", ""),
        entry("G02", "6901234567908", "大豆油", ""),
        entry("G03", "", "米粉", ""),
    ];
    let scan = ScanIndex::build(goods);
    assert_eq!(
        scan.search("米"),
        vec![2, 0],
        "a name prefix, then a name containing it"
    );
    assert_eq!(scan.search("dami"), vec![0], "pinyin inside the name");
    assert_eq!(
        scan.search("ＤＤＹ"),
        vec![1],
        "full-width initials, as in the lookup"
    );
    assert_eq!(scan.search("69012345679"), vec![1], "a barcode prefix");
    assert_eq!(scan.search("g0"), vec![0, 1, 2], "goods ids are codes");
    assert!(
        scan.search(" ").is_empty(),
        "an empty query matches nothing"
    );
}

fn synthetic(n: usize) -> Vec<LookupEntry> {
    const SURNAMES: &[char] = &[
        '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡',
        '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹',
        '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏',
        '魏', '吕', '丁', '任', '沈', '单', '解', '仇', '朴',
    ];
    const GIVEN: &[char] = &[
        '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰',
        '娟', '涛', '明', '超', '兰', '霞', '平', '刚', '桂', '华', '国', '建', '文', '红', '春',
        '海', '云', '峰', '长', '乐', '重', '和', '朝',
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let mut name = String::new();
            name.push(SURNAMES[next(SURNAMES.len())]);
            for _ in 0..1 + next(2) {
                name.push(GIVEN[next(GIVEN.len())]);
            }
            LookupEntry {
                id: format!("H{i:06}"),
                card_no: format!("LJ{:07}", i * 7 % 10_000_000),
                name,
                phone: format!("13{:09}", (i as u64 * 7_919) % 1_000_000_000),
                members: Vec::new(),
            }
        })
        .collect()
}

#[test]
fn hundred_thousand_households_build_and_search() {
    let entries = synthetic(100_000);
    let probe = entries[4242].clone();
    let index = LookupIndex::build(entries);
    assert_eq!(index.len(), 100_000);
    for query in [
        "z", "zh", "zhang", "l", "lj", "wang", "张", "h0", "138", "1",
    ] {
        let results = index.search(query, 50);
        assert_eq!(results.len(), 50, "query {query}");
        let mut sorted = results.clone();
        sorted.sort_by_key(|hit| hit.1);
        assert_eq!(results, sorted, "kinds out of order for {query}");
    }
    let results = index.search(&probe.card_no, 50);
    assert_eq!(results[0], (probe.id.clone(), MatchKind::Card));
    let results = index.search(&probe.id, 50);
    assert_eq!(results[0], (probe.id.clone(), MatchKind::HouseholdId));
    assert!(kind_of(&index, &probe.phone, &probe.id).is_some());
    let (full, initials) = pinyin_keys(&probe.name);
    assert!(index
        .search(&full[0], 100_000)
        .iter()
        .any(|(id, _)| *id == probe.id));
    assert!(index
        .search(&initials[0], 100_000)
        .iter()
        .any(|(id, _)| *id == probe.id));
}

#[test]
fn heavy_replacement_reclaims_space_and_stays_correct() {
    let mut all = synthetic(300);
    let mut index = LookupIndex::build(all.clone());
    let names = ["张三", "单田芳", "曾国藩", "李四", "阿依古丽·买买提"];
    for round in 0..3000 {
        let replaced = LookupEntry {
            id: all[(round * 37) % 300].id.clone(),
            card_no: format!("LJ{round:07}"),
            name: format!("{}{}", names[round % names.len()], round % 7),
            phone: format!("139{round:08}"),
            members: if round % 3 == 0 {
                vec![names[(round + 1) % names.len()].to_string()]
            } else {
                Vec::new()
            },
        };
        index.insert(replaced.clone());
        all.push(replaced);
    }
    assert_eq!(index.len(), 300);
    for query in [
        "z", "zs", "zhangsan", "shan", "ceng", "a", "lj0002", "2999", "h0", "李",
    ] {
        assert_eq!(
            index.search(query, 20),
            reference(&all, query, 20),
            "query {query}"
        );
    }
    for table in &index.tables {
        let live: usize = table.lens.iter().map(|&len| usize::from(len)).sum();
        assert!(table.arena.len() <= 2 * live + 4096 + MAX_KEY_BYTES);
    }
}

/// The obvious linear implementation of [`LookupIndex::search`], for comparison.
fn reference(entries: &[LookupEntry], query: &str, limit: usize) -> Vec<(String, MatchKind)> {
    let q = normalize(query);
    if q.is_empty() {
        return Vec::new();
    }
    let phone_q: String = q.chars().rev().collect();
    let phone_ok = q.len() >= MIN_PHONE_TAIL_DIGITS && q.bytes().all(|b| b.is_ascii_digit());
    let mut latest: Vec<&LookupEntry> = Vec::new();
    for e in entries {
        latest.retain(|other| other.id != e.id);
        latest.push(e);
    }
    let mut hits: Vec<(MatchKind, bool, &str)> = Vec::new();
    for e in latest {
        let mut best: Option<(MatchKind, bool)> = None;
        entry_keys(e.fields(), &mut KeyScratch::default(), |kind, key| {
            let wanted = if kind == MatchKind::Phone {
                if !phone_ok {
                    return;
                }
                phone_q.as_str()
            } else {
                q.as_str()
            };
            if key.starts_with(wanted) {
                let candidate = (kind, key != wanted);
                if best.is_none_or(|b| candidate < b) {
                    best = Some(candidate);
                }
            }
        });
        if best.is_none() {
            best = reference_names(e, &q).map(|kind| (kind, true));
        }
        if let Some((kind, prefix_only)) = best {
            hits.push((kind, prefix_only, e.id.as_str()));
        }
    }
    hits.sort();
    hits.into_iter()
        .take(limit)
        .map(|(kind, _, id)| (id.to_string(), kind))
        .collect()
}

/// The name kinds, the obvious way: every way of spelling the query with consecutive characters
/// of a name, each giving a non-empty prefix of its normalised self or of a reading.
fn reference_names(e: &LookupEntry, q: &str) -> Option<MatchKind> {
    fn spellings(c: char) -> Vec<String> {
        let own = normalize(&c.to_string());
        if own.is_empty() {
            return Vec::new();
        }
        let mut out = vec![own];
        if !c.is_ascii() {
            if let Some(multi) = pinyin::ToPinyinMulti::to_pinyin_multi(&c) {
                for r in multi {
                    out.push(r.plain().replace('ü', "v").replace('ê', "e").to_lowercase());
                }
            }
        }
        out
    }
    fn spell(chars: &[Vec<String>], q: &[char]) -> bool {
        if q.is_empty() {
            return true;
        }
        let Some((first, rest)) = chars.split_first() else {
            return false;
        };
        first.iter().any(|s| {
            let s: Vec<char> = s.chars().collect();
            (1..=s.len().min(q.len())).any(|n| s[..n] == q[..n] && spell(rest, &q[n..]))
        })
    }
    let q: Vec<char> = q.chars().collect();
    if q.len() > 63 {
        return None;
    }
    let names: Vec<&str> = std::iter::once(e.name.as_str())
        .chain(e.members.iter().map(String::as_str))
        .collect();
    for (n, name) in names.iter().enumerate() {
        let chars: Vec<Vec<String>> = name
            .chars()
            .map(spellings)
            .filter(|s| !s.is_empty())
            .collect();
        for start in 0..chars.len() {
            if spell(&chars[start..], &q) {
                return Some(match (n, start) {
                    (0, 0) => MatchKind::Mixed,
                    (0, _) => MatchKind::Within,
                    _ => MatchKind::Member,
                });
            }
        }
    }
    None
}

fn arb_entry() -> impl Strategy<Value = LookupEntry> {
    let name = proptest::collection::vec(
        proptest::sample::select(vec![
            "张", "三", "单", "曾", "解", "仇", "朴", "长", "朝", "李", "吕", "·", "a", "Z", " ",
        ]),
        0..4,
    )
    .prop_map(|parts| parts.concat());
    let members = proptest::collection::vec(name.clone(), 0..3);
    (
        0u8..12,
        "(LJ|lj|Z)?[0-3]{0,4}",
        name,
        "[0-3 -]{0,8}",
        members,
    )
        .prop_map(|(id, card_no, name, phone, members)| LookupEntry {
            id: format!("H{id}"),
            card_no,
            name,
            phone,
            members,
        })
}

fn arb_query() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            "z", "h", "a", "n", "g", "s", "c", "d", "e", "j", "x", "i", "l", "v", "0", "1", "2",
            "3", "张", "单", "·", "H", " ", "lj", "zhang", "chang", "shan", "san", "三", "ｓ",
            "chao", "zh", "li", "lv",
        ]),
        0..4,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn search_agrees_with_linear_reference(
        built in proptest::collection::vec(arb_entry(), 0..12),
        inserted in proptest::collection::vec(arb_entry(), 0..6),
        queries in proptest::collection::vec(arb_query(), 1..8),
        limit in 0usize..8,
    ) {
        let mut index = LookupIndex::build(built.clone());
        for e in &inserted {
            index.insert(e.clone());
        }
        let all: Vec<LookupEntry> = built.iter().chain(&inserted).cloned().collect();
        for q in &queries {
            prop_assert_eq!(index.search(q, limit), reference(&all, q, limit), "query {:?}", q);
        }
    }

    /// The catalog's scan and the household index are one matcher: over the same entries in id
    /// order, the scan's matches are the index's answer, kind for kind.
    #[test]
    fn the_scan_matches_like_the_index(
        built in proptest::collection::vec(arb_entry(), 0..12),
        queries in proptest::collection::vec(arb_query(), 1..8),
    ) {
        let index = LookupIndex::build(built.clone());
        let mut latest: Vec<LookupEntry> = Vec::new();
        for e in built {
            latest.retain(|other| other.id != e.id);
            latest.push(e);
        }
        latest.sort_by(|a, b| a.id.cmp(&b.id));
        let scan = ScanIndex::build(latest.clone());
        for q in &queries {
            let scanned: Vec<(String, MatchKind)> = scan
                .matches(q)
                .into_iter()
                .map(|(position, kind)| (latest[position].id.clone(), kind))
                .collect();
            prop_assert_eq!(scanned, index.search(q, latest.len()), "query {:?}", q);
        }
    }

    #[test]
    fn searching_never_panics(query in "\\PC{0,12}", limit in 0usize..100) {
        let index = village();
        let results = index.search(&query, limit);
        prop_assert!(results.len() <= limit);
    }
}

#[test]
fn given_names_mixed_pinyin_and_members_find_their_household() {
    let index = LookupIndex::build([
        entry("H1", "LJ0001", "李建国", ""),
        with_members(entry("H2", "LJ0002", "王秀英", ""), &["张建国", "王小明"]),
        entry("H3", "LJ0003", "建国", ""),
        entry("H4", "LJ0004", "欧阳长孙", ""),
    ]);
    // The given name, in characters, full pinyin or initials.
    assert_eq!(
        index.search("建国", 10),
        vec![
            ("H3".to_string(), MatchKind::Name),
            ("H1".to_string(), MatchKind::Within),
            ("H2".to_string(), MatchKind::Member),
        ]
    );
    assert_eq!(kind_of(&index, "jianguo", "H1"), Some(MatchKind::Within));
    assert_eq!(kind_of(&index, "jg", "H1"), Some(MatchKind::Within));
    assert_eq!(kind_of(&index, "ＪＧ", "H1"), Some(MatchKind::Within));
    // Full pinyin and initials mixed within one name, from its start.
    for q in ["lijg", "lijig", "ljianguo", "lijiag", "李jg", "li建g"] {
        assert_eq!(kind_of(&index, q, "H1"), Some(MatchKind::Mixed), "{q}");
    }
    // The plain kinds keep their rank.
    assert_eq!(kind_of(&index, "ljg", "H1"), Some(MatchKind::Initials));
    assert_eq!(
        kind_of(&index, "lijianguo", "H1"),
        Some(MatchKind::FullPinyin)
    );
    // A member's name, in any of its forms.
    for q in ["小明", "wangxiaoming", "wxm", "xiaom", "zhangjg"] {
        assert_eq!(kind_of(&index, q, "H2"), Some(MatchKind::Member), "{q}");
    }
    // Characters are consecutive: a skipped character is no match.
    assert_eq!(kind_of(&index, "lg", "H1"), None);
    assert_eq!(kind_of(&index, "oyzs", "H4"), Some(MatchKind::Initials));
    assert_eq!(kind_of(&index, "zhangsun", "H4"), Some(MatchKind::Within));
    assert_eq!(kind_of(&index, "changs", "H4"), Some(MatchKind::Within));
}

#[test]
fn a_replaced_household_is_found_by_its_new_names_only() {
    let mut index = village();
    index.insert(with_members(
        entry("H0001", "LJ0001234", "李建国", ""),
        &["赵小红"],
    ));
    assert_eq!(kind_of(&index, "sanfeng", "H0001"), None);
    assert_eq!(kind_of(&index, "jianguo", "H0001"), Some(MatchKind::Within));
    assert_eq!(
        kind_of(&index, "xiaohong", "H0001"),
        Some(MatchKind::Member)
    );
    assert!(index.has_names("H0001", "李建国", &["赵小红".to_string()]));
    assert!(!index.has_names("H0001", "李建国", &[]));
    assert!(!index.has_names("H0001", "李建华", &["赵小红".to_string()]));
    // A new household sorting first moves every number up; names stay with their household.
    index.insert(with_members(entry("H0000", "", "周末", ""), &["吴用"]));
    assert_eq!(kind_of(&index, "wuyong", "H0000"), Some(MatchKind::Member));
    assert_eq!(
        kind_of(&index, "xiaohong", "H0001"),
        Some(MatchKind::Member)
    );
    assert_eq!(
        kind_of(&index, "tianfang", "H0002"),
        Some(MatchKind::Within)
    );
}

#[test]
fn name_kinds_stop_at_the_limit_and_rank_after_the_keys() {
    let index = LookupIndex::build(synthetic(20_000));
    let results = index.search("guo", 50);
    assert_eq!(results.len(), 50);
    let mut sorted = results.clone();
    sorted.sort_by_key(|hit| hit.1);
    assert_eq!(results, sorted, "kinds in order");
    assert!(results.iter().any(|(_, k)| *k == MatchKind::FullPinyin));
    let found = index.search("jianguo", 20_000);
    let kinds: std::collections::BTreeSet<MatchKind> = found.iter().map(|(_, k)| *k).collect();
    assert!(
        kinds.iter().all(|k| matches!(
            k,
            MatchKind::FullPinyin | MatchKind::Mixed | MatchKind::Within
        )),
        "{kinds:?}"
    );
    assert!(found.iter().any(|(_, k)| *k == MatchKind::Within));
}
