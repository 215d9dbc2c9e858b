//! Bar charts drawn as inline SVG at build time: no script, no network.

use super::feed::xml_escape;
use std::fmt::Write as _;

pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Text shown on the bar (e.g. "3" or "92%").
    pub text: String,
    /// Highlighted (e.g. a rollback).
    pub alert: bool,
}

/// A vertical bar chart. `id` must be unique on the page (for aria labels).
pub fn bar_chart(id: &str, title: &str, bars: &[Bar], max: f64) -> String {
    let n = bars.len().max(1) as f64;
    let (w, h, top, bottom, left) = (720.0, 240.0, 24.0, 48.0, 8.0);
    let plot_h = h - top - bottom;
    let slot = (w - left * 2.0) / n;
    let bar_w = (slot * 0.7).max(2.0);
    let max = if max > 0.0 { max } else { 1.0 };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        xml_escape(title)
    );
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{y}" x2="{x2}" y2="{y}"/>"#,
        y = top + plot_h,
        x2 = w - left
    );
    let label_every = (bars.len() / 24).max(1);
    for (i, b) in bars.iter().enumerate() {
        let bh = (b.value / max * plot_h).max(0.0);
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let y = top + plot_h - bh;
        let class = if b.alert { "bar alert" } else { "bar" };
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bh:.1}"><title>{}: {}</title></rect>"#,
            xml_escape(&b.label),
            xml_escape(&b.text)
        );
        if bars.len() <= 24 {
            let _ = write!(
                s,
                r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar_w / 2.0,
                (y - 4.0).max(12.0),
                xml_escape(&b.text)
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar_w / 2.0,
                h - bottom + 16.0,
                xml_escape(&b.label)
            );
        }
    }
    s.push_str("</svg>");
    s
}
