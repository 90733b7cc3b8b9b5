//! `wheelwright diff`: why two wheels differ.

use std::collections::HashMap;

use serde::Serialize;

use crate::archive::{Archive, Member};
use crate::elf;
use crate::report::one_line;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `added`, `missing`, `order`, `mtime`, `mode`, `compression` or `content`.
    pub kind: &'static str,
    pub member: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub a: String,
    pub b: String,
    pub identical: bool,
    pub differences: Vec<Difference>,
}

pub fn diff(a_name: &str, a: &Archive, b_name: &str, b: &Archive) -> DiffReport {
    let mut d = Vec::new();
    let in_b: HashMap<&str, &Member> = b.members.iter().map(|m| (m.name.as_str(), m)).collect();
    let in_a: HashMap<&str, &Member> = a.members.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut push = |kind, member: &str, detail: String| {
        d.push(Difference {
            kind,
            member: member.to_string(),
            detail,
        })
    };
    for m in &a.members {
        if !in_b.contains_key(m.name.as_str()) {
            push("missing", &m.name, format!("only in {a_name}"));
        }
    }
    for m in &b.members {
        if !in_a.contains_key(m.name.as_str()) {
            push("added", &m.name, format!("only in {b_name}"));
        }
    }
    let order_a: Vec<&str> = a
        .members
        .iter()
        .map(|m| m.name.as_str())
        .filter(|n| in_b.contains_key(n))
        .collect();
    let order_b: Vec<&str> = b
        .members
        .iter()
        .map(|m| m.name.as_str())
        .filter(|n| in_a.contains_key(n))
        .collect();
    if let Some(i) = order_a.iter().zip(&order_b).position(|(x, y)| x != y) {
        push(
            "order",
            order_a[i],
            format!("position {i} holds {} in the second wheel", order_b[i]),
        );
    }
    for ma in &a.members {
        let Some(mb) = in_b.get(ma.name.as_str()) else {
            continue;
        };
        if ma.mtime != mb.mtime {
            push(
                "mtime",
                &ma.name,
                format!("{} → {}", show(&ma.mtime), show(&mb.mtime)),
            );
        }
        if ma.mode != mb.mode {
            let fmt = |m: Option<u32>| m.map_or("-".to_string(), |m| format!("{m:o}"));
            push(
                "mode",
                &ma.name,
                format!("{} → {}", fmt(ma.mode), fmt(mb.mode)),
            );
        }
        if ma.compression != mb.compression {
            push(
                "compression",
                &ma.name,
                format!("{} → {}", ma.compression, mb.compression),
            );
        }
        if ma.sha256 != mb.sha256 {
            push("content", &ma.name, content_detail(ma, mb));
        }
    }
    DiffReport {
        a: a_name.to_string(),
        b: b_name.to_string(),
        identical: d.is_empty(),
        differences: d,
    }
}

fn show(t: &Option<String>) -> &str {
    t.as_deref().unwrap_or("-")
}

/// For two ELF objects, names the sections whose size or bytes differ.
fn content_detail(a: &Member, b: &Member) -> String {
    let sizes = format!("{} → {} bytes", a.size, b.size);
    let (Some(Ok(ea)), Some(Ok(eb))) = (&a.elf, &b.elf) else {
        return if a.is_elf && b.is_elf {
            format!("{sizes}; an ELF object could not be read")
        } else {
            sizes
        };
    };
    let (da, db) = (
        a.data.as_deref().unwrap_or_default(),
        b.data.as_deref().unwrap_or_default(),
    );
    let (sa, sb) = (section_table(ea, da), section_table(eb, db));
    let mut changed: Vec<String> = Vec::new();
    for (n, _, _) in &ea.sections {
        match sb.get(n.as_str()) {
            None => changed.push(format!("-{n}")),
            Some(other) if Some(other) != sa.get(n.as_str()) => changed.push(n.clone()),
            _ => {}
        }
    }
    for (n, _, _) in &eb.sections {
        if !sa.contains_key(n.as_str()) {
            changed.push(format!("+{n}"));
        }
    }
    if changed.is_empty() {
        format!("{sizes}; ELF sections equal, headers or layout differ")
    } else {
        format!("{sizes}; ELF sections differ: {}", changed.join(", "))
    }
}

/// Section name → (size, bytes); a range outside the file counts as empty content.
fn section_table<'a>(e: &'a elf::ElfInfo, data: &'a [u8]) -> HashMap<&'a str, (u64, &'a [u8])> {
    e.sections
        .iter()
        .map(|(n, s, r)| {
            (
                n.as_str(),
                (*s, r.clone().and_then(|r| data.get(r)).unwrap_or_default()),
            )
        })
        .collect()
}

pub fn text(r: &DiffReport) -> String {
    if r.identical {
        return format!("identical {} {}\n", r.a, r.b);
    }
    let mut s = format!(
        "differ {} {}: {} difference(s)\n",
        r.a,
        r.b,
        r.differences.len()
    );
    for d in &r.differences {
        let (member, detail) = (one_line(&d.member), one_line(&d.detail));
        s.push_str(&format!("{} {member}: {detail}\n", d.kind));
    }
    s
}
